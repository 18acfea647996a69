/**
 * Reductions over one, several or all axes, with `keepDims`. The reduced axes are moved
 * last (a view) so the backend always reduces the inner run of a contiguous block; when
 * the reduced axes already are the last ones of a contiguous array no copy is made.
 */
import { getBackend, type ReduceOp } from './backend.js';
import { type DType, floatResult } from './dtype.js';
import { div, mul, sub } from './elementwise.js';
import { formatShape, ValueError } from './errors.js';
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
  const inner = sizeOf(axes.map((i) => shape[i]));
  const outer = sizeOf(kept.map((i) => shape[i]));
  const out = NDArray.empty(reducedShape(shape, axes, options.keepDims ?? false), dtype);
  if (outer === 0) return out;
  if (inner === 0) {
    if (op === 'sum') return out;
    if (op === 'logsumexp') {
      out.data.fill(Number.NEGATIVE_INFINITY);
      return out;
    }
    throw new ValueError(`${name}: cannot reduce an empty axis of shape ${formatShape(shape)}`);
  }
  const block = a.permute([...kept, ...axes]).contiguous();
  getBackend().reduce(op, block, outer, inner, out);
  return out;
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
  if (options.axis === undefined) return reduce('argmax', 'argmax', a.flatten(), {}, 'int32');
  return reduce('argmax', 'argmax', a, options, 'int32');
}

/** Index (int32) of the first smallest element along one axis, or of the flattened array. */
export function argmin(a: NDArray, options: { axis?: number; keepDims?: boolean } = {}): NDArray {
  if (options.axis === undefined) return reduce('argmin', 'argmin', a.flatten(), {}, 'int32');
  return reduce('argmin', 'argmin', a, options, 'int32');
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
  const axes = normalizeAxes('var', options.axis, a.ndim);
  const count = sizeOf(axes.map((i) => a.shape[i]));
  const deviation = sub(a, mean(a, { axis: axes, keepDims: true }));
  const squares = sum(mul(deviation, deviation), { axis: axes, keepDims: options.keepDims });
  return div(squares, Math.max(0, count - (options.correction ?? 1)));
}
