/** Creating tensors: the @xent/tensor creation functions plus `requiresGrad`. */

import type { DType, Generator, NDArray } from '@xent/tensor';
import * as nd from '@xent/tensor';
import { Tensor } from './tensor.js';

/** Options shared by every creation function. */
export interface TensorOptions {
  /** Element type; float32 unless the data says otherwise. */
  dtype?: DType;
  /** Make the result a leaf that accumulates gradients. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomTensorOptions extends TensorOptions {
  /** Source of randomness; the default generator (`manualSeed`) when omitted. */
  generator?: Generator;
}

function wrap(data: NDArray, options: TensorOptions): Tensor {
  return new Tensor(data, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * A tensor from nested arrays, a typed array, an NDArray (copied) or another tensor's values.
 * Nested arrays become float32 unless `dtype` is given; typed arrays keep their dtype.
 */
export function tensor(
  data: nd.ArrayData | Tensor,
  options: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  const source = data instanceof Tensor ? data.data : data;
  return wrap(nd.array(source, { dtype: options.dtype, shape: options.shape }), options);
}

/** Zeros of `shape`. */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return wrap(nd.zeros(shape, options), options);
}

/** Ones of `shape`. */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return wrap(nd.ones(shape, options), options);
}

/** `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  return wrap(nd.full(shape, value, options), options);
}

/** Zeros with the shape and dtype of `like`. */
export function zerosLike(like: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(like.shape, { dtype: like.dtype, ...options });
}

/** Ones with the shape and dtype of `like`. */
export function onesLike(like: Tensor, options: TensorOptions = {}): Tensor {
  return ones(like.shape, { dtype: like.dtype, ...options });
}

/** `start, start + step, …` below `stop` (`arange(n)` is 0..n−1; int32 for integer arguments). */
export function arange(start: number, stop?: number, step = 1, options: TensorOptions = {}): Tensor {
  return wrap(nd.arange(start, stop, step, options), options);
}

/** The `n × m` identity. */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  return wrap(nd.eye(n, m, options), options);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options: RandomTensorOptions = {}): Tensor {
  return wrap(nd.rand(shape, options), options);
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: RandomTensorOptions = {}): Tensor {
  return wrap(nd.randn(shape, options), options);
}

/** Uniform integers in [low, high) (int32). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomTensorOptions = {},
): Tensor {
  return wrap(nd.randint(low, high, shape, options), options);
}
