/**
 * Focal losses: cross-entropy down-weighted on examples the model already gets right, so the
 * many easy examples (background boxes, the majority class) stop dominating the gradient.
 */
import { gather, indexSelect, logSoftmax, sigmoid, type Tensor } from '@xent/autograd';
import { ValueError } from '@xent/tensor';
import {
  type ArrayLike,
  checkFinite,
  checkFiniteNumber,
  checkFloatTensor,
  checkMinRank,
  checkNonNegative,
  checkReduction,
  type IgnoreIndexOptions,
  type IntTargetLike,
  type ReductionOptions,
  reduce,
  toClassVector,
  toFloatTarget,
} from './args.js';
import { binaryCrossEntropyWithLogits } from './binary.js';
import { checkIgnoreIndex, countedMask, safeLabels, toIntTarget } from './labels.js';

/** Options of {@link focalLoss}. */
export interface FocalLossOptions extends ReductionOptions, IgnoreIndexOptions {
  /** Focusing exponent γ ≥ 0 (default 2); 0 gives plain (α-weighted) cross-entropy. */
  gamma?: number;
  /** Per-class weight α (length C); none by default. */
  alpha?: ArrayLike;
}

/** Options of {@link sigmoidFocalLoss}. */
export interface SigmoidFocalLossOptions extends ReductionOptions {
  /** Focusing exponent γ ≥ 0 (default 2). */
  gamma?: number;
  /** Weight of the positives, α in [0, 1] (negatives get 1 − α); default 0.25; α < 0 disables it. */
  alpha?: number;
}

/**
 * The smallest base of the modulating factor (1 − p)^γ: below it the factor is held constant,
 * so γ < 1 never meets the infinite slope of x^γ at 0 (value change < tiny^γ · loss).
 */
function modulatingFloor(dtype: string): number {
  return dtype === 'float64' ? 1e-30 : 1e-20;
}

/**
 * Softmax focal loss (Lin et al., 2017, multi-class form), class dimension last:
 *   ℓ_n = −α_{y_n} · (1 − p_{n,y_n})^γ · log p_{n,y_n},  p = softmax(logits),
 * log p from logSoftmax. Ignored targets (`ignoreIndex`, default -100) give 0 and count
 * nowhere; `'mean'` divides by Σ α_{y_n} over counted targets with `alpha`, by their number
 * without (0 with a zero gradient when that denominator is 0, e.g. every target ignored).
 * With γ = 0 it equals {@link crossEntropy} with `weight = alpha`.
 * No PyTorch counterpart (the fixtures implement this formula in torch). Stability: 1 − p is
 * floored at 1e-30 (float64) / 1e-20 (float32) before the power, so γ ∈ (0, 1) stays finite
 * when p rounds to 1.
 */
export function focalLoss(logits: Tensor, target: IntTargetLike, options: FocalLossOptions = {}): Tensor {
  const fn = 'focalLoss';
  checkFloatTensor(fn, 'logits', logits);
  checkMinRank(fn, 'logits', logits, 1);
  const reduction = checkReduction(fn, options.reduction);
  const gamma = checkFiniteNumber(fn, 'gamma', options.gamma ?? 2);
  if (gamma < 0) throw new ValueError(`${fn}: gamma is ${gamma}, expected gamma ≥ 0`);
  checkFinite(fn, 'logits', logits);
  const numClasses = logits.shape[logits.ndim - 1];
  const ignoreIndex = checkIgnoreIndex(fn, options.ignoreIndex);
  const lead = logits.shape.slice(0, -1);
  const labels = toIntTarget(fn, target, lead, numClasses, { ignoreIndex, logitsShape: logits.shape });
  const { mask, count } = countedMask(labels, ignoreIndex, logits.dtype);
  const safe = safeLabels(labels, ignoreIndex);
  const logPTarget = gather(logSoftmax(logits), -1, safe.reshape([...lead, 1])).reshape(lead);
  let loss = logPTarget.neg();
  if (gamma > 0) {
    const miss = logPTarget.exp().neg().add(1).clamp(modulatingFloor(logits.dtype));
    loss = loss.mul(miss.pow(gamma));
  }
  let denominator: number | Tensor = count;
  if (options.alpha !== undefined) {
    const alpha = toClassVector(fn, 'alpha', options.alpha, numClasses, logits.dtype);
    checkNonNegative(fn, 'alpha', alpha);
    const targetAlpha = indexSelect(alpha, 0, safe.reshape([safe.size])).reshape(lead);
    loss = loss.mul(targetAlpha);
    denominator = targetAlpha.mul(mask).sum();
  }
  return reduce(loss.mul(mask), reduction, denominator);
}

/**
 * Sigmoid (binary, per-element) focal loss — `torchvision.ops.sigmoid_focal_loss`:
 *   p = σ(x),  ce = bce_with_logits(x, y),  p_t = p·y + (1 − p)(1 − y),
 *   ℓ = α_t · (1 − p_t)^γ · ce,  α_t = α·y + (1 − α)(1 − y)  (α < 0: α_t = 1),
 * elementwise over any shape, targets in [0, 1] (soft targets allowed, differentiable),
 * `'mean'` over all elements. Defaults as torchvision: γ = 2, α = 0.25.
 * Deviation: 1 − p_t is floored at 1e-30 (float64) / 1e-20 (float32) before the power, so
 * γ < 1 stays finite where p_t rounds to 1 (torchvision gives NaN gradients there).
 */
export function sigmoidFocalLoss(
  logits: Tensor,
  target: Tensor | ArrayLike,
  options: SigmoidFocalLossOptions = {},
): Tensor {
  const fn = 'sigmoidFocalLoss';
  checkFloatTensor(fn, 'logits', logits);
  const reduction = checkReduction(fn, options.reduction);
  const gamma = checkFiniteNumber(fn, 'gamma', options.gamma ?? 2);
  if (gamma < 0) throw new ValueError(`${fn}: gamma is ${gamma}, expected gamma ≥ 0`);
  const alpha = checkFiniteNumber(fn, 'alpha', options.alpha ?? 0.25);
  if (alpha > 1) throw new ValueError(`${fn}: alpha is ${alpha}, expected alpha ≤ 1 (or < 0 to disable)`);
  checkFinite(fn, 'logits', logits);
  const y = toFloatTarget(fn, 'target', target, logits, 'logits');
  let loss = binaryCrossEntropyWithLogits(logits, y, { reduction: 'none' });
  if (gamma > 0) {
    const p = sigmoid(logits);
    // 1 − p_t = p + y − 2py: the probability given to the wrong answer.
    const miss = p.add(y).sub(p.mul(y).mul(2)).clamp(modulatingFloor(logits.dtype));
    loss = loss.mul(miss.pow(gamma));
  }
  if (alpha >= 0) loss = loss.mul(y.mul(2 * alpha - 1).add(1 - alpha));
  return reduce(loss, reduction);
}
