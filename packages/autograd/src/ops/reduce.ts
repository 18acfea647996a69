/** Differentiable reductions. The gradient of a reduction is broadcast back over the reduced axes. */
import * as nd from '@xent/tensor';
import { constant, record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { div, exp, mul, sub } from './elementwise.js';

/** Axis or axes to reduce; every axis when undefined. */
export type Axis = number | readonly number[] | undefined;

function axesOf(op: string, a: Tensor, axis: Axis): number[] {
  return nd.normalizeAxes(op, axis, a.ndim);
}

/** Reshapes a reduced gradient to keepDims form and broadcasts it to `shape`. */
function expandBack(grad: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return grad.reshape(kept).expand([...shape]);
}

/** Σ a over `axis`. */
export function sum(a: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = axesOf('sum', a, axis);
  // dΣ/da = 1 on every summed element
  return record('sum', nd.sum(a.data, { axis: axes, keepDims }), [a], (g) => [expandBack(g, a.shape, axes)]);
}

/** Mean of a over `axis` (composed: Σ a / n). */
export function mean(a: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = axesOf('mean', a, axis);
  const count = axes.reduce((n, i) => n * a.shape[i], 1);
  return div(sum(a, axes, keepDims), count);
}

function extremum(op: 'max' | 'min', a: Tensor, axis: Axis, keepDims: boolean): Tensor {
  const axes = axesOf(op, a, axis);
  const reduceFn = op === 'max' ? nd.max : nd.min;
  const value = reduceFn(a.data, { axis: axes, keepDims: true });
  const out = keepDims ? value : value.reshape(nd.reducedShape(a.shape, axes, false));
  // The gradient goes to the extreme elements, split equally between ties (like torch.amax).
  return record(op, out, [a], (g) => {
    // In a's dtype: int32 / int32 would be float32, rounding a three-way tie's 1/3.
    const hits = nd.equal(a.data, value).astype(a.dtype);
    const share = nd.div(hits, nd.sum(hits, { axis: axes, keepDims: true }));
    return [mul(expandBack(g, a.shape, axes), constant(share))];
  });
}

/** Largest element over `axis`; ties share the gradient equally. */
export function max(a: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('max', a, axis, keepDims);
}

/** Smallest element over `axis`; ties share the gradient equally. */
export function min(a: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('min', a, axis, keepDims);
}

/** log Σ exp(a) over `axis`, stable at any magnitude. */
export function logsumexp(a: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = axesOf('logsumexp', a, axis);
  // d lse/da = exp(a − lse) = softmax(a)
  return record('logsumexp', nd.logsumexp(a.data, { axis: axes, keepDims }), [a], (g, out) => {
    const lse = expandBack(out, a.shape, axes);
    return [mul(expandBack(g, a.shape, axes), exp(sub(a, lse)))];
  });
}

/** Variance over `axis` with `correction` (default 1, unbiased, as torch.var). Composed. */
export function variance(
  a: Tensor,
  axis?: Axis,
  options: { correction?: number; keepDims?: boolean } = {},
): Tensor {
  const axes = axesOf('var', a, axis);
  const count = axes.reduce((n, i) => n * a.shape[i], 1);
  const deviation = sub(a, mean(a, axes, true));
  return div(
    sum(mul(deviation, deviation), axes, options.keepDims ?? false),
    Math.max(0, count - (options.correction ?? 1)),
  );
}
