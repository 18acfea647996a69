/**
 * Argument handling shared by every loss: converting array-like options and integer targets,
 * checking shapes, ranges and finiteness with messages that name the argument, and the
 * reductions. Every loss goes through these helpers, so every loss fails the same way.
 */
import { Tensor, where } from '@xent/autograd';
import {
  array,
  type DType,
  DTypeError,
  formatShape,
  IndexError,
  NDArray,
  type NestedArray,
  ShapeError,
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

/** One past the largest int32: labels are stored in Int32Arrays, so they must stay below it. */
export const INT32_LIMIT = 2 ** 31;

/**
 * The `ignoreIndex` option, checked to be an int32 integer (default -100, PyTorch's). Labels are
 * stored as int32, so a larger one would wrap and be counted as some class.
 */
export function checkIgnoreIndex(fn: string, ignoreIndex: number | undefined): number {
  const value = ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValueError(`${fn}: ignoreIndex is ${String(value)}, expected an integer`);
  }
  if (value < -INT32_LIMIT || value >= INT32_LIMIT) {
    throw new ValueError(
      `${fn}: ignoreIndex is ${value}, expected an int32 integer in [${-INT32_LIMIT}, ${INT32_LIMIT - 1}]`,
    );
  }
  return value;
}

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
    throw new XentError(`${fn}: ${name} must be a Tensor, got ${describe(value)}`);
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
      `${fn}: ${name} must be a Tensor, an NDArray or an array of numbers, got ${describe(value)}`,
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

/**
 * Integer targets as a contiguous int32 NDArray of `expectedShape` (the logits' shape without
 * the class dimension). Every entry must be an integer in [0, numClasses) or equal
 * `ignoreIndex` (when given): `crossEntropy: target has shape [4] but logits [4, 3, 2] need [4, 3]`.
 */
export function toIntTarget(
  fn: string,
  target: IntTargetLike,
  expectedShape: readonly number[],
  numClasses: number,
  options: { name?: string; ignoreIndex?: number; logitsName?: string; logitsShape?: readonly number[] } = {},
): NDArray {
  const name = options.name ?? 'target';
  let data: NDArray;
  if (target instanceof Tensor) data = target.data;
  else if (target instanceof NDArray) data = target;
  else if (typeof target === 'number' || Array.isArray(target)) {
    try {
      data = array(target, { dtype: 'float64' });
    } catch (error) {
      throw new ValueError(
        `${fn}: ${name} is not a rectangular array of numbers (${(error as Error).message})`,
      );
    }
  } else {
    throw new XentError(
      `${fn}: ${name} must be a Tensor, an NDArray or an array of integers, got ${describe(target)}`,
    );
  }
  const logitsShape = options.logitsShape ?? [...expectedShape, numClasses];
  if (data.dtype === 'int32' && !sameShape(data.shape, expectedShape) && sameShape(data.shape, logitsShape)) {
    // The usual slip: one-hot or probability targets built as int32.
    throw new DTypeError(
      `${fn}: ${name} has the logits' shape ${formatShape(data.shape)} but dtype int32; a target of that shape holds probabilities and must be float32 or float64 (class indices have shape ${formatShape(expectedShape)})`,
    );
  }
  checkShape(
    fn,
    name,
    data.shape,
    expectedShape,
    `${options.logitsName ?? 'logits'} ${formatShape(logitsShape)}`,
  );
  const values = data.values();
  const out = NDArray.empty(expectedShape, 'int32');
  const labels = out.data as Int32Array;
  const ignoreIndex = options.ignoreIndex;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === ignoreIndex) {
      labels[i] = v;
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      const allowed = ignoreIndex === undefined ? '' : ` or ignoreIndex ${ignoreIndex}`;
      const kind = Number.isInteger(v) ? 'class' : 'non-integer value';
      throw new IndexError(
        `${fn}: ${name} contains ${kind} ${v} at index ${formatIndex(i, data.shape)}; expected an integer in [0, ${numClasses})${allowed}`,
      );
    }
    labels[i] = v;
  }
  return out;
}

/**
 * A 0/1 mask of the targets that count (not equal to `ignoreIndex`), as a float Tensor of
 * `dtype`, and how many count.
 */
export function countedMask(
  labels: NDArray,
  ignoreIndex: number,
  dtype: DType,
): { mask: Tensor; count: number } {
  const values = labels.data as Int32Array;
  const mask = NDArray.empty(labels.shape, dtype);
  const maskValues = mask.data;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== ignoreIndex) {
      maskValues[i] = 1;
      count++;
    }
  }
  return { mask: new Tensor(mask), count };
}

/** `labels` with ignored entries replaced by class 0, so they can index a gather safely. */
export function safeLabels(labels: NDArray, ignoreIndex: number): NDArray {
  const source = labels.data as Int32Array;
  const out = NDArray.empty(labels.shape, 'int32');
  const values = out.data as Int32Array;
  for (let i = 0; i < source.length; i++) values[i] = source[i] === ignoreIndex ? 0 : source[i];
  return out;
}

/** Zeroes the entries of `loss` where `mask` is 0 with `where`, so NaN-free values stay NaN-free. */
export function applyMask(loss: Tensor, mask: Tensor): Tensor {
  return where(mask.data, loss, 0);
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The multi-index `[i, j, …]` of flat position `flat` in a row-major `shape`. */
export function formatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = new Array(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return formatShape(index);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
