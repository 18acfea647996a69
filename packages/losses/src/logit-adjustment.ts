/**
 * Logit adjustment for long-tailed labels (Menon et al., 2021): shift logits by τ log π so a
 * classifier trained on skewed priors π scores classes as if they were balanced — during
 * training ({@link logitAdjustedCrossEntropy}) or after it ({@link adjustLogits}).
 */
import type { Tensor } from '@xent/autograd';
import { ValueError } from '@xent/tensor';
import {
  type ArrayLike,
  checkFinite,
  checkFiniteNumber,
  checkFloatTensor,
  checkMinRank,
  type IntTargetLike,
  toClassVector,
} from './args.js';
import { type CrossEntropyOptions, crossEntropyAs } from './cross-entropy.js';

/** Options of {@link logitAdjustedCrossEntropy}: the priors, τ, and every {@link crossEntropy} option. */
export interface LogitAdjustedCrossEntropyOptions extends CrossEntropyOptions {
  /** Class priors π (length C, all > 0), e.g. training-set class frequencies. */
  priors: ArrayLike;
  /** Strength τ of the adjustment (default 1). */
  tau?: number;
}

/** Options of {@link adjustLogits}. */
export interface AdjustLogitsOptions {
  /** Priors the logits were trained under (length C, > 0); uniform 1/C when omitted. */
  from?: ArrayLike;
  /** Priors to score under (length C, > 0); uniform 1/C when omitted. */
  to?: ArrayLike;
  /** Strength τ (default 1). */
  tau?: number;
}

/** τ · log π as a [C] Tensor, with π checked positive. */
function logPriors(fn: string, name: string, priors: ArrayLike, logits: Tensor, tau: number): Tensor {
  const numClasses = logits.shape[logits.ndim - 1];
  const values = toClassVector(fn, name, priors, numClasses, logits.dtype);
  const data = values.data.values();
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] > 0)) {
      throw new ValueError(`${fn}: ${name} contains ${data[i]} at index [${i}]; expected priors > 0`);
    }
  }
  return values.log().mul(tau);
}

/**
 * Logit-adjusted softmax cross-entropy: `crossEntropy(logits + τ · log π, target, options)`
 * with π = `priors` broadcast along the last axis (class dimension last). Training with it
 * makes the plain logits approximate the balanced (prior-free) classifier, so predict with
 * `argmax(logits)` afterwards. Priors need not sum to 1 (a constant shift changes nothing).
 * PyTorch: `F.cross_entropy(logits + tau * priors.log(), target, ...)`; every crossEntropy rule
 * (weights, ignoreIndex, label smoothing, reductions, all-ignored mean = 0) applies unchanged,
 * and its argument errors name `logitAdjustedCrossEntropy`.
 */
export function logitAdjustedCrossEntropy(
  logits: Tensor,
  target: IntTargetLike,
  options: LogitAdjustedCrossEntropyOptions,
): Tensor {
  const fn = 'logitAdjustedCrossEntropy';
  checkFloatTensor(fn, 'logits', logits);
  checkMinRank(fn, 'logits', logits, 1);
  const { priors, tau = 1, ...rest } = options ?? ({} as LogitAdjustedCrossEntropyOptions);
  if (priors === undefined) throw new ValueError(`${fn}: options.priors is required (one prior per class)`);
  checkFiniteNumber(fn, 'tau', tau);
  checkFinite(fn, 'logits', logits);
  return crossEntropyAs(fn, logits.add(logPriors(fn, 'priors', priors, logits, tau)), target, rest);
}

/**
 * Post-hoc logit adjustment: `logits + τ · (log to − log from)` along the last axis — moves
 * scores trained under class priors `from` to priors `to`. An omitted prior is uniform (1/C), so
 * `adjustLogits(logits, { from: trainPriors })` gives the balanced classifier, and with both
 * omitted (or equal) the logits come back unchanged. Differentiable in the logits (and in Tensor
 * priors). No PyTorch counterpart. Non-finite logits throw, as in every loss.
 */
export function adjustLogits(logits: Tensor, options: AdjustLogitsOptions = {}): Tensor {
  const fn = 'adjustLogits';
  checkFloatTensor(fn, 'logits', logits);
  checkMinRank(fn, 'logits', logits, 1);
  const tau = checkFiniteNumber(fn, 'tau', options.tau ?? 1);
  checkFinite(fn, 'logits', logits);
  if (options.from === undefined && options.to === undefined) return logits;
  const numClasses = logits.shape[logits.ndim - 1];
  const uniform = new Array<number>(numClasses).fill(1 / numClasses);
  const toLog = logPriors(fn, 'to', options.to ?? uniform, logits, tau);
  const fromLog = logPriors(fn, 'from', options.from ?? uniform, logits, tau);
  return logits.add(toLog.sub(fromLog));
}
