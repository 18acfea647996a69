import { Tensor } from '@xent/autograd';
import { NDArray, ValueError } from '@xent/tensor';

/**
 * Rescales the gradients of `params` so that their joint norm is at most `maxNorm`
 * (PyTorch's `clip_grad_norm_`). The norm is taken over all gradients together, as if
 * concatenated: the p-norm for a finite `normType` (default 2), the largest |g| for
 * `Infinity` or `'inf'`. Every gradient is multiplied by min(1, maxNorm / (norm + 1e-6)),
 * PyTorch's rule (the 1e-6 keeps a zero norm finite). Returns the norm before clipping
 * (a number; PyTorch returns a tensor). Parameters without a gradient are skipped. The
 * gradients are replaced by new tensors rather than written in place, since after a
 * backward two leaves may share one gradient tensor.
 */
export function clipGradNorm(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType: number | 'inf' = 2,
): number {
  const order = normType === 'inf' ? Number.POSITIVE_INFINITY : normType;
  if (!(order > 0)) throw new ValueError(`clipGradNorm: normType must be positive or 'inf', got ${normType}`);
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const withGrad = [...params].filter((p): p is Tensor & { grad: Tensor } => p.grad !== null);
  let total = 0;
  for (const param of withGrad) {
    const values = param.grad.data.values();
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]);
      if (order === Number.POSITIVE_INFINITY) total = Math.max(total, magnitude);
      else total += magnitude ** order;
    }
  }
  if (order !== Number.POSITIVE_INFINITY) total **= 1 / order;
  const coefficient = Math.min(1, maxNorm / (total + 1e-6));
  for (const param of withGrad) {
    param.grad = mapGradient(param.grad, (g) => g * coefficient);
  }
  return total;
}

/** Clamps every gradient element of `params` to [−clipValue, clipValue] (PyTorch's `clip_grad_value_`). */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ValueError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const param of params) {
    if (param.grad) param.grad = mapGradient(param.grad, (g) => Math.min(clipValue, Math.max(-clipValue, g)));
  }
}

/** A new gradient tensor with `fn` applied to each element. */
function mapGradient(grad: Tensor, fn: (g: number) => number): Tensor {
  const out = NDArray.empty(grad.shape, grad.dtype);
  const source = grad.data.values();
  const target = out.data;
  for (let i = 0; i < source.length; i++) target[i] = fn(source[i]);
  return new Tensor(out);
}
