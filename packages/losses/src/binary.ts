/**
 * Binary (per-element, multi-label) cross-entropies: on probabilities, on logits (with
 * positive-class weights and label smoothing), and masked for partially labelled targets.
 */
import { logSigmoid, type Tensor } from '@xent/autograd';
import type { DType } from '@xent/tensor';
import {
  type ArrayLike,
  broadcastOption,
  checkFinite,
  checkFloatTensor,
  checkNonNegative,
  checkNumberIn,
  checkReduction,
  checkUnitInterval,
  type ReductionOptions,
  reduce,
  toFloatTarget,
} from './args.js';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Per-element weight, broadcast to the input's shape (e.g. `[C]` or the full shape). */
  weight?: ArrayLike;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term (≥ 0): one per class `[C]`, a single `[1]` for every class, or any shape broadcasting to the logits. */
  posWeight?: ArrayLike;
  /** ε in [0, 1]: the target becomes y(1 − ε) + ε/2 (default 0). */
  labelSmoothing?: number;
}

/** Options of {@link maskedBinaryCrossEntropyWithLogits}. */
export interface MaskedBinaryCrossEntropyOptions extends ReductionOptions {
  /** Weight of the positive term (≥ 0): one per class `[C]`, a single `[1]` for every class, or any shape broadcasting to the logits. */
  posWeight?: ArrayLike;
}

/**
 * Where probabilities are clamped before the logarithm: [eps, 1 − eps] with eps = 1e-12 in
 * float64 (PyTorch's own backward epsilon) and 1e-7 in float32 (1 − 1e-12 rounds to 1 there).
 */
export function probabilityEpsilon(dtype: DType): number {
  return dtype === 'float64' ? 1e-12 : 1e-7;
}

/**
 * Binary cross-entropy of probabilities — PyTorch's `F.binary_cross_entropy`:
 *   ℓ = −w · [y · log p + (1 − y) · log(1 − p)],
 * elementwise over any shape; `target` has the probabilities' shape with values in [0, 1]
 * (soft targets allowed, and differentiable); `weight` broadcasts to that shape;
 * `'mean'` divides by the number of elements.
 *
 * Clamping: p is clamped to [eps, 1 − eps] ({@link probabilityEpsilon}: 1e-12 for float64,
 * 1e-7 for float32) before the logs. Inside that range values and gradients equal PyTorch's
 * (which clamps each log at −100 instead). At p exactly 0 or 1 (or closer to them than eps)
 * the value is finite, log eps ≈ −27.6 (float64) instead of PyTorch's −100, and the gradient
 * in p is 0 (the clamp is flat) rather than PyTorch's ±(1/1e-12)-sized one; the gradient in the
 * target stays −w · (log p_c − log(1 − p_c)). Prefer {@link binaryCrossEntropyWithLogits},
 * which never needs the clamp.
 */
export function binaryCrossEntropy(
  probs: Tensor,
  target: Tensor | ArrayLike,
  options: BinaryCrossEntropyOptions = {},
): Tensor {
  const fn = 'binaryCrossEntropy';
  checkFloatTensor(fn, 'probs', probs);
  const reduction = checkReduction(fn, options.reduction);
  checkUnitInterval(fn, 'probs', probs);
  const y = toFloatTarget(fn, 'target', target, probs, 'probs');
  const eps = probabilityEpsilon(probs.dtype);
  const clamped = probs.clamp(eps, 1 - eps);
  // y log p + (1 − y) log(1 − p) = y (log p − log(1 − p)) + log(1 − p), written out in full:
  const logLikelihood = y.mul(clamped.log()).add(y.neg().add(1).mul(clamped.neg().add(1).log()));
  let loss = logLikelihood.neg();
  if (options.weight !== undefined) loss = loss.mul(broadcastOption(fn, 'weight', options.weight, probs));
  return reduce(loss, reduction);
}

/**
 * Binary cross-entropy on logits — PyTorch's `F.binary_cross_entropy_with_logits`:
 *   ℓ = −w · [pw · y · log σ(x) + (1 − y) · log σ(−x)],
 * with `posWeight` pw broadcast along the last axis (one per class, or one `[1]` for all, as
 * PyTorch's `pos_weight=torch.tensor([w])`) and `weight` w broadcast to the logits' shape; `'mean'` divides by the number of elements. log σ is computed as
 * −softplus(−x), so any finite logit (±1e4 included) gives finite values and gradients.
 *
 * `labelSmoothing` ε (xent's option; PyTorch has none here) replaces y by y(1 − ε) + ε/2
 * before the loss, pulling hard 0/1 targets to ε/2 and 1 − ε/2; the gradient with respect to
 * the original target includes the factor 1 − ε. The target may be soft and is differentiable.
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor | ArrayLike,
  options: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  checkFloatTensor(fn, 'logits', logits);
  const reduction = checkReduction(fn, options.reduction);
  let loss = bceWithLogits(fn, logits, target, options.posWeight, options.labelSmoothing ?? 0);
  if (options.weight !== undefined) loss = loss.mul(broadcastOption(fn, 'weight', options.weight, logits));
  return reduce(loss, reduction);
}

/**
 * Binary cross-entropy on logits counted only where `mask` is 1 — for multi-label data where
 * some labels are unknown (not negative):
 *   per = mask · bce_with_logits(x, y, posWeight),
 * `'none'` = per (0 where masked out), `'sum'` = Σ per, `'mean'` = Σ per / Σ mask (0 with a zero
 * gradient when the mask is all zeros). `mask` (values in [0, 1], usually 0/1) broadcasts to the
 * logits' shape and carries no gradient; `target` is differentiable. No PyTorch counterpart:
 * the fixtures compute it from `binary_cross_entropy_with_logits(reduction='none')`.
 */
export function maskedBinaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor | ArrayLike,
  mask: ArrayLike,
  options: MaskedBinaryCrossEntropyOptions = {},
): Tensor {
  const fn = 'maskedBinaryCrossEntropyWithLogits';
  checkFloatTensor(fn, 'logits', logits);
  const reduction = checkReduction(fn, options.reduction);
  const weights = broadcastOption(fn, 'mask', mask, logits).detach();
  checkUnitInterval(fn, 'mask', weights);
  const loss = bceWithLogits(fn, logits, target, options.posWeight, 0).mul(weights);
  const counted = reduction === 'mean' ? weights.expand(logits.shape).sum().item() : undefined;
  return reduce(loss, reduction, counted);
}

/** −[pw · y · log σ(x) + (1 − y) · log σ(−x)] elementwise, y smoothed to y(1 − ε) + ε/2. */
function bceWithLogits(
  fn: string,
  logits: Tensor,
  target: Tensor | ArrayLike,
  posWeight: ArrayLike | undefined,
  epsilon: number,
): Tensor {
  checkFinite(fn, 'logits', logits);
  checkNumberIn(fn, 'labelSmoothing', epsilon, 0, 1);
  let y = toFloatTarget(fn, 'target', target, logits, 'logits');
  if (epsilon > 0) y = y.mul(1 - epsilon).add(epsilon / 2);
  let positive = y.mul(logSigmoid(logits));
  if (posWeight !== undefined) {
    const pw = broadcastOption(fn, 'posWeight', posWeight, logits, true);
    checkNonNegative(fn, 'posWeight', pw);
    positive = positive.mul(pw);
  }
  const negative = y.neg().add(1).mul(logSigmoid(logits.neg()));
  return positive.add(negative).neg();
}
