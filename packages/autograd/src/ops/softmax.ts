/** Softmax, log-softmax, norms and similarities along an axis. */
import * as nd from '@xent/tensor';
import { constant, record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { clamp, div, exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';

/** exp(a) / Σ exp(a) along `axis` (default last). */
export function softmax(a: Tensor, axis = -1): Tensor {
  // ds/da · g = s ⊙ (g − Σ g ⊙ s)
  return record('softmax', nd.softmax(a.data, axis), [a], (g, out) => [
    mul(out, sub(g, sum(mul(g, out), axis, true))),
  ]);
}

/** a − logsumexp(a) along `axis` (default last); finite for any finite logits. */
export function logSoftmax(a: Tensor, axis = -1): Tensor {
  // d logsoftmax/da · g = g − softmax(a) ⊙ Σ g
  return record('logSoftmax', nd.logSoftmax(a.data, axis), [a], (g, out) => [
    sub(g, mul(exp(out), sum(g, axis, true))),
  ]);
}

/**
 * The Euclidean norm over `axis`, or over every element when `axis` is omitted (as
 * `torch.linalg.vector_norm` and `Tensor.norm()`; pass `-1` for one norm per row). Its
 * gradient a/‖a‖ is taken as 0 where ‖a‖ = 0 (the subgradient PyTorch uses), so zero
 * vectors never produce NaN.
 */
export function norm(a: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = nd.normalizeAxes('norm', axis, a.ndim);
  const value = nd.sqrt(nd.sum(nd.square(a.data), { axis: axes, keepDims: true }));
  const out = keepDims ? value : value.reshape(nd.reducedShape(a.shape, axes, false));
  return record('norm', out, [a], (g, output) => {
    const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const safe = constant(nd.where(nd.equal(value, 0), 1, 0));
    // d‖a‖/da = a / ‖a‖ (0 where ‖a‖ = 0)
    return [mul(g.reshape(kept), div(a, output.reshape(kept).add(safe)))];
  });
}

/** `a / max(‖a‖, eps)` along `axis` (PyTorch's `F.normalize` with p = 2, eps = 1e-12). */
export function normalize(a: Tensor, options: { axis?: number; eps?: number } = {}): Tensor {
  const axis = options.axis ?? -1;
  return div(a, clamp(norm(a, axis, true), options.eps ?? 1e-12));
}

/**
 * Cosine similarity along `axis`: Σ (a / max(‖a‖, eps)) (b / max(‖b‖, eps)), PyTorch's
 * `F.cosine_similarity` (eps = 1e-8); inputs broadcast.
 */
export function cosineSimilarity(
  a: Tensor,
  b: Tensor,
  options: { axis?: number; eps?: number } = {},
): Tensor {
  const axis = options.axis ?? -1;
  const eps = options.eps ?? 1e-8;
  return sum(mul(normalize(a, { axis, eps }), normalize(b, { axis, eps })), axis);
}
