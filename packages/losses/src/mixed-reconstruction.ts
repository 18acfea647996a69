/**
 * The reconstruction loss of an autoencoder on tabular data with binary, continuous and
 * categorical columns: one natural loss per column type, each a 'mean', then weighted.
 */
import type { Tensor } from '@xent/autograd';
import { formatShape, ShapeError, ValueError, XentError } from '@xent/tensor';
import { type ArrayLike, checkFinite, checkFloatTensor, type IntTargetLike, toFloatTensor } from './args.js';
import { binaryCrossEntropyWithLogits } from './binary.js';
import { crossEntropy } from './cross-entropy.js';

/** The decoder outputs and targets of {@link mixedReconstructionLoss}; every part is optional. */
export interface MixedReconstructionInputs {
  /** Binary columns: logits and 0/1 (or soft) targets of the same shape, e.g. `[N, B]`. */
  binary?: { logits: Tensor; target: Tensor | ArrayLike };
  /** Continuous columns: predictions and targets of the same shape, e.g. `[N, K]`. */
  continuous?: { pred: Tensor; target: Tensor | ArrayLike };
  /** One head per categorical column: logits `[N, C_j]` and integer targets `[N]`. */
  categorical?: readonly { logits: Tensor; target: IntTargetLike }[];
}

/** Options of {@link mixedReconstructionLoss}. */
export interface MixedReconstructionOptions {
  /** Weight per part (default 1 each); the categorical weight multiplies every head. */
  weights?: { binary?: number; continuous?: number; categorical?: number };
}

/** The total and the unweighted parts of {@link mixedReconstructionLoss}. */
export interface MixedReconstructionResult {
  /** w_b·binary + w_c·continuous + w_cat·Σ_j categorical[j]. */
  total: Tensor;
  /** Each part's unweighted 'mean' loss (only the parts given). */
  parts: { binary?: Tensor; continuous?: Tensor; categorical?: Tensor[] };
}

/** Runs a part's loss, prefixing its errors with the part's path (`categorical[1]: crossEntropy: …`). */
function inPart<T>(part: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof XentError) error.message = `mixedReconstructionLoss: ${part}: ${error.message}`;
    throw error;
  }
}

function checkWeight(name: string, value: number | undefined): number {
  const weight = value ?? 1;
  if (typeof weight !== 'number' || !(weight >= 0 && Number.isFinite(weight))) {
    throw new ValueError(
      `mixedReconstructionLoss: weights.${name} is ${String(weight)}, expected a finite number ≥ 0`,
    );
  }
  return weight;
}

/**
 * Reconstruction loss for mixed-type tabular data:
 *
 *   total = w_b · BCEWithLogits(binary) + w_c · MSE(continuous) + w_cat · Σ_j CE(categorical_j)
 *
 * each part a `'mean'` over its own elements (BCE over N·B entries, MSE over N·K, each CE over
 * its N rows); `parts` holds the unweighted parts so they can be logged separately. A column
 * type that is absent contributes nothing. The categorical weight multiplies every head.
 *
 * PyTorch: `w_b·F.binary_cross_entropy_with_logits(…) + w_c·F.mse_loss(…) +
 * w_cat·Σ_j F.cross_entropy(…)`, all with reduction 'mean'. Deviation: the heads are summed,
 * not averaged, so adding a categorical column adds its loss at full weight (divide
 * `weights.categorical` by the number of heads to average them).
 */
export function mixedReconstructionLoss(
  inputs: MixedReconstructionInputs,
  options: MixedReconstructionOptions = {},
): MixedReconstructionResult {
  const fn = 'mixedReconstructionLoss';
  const weights = options.weights ?? {};
  const binaryWeight = checkWeight('binary', weights.binary);
  const continuousWeight = checkWeight('continuous', weights.continuous);
  const categoricalWeight = checkWeight('categorical', weights.categorical);
  const { binary, continuous, categorical } = inputs ?? {};
  if (!binary && !continuous && (!categorical || categorical.length === 0)) {
    throw new ValueError(
      `${fn}: inputs has no binary, continuous or categorical part, expected at least one`,
    );
  }
  const parts: MixedReconstructionResult['parts'] = {};
  const terms: Tensor[] = [];
  if (binary) {
    parts.binary = inPart('binary', () => binaryCrossEntropyWithLogits(binary.logits, binary.target));
    terms.push(parts.binary.mul(binaryWeight));
  }
  if (continuous) {
    const pred = checkFloatTensor(fn, 'continuous.pred', continuous.pred);
    checkFinite(fn, 'continuous.pred', pred);
    const target = toFloatTensor(fn, 'continuous.target', continuous.target, pred.dtype);
    if (target.shape.length !== pred.shape.length || target.shape.some((d, i) => d !== pred.shape[i])) {
      throw new ShapeError(
        `${fn}: continuous.target has shape ${formatShape(target.shape)} but continuous.pred ${formatShape(pred.shape)} needs the same shape`,
      );
    }
    const error = pred.sub(target);
    parts.continuous = error.mul(error).mean();
    terms.push(parts.continuous.mul(continuousWeight));
  }
  if (categorical && categorical.length > 0) {
    parts.categorical = categorical.map((head, j) =>
      inPart(`categorical[${j}]`, () => crossEntropy(head.logits, head.target)),
    );
    const summed = parts.categorical.reduce((total, loss) => total.add(loss));
    terms.push(summed.mul(categoricalWeight));
  }
  return { total: terms.reduce((total, term) => total.add(term)), parts };
}
