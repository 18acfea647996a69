/**
 * Reductions over one, several or all axes, with `keepDims`. On contiguous data whose
 * reduced axes form one run (the last axes, the leading ones, or a middle block) the backend
 * reduces the data where it lies; otherwise the reduced axes are moved last and copied.
 */
import { getBackend, type ReduceOp } from './backend.js';
import { type DType, floatResult } from './dtype.js';
import { div, mul, sub } from './elementwise.js';
import { formatShape, IndexError, ValueError } from './errors.js';
import { NDArray } from './ndarray.js';
import { normalizeAxes, reducedShape, sizeOf } from './shape.js';

/** Which axes a reduction collapses and whether they stay as size 1. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1 so the result broadcasts against the input. */
  keepDims?: boolean;
}

function reduce(op: ReduceOp, name: string, a: NDArray, options: ReduceOptions, dtype: DType): NDArray {
  const axes = normalizeAxes(name, options.axis, a.ndim);
  const shape = a.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const reduced = sizeOf(axes.map((i) => shape[i]));
  const outer = sizeOf(kept.map((i) => shape[i]));
  const out = NDArray.empty(reducedShape(shape, axes, options.keepDims ?? false), dtype);
  if (outer === 0) return out;
  if (reduced === 0) {
    if (op === 'sum') return out;
    if (op === 'logsumexp') {
      out.data.fill(Number.NEGATIVE_INFINITY);
      return out;
    }
    throw new ValueError(
      `${name}: cannot reduce axis ${formatShape(axes)} of shape ${formatShape(shape)}: it has no elements (expected at least one)`,
    );
  }
  const backend = getBackend();
  const layout = a.isContiguous ? middleLayout(shape, axes) : null;
  if (layout && layout.inner === 1) backend.reduce(op, a, outer, reduced, out);
  else if (layout && backend.reduceMiddle) {
    backend.reduceMiddle(op, a, layout.outer, reduced, layout.inner, out);
  } else backend.reduce(op, a.permute([...kept, ...axes]).contiguous(), outer, reduced, out);
  return out;
}

/**
 * When the reduced axes form one run in a row-major array (ignoring size-1 axes), the data
 * is `[outer, reduced, inner]` as it lies: returns `outer` and `inner`. Null otherwise (as
 * for axes 0 and 2 of a 3-D array), when the axes must be moved last and copied.
 */
function middleLayout(
  shape: readonly number[],
  axes: readonly number[],
): { outer: number; inner: number } | null {
  let outer = 1;
  let inner = 1;
  let phase: 'before' | 'reducing' | 'after' = 'before';
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 1) continue;
    const isReduced = axes.includes(axis);
    if (phase === 'before' && !isReduced) outer *= shape[axis];
    else if (phase !== 'after' && isReduced) phase = 'reducing';
    else if (!isReduced) {
      phase = 'after';
      inner *= shape[axis];
    } else return null;
  }
  return { outer, inner };
}

/** Sum over `axis` (all axes by default); int32 stays int32. */
export function sum(a: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce('sum', 'sum', a, options, a.dtype);
}

/** Arithmetic mean over `axis`; always floating. */
export function mean(a: NDArray, options: ReduceOptions = {}): NDArray {
  const axes = normalizeAxes('mean', options.axis, a.ndim);
  const count = sizeOf(axes.map((i) => a.shape[i]));
  const total = reduce('sum', 'mean', a, options, floatResult(a.dtype));
  return div(total, count);
}

/** Largest element over `axis` (NaN propagates). */
export function max(a: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce('max', 'max', a, options, a.dtype);
}

/** Smallest element over `axis` (NaN propagates). */
export function min(a: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce('min', 'min', a, options, a.dtype);
}

/** Index (int32) of the first largest element along one axis, or of the flattened array. */
export function argmax(a: NDArray, options: { axis?: number; keepDims?: boolean } = {}): NDArray {
  return argReduce('argmax', a, options);
}

/** Index (int32) of the first smallest element along one axis, or of the flattened array. */
export function argmin(a: NDArray, options: { axis?: number; keepDims?: boolean } = {}): NDArray {
  return argReduce('argmin', a, options);
}

/** argmax / argmin: along one axis, or over the flattened array (all-ones shape with keepDims). */
function argReduce(
  op: 'argmax' | 'argmin',
  a: NDArray,
  options: { axis?: number; keepDims?: boolean },
): NDArray {
  if (Array.isArray(options.axis)) {
    throw new IndexError(`${op}: axis must be a single number, got ${formatShape(options.axis)}`);
  }
  if (options.axis !== undefined) return reduce(op, op, a, options, 'int32');
  const flat = reduce(op, op, a.flatten(), {}, 'int32');
  return options.keepDims ? flat.reshape(a.shape.map(() => 1)) : flat;
}

/** log Σ exp(a) over `axis`, computed as m + log Σ exp(a − m) so it never overflows. */
export function logsumexp(a: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce('logsumexp', 'logsumexp', a, options, floatResult(a.dtype));
}

/**
 * Variance over `axis`: Σ (a − mean)² / (n − correction). `correction` defaults to 1 (the
 * unbiased estimator), as in `torch.var`.
 */
export function variance(a: NDArray, options: ReduceOptions & { correction?: number } = {}): NDArray {
  const axes = normalizeAxes('variance', options.axis, a.ndim);
  const count = sizeOf(axes.map((i) => a.shape[i]));
  const deviation = sub(a, mean(a, { axis: axes, keepDims: true }));
  const squares = sum(mul(deviation, deviation), { axis: axes, keepDims: options.keepDims });
  return div(squares, Math.max(0, count - (options.correction ?? 1)));
}
