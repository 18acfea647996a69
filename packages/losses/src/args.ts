/**
 * Argument handling shared by every loss: converting array-like options and float targets,
 * checking shapes, ranges and finiteness with messages that name the argument, and the
 * reductions. Every loss goes through these helpers, so every loss fails the same way.
 * Integer class targets and `ignoreIndex` live in labels.ts.
 */
import { Tensor } from '@xent/autograd';
import {
  array,
  type DType,
  formatShape,
  NDArray,
  type NestedArray,
  ShapeError,
  unravelIndex,
  ValueError,
  XentError,
} from '@xent/tensor';

/** How per-element losses are combined: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

/** A float array option (`weight`, `posWeight`, `alpha`, `priors`): a Tensor, an NDArray or plain numbers. */
export type ArrayLike = Tensor | NDArray | NestedArray;

/** Integer class targets: an int32 Tensor or NDArray, or (nested) plain integers. */
export type IntTargetLike = Tensor | NDArray | NestedArray;

/** Options every loss with a reduction accepts. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of losses with per-class weights over integer targets. */
export interface ClassWeightOptions extends ReductionOptions {
  /** One weight per class (length C). */
  weight?: ArrayLike;
}

/** Options of losses that skip targets equal to `ignoreIndex`. */
export interface IgnoreIndexOptions {
  /** Targets equal to this value count nowhere (0 in `'none'`); default -100. */
  ignoreIndex?: number;
}

/** The base options of the softmax cross-entropy family. */
export interface LossOptions extends ClassWeightOptions, IgnoreIndexOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/** PyTorch's default `ignore_index`. */
export const DEFAULT_IGNORE_INDEX = -100;

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** The reduction, checked (default `'mean'`). */
export function checkReduction(fn: string, reduction: Reduction | undefined): Reduction {
  const value = reduction ?? 'mean';
  if (!REDUCTIONS.includes(value)) {
    throw new ValueError(`${fn}: reduction is '${String(value)}', expected 'mean', 'sum' or 'none'`);
  }
  return value;
}

/**
 * Reduces per-element losses. `'mean'` divides the sum by `denominator` (a count or a
 * weight total) or, when omitted, by the number of elements. A zero denominator (every target
 * ignored, or all counted weights zero) gives 0 with a zero gradient rather than PyTorch's NaN.
 */
export function reduce(loss: Tensor, reduction: Reduction, denominator?: number | Tensor): Tensor {
  if (reduction === 'none') return loss;
  const total = loss.sum();
  if (reduction === 'sum') return total;
  const count = denominator ?? loss.size;
  const value = typeof count === 'number' ? count : count.item();
  // Σ of nothing is 0; multiplying by 0 keeps the graph (zero gradients) without dividing by 0.
  if (value === 0) return total.mul(0);
  return total.div(count);
}

/** Throws unless `value` is an autograd Tensor with a float dtype. */
export function checkFloatTensor(fn: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new XentError(`${fn}: ${name} must be a Tensor, got ${describeValue(value)}`);
  }
  if (value.dtype === 'int32') {
    throw new XentError(`${fn}: ${name} must be float32 or float64, got dtype int32`);
  }
  return value;
}

/** Throws unless `value` holds at least `rank` dimensions. */
export function checkMinRank(fn: string, name: string, value: Tensor, rank: number): void {
  if (value.ndim < rank) {
    throw new ShapeError(
      `${fn}: ${name} has shape ${formatShape(value.shape)}, expected at least ${rank} dimension${rank === 1 ? '' : 's'} (class dimension last)`,
    );
  }
}

/** Throws unless `value` has exactly `shape`; `why` names what dictates the shape. */
export function checkShape(
  fn: string,
  name: string,
  shape: readonly number[],
  expected: readonly number[],
  why: string,
): void {
  if (!sameShape(shape, expected)) {
    throw new ShapeError(
      `${fn}: ${name} has shape ${formatShape(shape)} but ${why} need ${formatShape(expected)}`,
    );
  }
}

/** Throws a ValueError naming the first NaN or ±Infinity in `value`. */
export function checkFinite(fn: string, name: string, value: Tensor | NDArray): void {
  const data = value instanceof Tensor ? value.data : value;
  const values = data.values();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v − v is NaN exactly for NaN and ±Infinity: one branch per element in the common case.
    if (v - v !== 0) {
      throw new ValueError(
        `${fn}: ${name} contains ${v} at index ${formatIndex(i, data.shape)}; expected finite values`,
      );
    }
  }
}

/** Throws unless every element of `value` is in [0, 1] (and finite). */
export function checkUnitInterval(fn: string, name: string, value: Tensor | NDArray): void {
  const data = value instanceof Tensor ? value.data : value;
  const values = data.values();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(
        `${fn}: ${name} contains ${v} at index ${formatIndex(i, data.shape)}; expected values in [0, 1]`,
      );
    }
  }
}

/** Throws unless `value` is a finite number in [min, max]. */
export function checkNumberIn(fn: string, name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ValueError(`${fn}: ${name} is ${String(value)}, expected a number in [${min}, ${max}]`);
  }
  return value;
}

/** Throws unless `value` is a finite number. */
export function checkFiniteNumber(fn: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${fn}: ${name} is ${String(value)}, expected a finite number`);
  }
  return value;
}

/**
 * A float option (`weight`, `posWeight`, `alpha`, `priors`, …) as a Tensor of `dtype`. A Tensor
 * of that dtype is returned as is (so gradients can flow to it); anything else is converted.
 * Values must be finite.
 */
export function toFloatTensor(fn: string, name: string, value: ArrayLike, dtype: DType): Tensor {
  let result: Tensor;
  if (value instanceof Tensor) {
    result = value.dtype === dtype ? value : value.to(dtype);
  } else if (value instanceof NDArray) {
    result = new Tensor(value.astype(dtype));
  } else if (typeof value === 'number' || Array.isArray(value)) {
    try {
      result = new Tensor(array(value, { dtype }));
    } catch (error) {
      throw new ValueError(
        `${fn}: ${name} is not a rectangular array of numbers (${(error as Error).message})`,
      );
    }
  } else {
    throw new XentError(
      `${fn}: ${name} must be a Tensor, an NDArray or an array of numbers, got ${describeValue(value)}`,
    );
  }
  checkFinite(fn, name, result);
  return result;
}

/**
 * A per-class float option as a 1-D Tensor of `numClasses` elements, e.g. `weight`:
 * `crossEntropy: weight has 4 elements, expected one per class (3)`.
 */
export function toClassVector(
  fn: string,
  name: string,
  value: ArrayLike,
  numClasses: number,
  dtype: DType,
): Tensor {
  const result = toFloatTensor(fn, name, value, dtype);
  if (result.ndim !== 1 || result.size !== numClasses) {
    const what = result.ndim === 1 ? `${result.size} elements` : `shape ${formatShape(result.shape)}`;
    throw new ShapeError(`${fn}: ${name} has ${what}, expected one per class (${numClasses})`);
  }
  return result;
}

/**
 * A float target with the shape of `like` (values in [0, 1], finite) as a Tensor of its dtype.
 * A Tensor of that dtype is kept as is, so gradients flow to soft targets.
 */
export function toFloatTarget(
  fn: string,
  name: string,
  target: ArrayLike,
  like: Tensor,
  likeName: string,
): Tensor {
  const result = toFloatTensor(fn, name, target, like.dtype);
  if (!sameShape(result.shape, like.shape)) {
    throw new ShapeError(
      `${fn}: ${name} has shape ${formatShape(result.shape)}, expected the shape of ${likeName} ${formatShape(like.shape)}`,
    );
  }
  checkUnitInterval(fn, name, result);
  return result;
}

/**
 * A float option that broadcasts to `like`'s shape (`weight`, `posWeight`, `mask`), as a Tensor of
 * its dtype. With `perClass`, a 1-D option must have one element per class (the last axis) or a
 * single element (PyTorch's `pos_weight=torch.tensor([w])` idiom, one weight for every class).
 */
export function broadcastOption(
  fn: string,
  name: string,
  value: ArrayLike,
  like: Tensor,
  perClass = false,
): Tensor {
  const result = toFloatTensor(fn, name, value, like.dtype);
  const shape = like.shape;
  const numClasses = shape[shape.length - 1];
  if (perClass && result.ndim === 1 && shape.length > 0 && result.size !== 1 && result.size !== numClasses) {
    throw new ShapeError(
      `${fn}: ${name} has ${result.size} elements, expected one per class (${numClasses}) or a single one`,
    );
  }
  const lead = shape.length - result.ndim;
  const broadcasts = lead >= 0 && result.shape.every((d, i) => d === 1 || d === shape[lead + i]);
  if (!broadcasts) {
    throw new ShapeError(
      `${fn}: ${name} has shape ${formatShape(result.shape)}, which does not broadcast to ${formatShape(shape)}`,
    );
  }
  return result;
}

/** Throws unless every element of a class-vector option is ≥ 0 (class weights, priors). */
export function checkNonNegative(fn: string, name: string, value: Tensor): void {
  const values = value.data.values();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0)) {
      throw new ValueError(
        `${fn}: ${name} contains ${values[i]} at index ${formatIndex(i, value.shape)}; expected values ≥ 0`,
      );
    }
  }
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The multi-index `[i, j, …]` of flat position `flat` in a row-major `shape`. */
export function formatIndex(flat: number, shape: readonly number[]): string {
  return formatShape(unravelIndex(flat, shape));
}

/** How an error names a value of the wrong kind: its class, `null`, or its typeof. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
