import { getBackend } from './backend.js';
import { floatResult } from './dtype.js';
import { NDArray } from './ndarray.js';
import { normalizeAxis } from './shape.js';

function softmaxAlong(a: NDArray, axis: number, log: boolean, op: string): NDArray {
  const ax = normalizeAxis(op, axis, a.ndim);
  const last = a.ndim - 1;
  // Move the softmax axis last (a view), run row-wise, and move it back.
  const moved = ax === last ? a : a.transpose(ax, last);
  const source = moved.dtype === 'int32' ? moved.astype('float32') : moved.contiguous();
  const out = NDArray.empty(source.shape, floatResult(a.dtype));
  const cols = source.shape[last] ?? 1;
  const rows = cols === 0 ? 0 : source.size / cols;
  if (rows > 0) getBackend().softmax(source, rows, cols, out, log);
  return ax === last ? out : out.transpose(ax, last).contiguous();
}

/** exp(a) / Σ exp(a) along `axis` (default last), stable at any logit. */
export function softmax(a: NDArray, axis = -1): NDArray {
  return softmaxAlong(a, axis, false, 'softmax');
}

/** a − logsumexp(a) along `axis` (default last), stable at any logit. */
export function logSoftmax(a: NDArray, axis = -1): NDArray {
  return softmaxAlong(a, axis, true, 'logSoftmax');
}
