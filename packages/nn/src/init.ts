/**
 * In-place initialisers (PyTorch's `nn.init.*_`, without the trailing underscore). Each one
 * overwrites `tensor.data` without recording a graph and returns the tensor; the random
 * ones draw from `options.generator` (the default generator, see `manualSeed`, when omitted).
 */
import type { Tensor } from '@xent/autograd';
import { DTypeError, type Generator, getDefaultGenerator, ValueError } from '@xent/tensor';

/** Options of the random initialisers. */
export interface InitOptions {
  /** Source of randomness; the default generator when omitted. */
  generator?: Generator;
}

/** Which fan the Kaiming initialisers preserve: forward activations or backward gradients. */
export type FanMode = 'fanIn' | 'fanOut';

/** Nonlinearities known to {@link calculateGain}. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Writes `value(i)` to every element of `tensor.data`, in row-major order. */
function fill(op: string, tensor: Tensor, value: (i: number) => number): Tensor {
  const data = tensor.data;
  if (!data.isContiguous) throw new ValueError(`${op}: expected a contiguous tensor, got a strided view`);
  const storage = data.data;
  const offset = data.offset;
  for (let i = 0; i < data.size; i++) storage[offset + i] = value(i);
  return tensor;
}

/**
 * `[fanIn, fanOut]` of a weight: for `[out, in, ...kernel]`, fanIn = in · kernel size and
 * fanOut = out · kernel size (PyTorch's `_calculate_fan_in_and_fan_out`).
 */
export function calculateFans(tensor: Tensor): [number, number] {
  const shape = tensor.shape;
  if (shape.length < 2) {
    throw new ValueError(
      `calculateFans: fan in and fan out need a tensor of at least 2 dimensions, got ${shape.length}`,
    );
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}

/**
 * PyTorch's recommended gain for a nonlinearity: 1 for linear/sigmoid, 5/3 for tanh, √2 for
 * relu, √(2 / (1 + slope²)) for leakyRelu (slope `param`, default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity '${nonlinearity as string}'`);
  }
}

/** Fills with 0. */
export function zeros(tensor: Tensor): Tensor {
  return fill('zeros', tensor, () => 0);
}

/** Fills with 1. */
export function ones(tensor: Tensor): Tensor {
  return fill('ones', tensor, () => 1);
}

/** Fills with `value`. */
export function constant(tensor: Tensor, value: number): Tensor {
  return fill('constant', tensor, () => value);
}

/**
 * U(a, b) or N(mean, std²) samples into a float tensor: an int32 one would truncate them
 * toward zero (mostly to 0), so it is refused, as PyTorch does.
 */
function fillUniform(op: string, tensor: Tensor, a: number, b: number, options: InitOptions): Tensor {
  checkFloat(op, tensor);
  const generator = options.generator ?? getDefaultGenerator();
  return fill(op, tensor, () => a + (b - a) * generator.next());
}

function fillNormal(op: string, tensor: Tensor, mean: number, std: number, options: InitOptions): Tensor {
  checkFloat(op, tensor);
  const generator = options.generator ?? getDefaultGenerator();
  return fill(op, tensor, () => mean + std * generator.normal());
}

function checkFloat(op: string, tensor: Tensor): void {
  if (tensor.dtype === 'int32') {
    throw new DTypeError(
      `${op}: expected a float32 or float64 tensor, got int32 (random values would be truncated toward zero)`,
    );
  }
}

/** Fills with samples of U(a, b) (defaults 0 and 1). */
export function uniform(tensor: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  return fillUniform('uniform', tensor, a, b, options);
}

/** Fills with samples of N(mean, std²) (defaults 0 and 1). */
export function normal(tensor: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  return fillNormal('normal', tensor, mean, std, options);
}

/** Glorot uniform: U(−b, b) with b = gain · √(6 / (fanIn + fanOut)). */
export function xavierUniform(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFans(tensor);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return fillUniform('xavierUniform', tensor, -bound, bound, options);
}

/** Glorot normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)). */
export function xavierNormal(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFans(tensor);
  return fillNormal('xavierNormal', tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of the Kaiming (He) initialisers; defaults are PyTorch's. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Default `'fanIn'`. */
  mode?: FanMode;
  /** Default `'leakyRelu'` (with slope `a`, so √2 for the default a = 0). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(tensor: Tensor, options: KaimingOptions): number {
  const [fanIn, fanOut] = calculateFans(tensor);
  const fan = (options.mode ?? 'fanIn') === 'fanIn' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(−b, b) with b = gain · √(3 / fan). */
export function kaimingUniform(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(tensor, options);
  return fillUniform('kaimingUniform', tensor, -bound, bound, options);
}

/** He normal: N(0, std²) with std = gain / √fan. */
export function kaimingNormal(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  return fillNormal('kaimingNormal', tensor, 0, kaimingStd(tensor, options), options);
}
