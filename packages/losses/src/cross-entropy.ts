/**
 * Softmax cross-entropy and the negative log-likelihood, with PyTorch's rules for class
 * weights, ignored targets, label smoothing and reductions. The composed forms here are the
 * reference; {@link crossEntropy} with integer targets runs the fused kernel of
 * `fused-cross-entropy.ts`, which a test holds equal to {@link crossEntropyComposed}.
 */
import { gather, indexSelect, logSoftmax, Tensor } from '@xent/autograd';
import { array, type NDArray, NDArray as NDArrayClass } from '@xent/tensor';
import {
  type ArrayLike,
  checkFinite,
  checkFloatTensor,
  checkMinRank,
  checkNonNegative,
  checkNumberIn,
  checkReduction,
  checkUnitInterval,
  type IgnoreIndexOptions,
  type IntTargetLike,
  type LossOptions,
  type Reduction,
  type ReductionOptions,
  reduce,
  sameShape,
  toClassVector,
} from './args.js';
import { fusedCrossEntropy } from './fused-cross-entropy.js';
import { checkIgnoreIndex, countedMask, safeLabels, toIntTarget } from './labels.js';

/** Options of {@link crossEntropy}: `weight`, `ignoreIndex` (-100), `labelSmoothing` (0), `reduction` ('mean'). */
export type CrossEntropyOptions = LossOptions;

/** Options of {@link nllLoss}. */
export interface NllLossOptions extends ReductionOptions, IgnoreIndexOptions {
  /** One weight per class (length C). */
  weight?: ArrayLike;
}

/** A target of {@link crossEntropy}: integer classes `[...]`, or probabilities of the logits' shape `[..., C]`. */
export type CrossEntropyTarget = IntTargetLike;

/** Arguments of the softmax family after conversion and checks. */
interface ClassArgs {
  numClasses: number;
  weight: Tensor | null;
  ignoreIndex: number;
  epsilon: number;
  reduction: Reduction;
}

function parseClassArgs(fn: string, logits: Tensor, options: LossOptions): ClassArgs {
  checkMinRank(fn, fn === 'nllLoss' ? 'logProbs' : 'logits', logits, 1);
  const numClasses = logits.shape[logits.ndim - 1];
  let weight: Tensor | null = null;
  if (options.weight !== undefined) {
    weight = toClassVector(fn, 'weight', options.weight, numClasses, logits.dtype);
    checkNonNegative(fn, 'weight', weight);
  }
  const ignoreIndex = checkIgnoreIndex(fn, options.ignoreIndex);
  const epsilon = checkNumberIn(fn, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
  return { numClasses, weight, ignoreIndex, epsilon, reduction: checkReduction(fn, options.reduction) };
}

/**
 * The target as a probability Tensor when it has the logits' shape and a float dtype (or is a
 * plain nested array of that shape); null when it must be read as integer classes.
 */
function probabilityTarget(target: CrossEntropyTarget, logits: Tensor): Tensor | null {
  if (target instanceof Tensor) {
    if (target.dtype === 'int32' || !sameShape(target.shape, logits.shape)) return null;
    return target.dtype === logits.dtype ? target : target.to(logits.dtype);
  }
  if (target instanceof NDArrayClass) {
    if (target.dtype === 'int32' || !sameShape(target.shape, logits.shape)) return null;
    return new Tensor(target.astype(logits.dtype));
  }
  if (!Array.isArray(target)) return null;
  let values: NDArray;
  try {
    values = array(target, { dtype: logits.dtype });
  } catch {
    return null; // toIntTarget reports the ragged array
  }
  return sameShape(values.shape, logits.shape) ? new Tensor(values) : null;
}

/**
 * Cross-entropy between `softmax(logits)` along the last axis and the target — PyTorch's
 * `F.cross_entropy`, with the class dimension LAST: logits `[..., C]`.
 *
 * Integer targets (shape `[...]`, classes in [0, C) or `ignoreIndex`), per element n:
 *   ℓ_n = (1 − ε) · w_{y_n} · (−log p_{n,y_n}) + (ε / C) · Σ_c w_c · (−log p_{n,c}),
 * with p = softmax(logits), w the class `weight` (all 1 without it), ε = `labelSmoothing`.
 * Ignored targets give ℓ_n = 0 and count nowhere. `'mean'` divides Σ ℓ_n by Σ w_{y_n} over
 * the counted targets (their number without weights) — PyTorch's rule, which also applies to
 * the smoothing term.
 *
 * Probability targets (same shape as the logits, entries in [0, 1]; rows need not sum to 1):
 *   ℓ_n = −Σ_c w_c · q_{n,c} · log p_{n,c},  q = (1 − ε) · target + ε / C,
 * and `'mean'` divides by the number of rows (not by weights), as PyTorch does. The gradient
 * with respect to the target flows when it requires grad.
 *
 * Deviations from PyTorch: the class axis is last (PyTorch's is 1); when every target is
 * ignored (or the counted targets' weights sum to 0), `'mean'` is 0 with a zero gradient
 * (PyTorch gives NaN).
 * Stability: log p comes from logSoftmax, so any finite logits (±1e4 included) give finite
 * values and gradients. Integer targets run a fused kernel: one node whose backward is, per
 * counted row, (s·softmax − q)·g / denominator with q_c = (1 − ε)·w_y·[c = y] + (ε/C)·w_c and
 * s = Σ_c q_c; under `createGraph` that backward is composed of differentiable ops, so
 * higher-order gradients are exact. For float32 logits the kernel uses a
 * table exponential (relative error < 4e-11, below float32 rounding); float64 uses Math.exp.
 */
export function crossEntropy(
  logits: Tensor,
  target: CrossEntropyTarget,
  options: CrossEntropyOptions = {},
): Tensor {
  return crossEntropyAs('crossEntropy', logits, target, options, true);
}

/** The composed reference form of {@link crossEntropy} (never fused); same arguments and result. */
export function crossEntropyComposed(
  logits: Tensor,
  target: CrossEntropyTarget,
  options: CrossEntropyOptions = {},
): Tensor {
  return crossEntropyAs('crossEntropy', logits, target, options, false);
}

/**
 * {@link crossEntropy} whose errors name `fn` (e.g. `logitAdjustedCrossEntropy`, which calls it
 * on adjusted logits); `allowFused: false` gives the composed reference form.
 */
export function crossEntropyAs(
  fn: string,
  logits: Tensor,
  target: CrossEntropyTarget,
  options: CrossEntropyOptions,
  allowFused = true,
): Tensor {
  checkFloatTensor(fn, 'logits', logits);
  const args = parseClassArgs(fn, logits, options);
  const { numClasses, weight, epsilon, reduction } = args;
  const probabilities = probabilityTarget(target, logits);
  if (probabilities !== null) {
    checkFinite(fn, 'logits', logits);
    checkUnitInterval(fn, 'target', probabilities);
    const smoothed = epsilon > 0 ? probabilities.mul(1 - epsilon).add(epsilon / numClasses) : probabilities;
    const weighted = weight ? smoothed.mul(weight) : smoothed;
    const perRow = weighted.mul(logSoftmax(logits)).sum(-1).neg();
    return reduce(perRow, reduction);
  }
  const labels = toIntTarget(fn, target, logits.shape.slice(0, -1), numClasses, {
    ignoreIndex: args.ignoreIndex,
    logitsShape: logits.shape,
  });
  if (allowFused && !weight?.requiresGrad) {
    return fusedCrossEntropy(logits, labels, { ...args, weight: weight?.data.values() ?? null });
  }
  checkFinite(fn, 'logits', logits);
  return nllFromLogProbs(logSoftmax(logits), labels, args);
}

/**
 * The negative log-likelihood of integer targets under log-probabilities `[..., C]` —
 * PyTorch's `F.nll_loss` with the class dimension last:
 *   ℓ_n = −w_{y_n} · logProbs_{n,y_n},
 * ignored targets 0, `'mean'` = Σ ℓ_n / Σ w_{y_n} over counted targets. `logProbs` is taken as
 * given (use {@link crossEntropy} on logits for the stable softmax). Deviation: when every
 * target is ignored (or the counted targets' weights sum to 0), `'mean'` is 0 with a zero
 * gradient (PyTorch gives NaN).
 */
export function nllLoss(logProbs: Tensor, target: IntTargetLike, options: NllLossOptions = {}): Tensor {
  const fn = 'nllLoss';
  checkFloatTensor(fn, 'logProbs', logProbs);
  const args = parseClassArgs(fn, logProbs, options);
  checkFinite(fn, 'logProbs', logProbs);
  const labels = toIntTarget(fn, target, logProbs.shape.slice(0, -1), args.numClasses, {
    ignoreIndex: args.ignoreIndex,
    logitsName: 'logProbs',
    logitsShape: logProbs.shape,
  });
  return nllFromLogProbs(logProbs, labels, args);
}

/** PyTorch's weighted, smoothed NLL of int32 `labels` under `logProbs`, composed from autograd ops. */
function nllFromLogProbs(logProbs: Tensor, labels: NDArray, args: ClassArgs): Tensor {
  const { numClasses, weight, ignoreIndex, epsilon, reduction } = args;
  const lead = labels.shape;
  const { mask, count } = countedMask(labels, ignoreIndex, logProbs.dtype);
  const safe = safeLabels(labels, ignoreIndex);
  const picked = gather(logProbs, -1, safe.reshape([...lead, 1])).reshape(lead);
  let perRow = picked.neg();
  let denominator: number | Tensor = count;
  if (weight) {
    const targetWeight = indexSelect(weight, 0, safe.reshape([safe.size])).reshape(lead);
    perRow = perRow.mul(targetWeight);
    denominator = targetWeight.mul(mask).sum();
  }
  if (epsilon > 0) {
    // PyTorch: the smoothing term is Σ_c w_c (−log p_c), divided by the same denominator.
    const smooth = (weight ? logProbs.mul(weight) : logProbs).sum(-1).neg();
    perRow = perRow.mul(1 - epsilon).add(smooth.mul(epsilon / numClasses));
  }
  return reduce(perRow.mul(mask), reduction, denominator);
}
