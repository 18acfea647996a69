/**
 * Metrics: plain numbers computed on the values (typed arrays), never a graph. Inputs may be
 * Tensors (their values are read; gradients are irrelevant), NDArrays or nested number arrays.
 * Calibration metrics live in calibration.ts and share the input helpers exported here.
 */
import { Tensor } from '@xent/autograd';
import { formatShape, NDArray, type NestedArray, ShapeError, ValueError } from '@xent/tensor';
import {
  type ArrayLike,
  checkNumberIn,
  checkUnitInterval,
  type IntTargetLike,
  sameShape,
  toFloatTensor,
} from './args.js';
import { checkIgnoreIndex, INT32_LIMIT, toIntTarget } from './labels.js';

/** Float input of a metric as a float64 NDArray, finite. */
export function toValues(fn: string, name: string, value: ArrayLike): NDArray {
  return toFloatTensor(fn, name, value, 'float64').data;
}

/** The shape of an array-like without converting it. */
export function shapeOf(value: IntTargetLike): number[] {
  if (value instanceof Tensor || value instanceof NDArray) return value.shape;
  const shape: number[] = [];
  let level: NestedArray = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

/** `[N, C]` of a 2-D score array (rows of class scores); throws unless it has that rank and C ≥ 1. */
export function checkClassRows(fn: string, name: string, values: NDArray): [number, number] {
  if (values.ndim !== 2 || values.shape[1] < 1) {
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(values.shape)}, expected [N, C]`);
  }
  return [values.shape[0], values.shape[1]];
}

/** Options of {@link accuracy}. */
export interface AccuracyOptions {
  /** Targets equal to this value are not counted (default -100). */
  ignoreIndex?: number;
}

/**
 * The fraction of counted targets predicted right. `predictions` are either scores
 * `[..., C]` (logits or probabilities; the prediction is the argmax of the last axis, the
 * first maximum on ties) or predicted labels of the target's shape. Targets equal to
 * `ignoreIndex` count nowhere; with nothing to count the result is NaN.
 *
 * PyTorch: `(scores.argmax(-1) == target)[target != ignore_index].float().mean()`.
 */
export function accuracy(
  predictions: ArrayLike,
  target: IntTargetLike,
  options: AccuracyOptions = {},
): number {
  const fn = 'accuracy';
  const ignoreIndex = checkIgnoreIndex(fn, options.ignoreIndex);
  const targetShape = shapeOf(target);
  const scores = toValues(fn, 'predictions', predictions);
  let predicted: Int32Array;
  let labels: NDArray;
  if (sameShape(scores.shape, targetShape)) {
    // Predicted labels against labels: any class an int32 holds (larger ones would wrap).
    predicted = toIntTarget(fn, scores, targetShape, INT32_LIMIT, { name: 'predictions' }).data as Int32Array;
    labels = toIntTarget(fn, target, targetShape, INT32_LIMIT, {
      ignoreIndex,
      logitsName: 'predictions',
      logitsShape: scores.shape,
    });
  } else {
    if (scores.ndim < 1) {
      throw new ShapeError(`${fn}: predictions is a scalar, expected scores [..., C] or labels`);
    }
    const classes = scores.shape[scores.ndim - 1];
    const rowShape = scores.shape.slice(0, -1);
    labels = toIntTarget(fn, target, rowShape, classes, {
      ignoreIndex,
      logitsName: 'predictions',
      logitsShape: scores.shape,
    });
    predicted = argmaxRows(scores.values(), classes);
  }
  const truth = labels.data as Int32Array;
  let counted = 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === ignoreIndex) continue;
    counted++;
    if (predicted[i] === truth[i]) correct++;
  }
  return correct / counted;
}

export function argmaxRows(values: globalThis.ArrayLike<number>, width: number): Int32Array {
  const rows = values.length / width;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[r * width + c] > values[r * width + best]) best = c;
    out[r] = best;
  }
  return out;
}

function scalar(fn: string, name: string, value: number | Tensor): number {
  const number = value instanceof Tensor ? value.item() : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new ValueError(`${fn}: ${name} is ${String(number)}, expected a finite number`);
  }
  return number;
}

/**
 * exp(mean NLL): the effective number of equally likely choices per token. The argument is
 * the mean negative log-likelihood per token in nats, e.g. `crossEntropy(...)` with 'mean'.
 * Perplexities are comparable only between models with the same tokenisation (see
 * {@link bitsPerCharacter}).
 *
 * PyTorch: `torch.exp(F.cross_entropy(logits, target))`. Accepts a one-element Tensor too.
 */
export function perplexity(meanNllNats: number | Tensor): number {
  const nll = scalar('perplexity', 'meanNllNats', meanNllNats);
  if (nll < 0) throw new ValueError(`perplexity: meanNllNats is ${nll}, expected a number ≥ 0`);
  return Math.exp(nll);
}

/**
 * Total NLL in bits divided by the number of characters: `totalNllNats / (numChars · ln 2)`.
 * Normalising by characters rather than tokens makes models with different tokenisers
 * comparable: the total log-likelihood of a text does not depend on how it was cut.
 *
 * PyTorch: `F.cross_entropy(logits, target, reduction='sum') / (num_chars * math.log(2))`.
 */
export function bitsPerCharacter(totalNllNats: number | Tensor, numChars: number): number {
  const fn = 'bitsPerCharacter';
  const total = scalar(fn, 'totalNllNats', totalNllNats);
  if (total < 0) throw new ValueError(`${fn}: totalNllNats is ${total}, expected a number ≥ 0`);
  if (!Number.isInteger(numChars) || numChars < 1) {
    throw new ValueError(`${fn}: numChars is ${String(numChars)}, expected an integer ≥ 1`);
  }
  return total / (numChars * Math.LN2);
}

/**
 * The fraction of label entries predicted wrong in a multi-label problem: entry (n, c) is
 * predicted present when `probs > threshold` and compared with the 0/1 `target`. The metric
 * for which thresholding each calibrated sigmoid at 0.5 is Bayes-optimal. `probs` and
 * `threshold` must lie in [0, 1] (pass `sigmoid(logits)`, not logits).
 *
 * Reference: sklearn `hamming_loss(target, probs > threshold)`; torchmetrics'
 * `MultilabelHammingDistance` (which also uses `>`).
 */
export function hammingLoss(probs: ArrayLike, target: ArrayLike, threshold = 0.5): number {
  const fn = 'hammingLoss';
  checkNumberIn(fn, 'threshold', threshold, 0, 1);
  const values = toValues(fn, 'probs', probs);
  checkUnitInterval(fn, 'probs', values);
  const truth = toValues(fn, 'target', target);
  if (!sameShape(values.shape, truth.shape)) {
    throw new ShapeError(
      `${fn}: target has shape ${formatShape(truth.shape)} but probs ${formatShape(values.shape)} needs the same shape`,
    );
  }
  if (values.size === 0) throw new ShapeError(`${fn}: probs is empty, expected at least one entry`);
  const p = values.values();
  const y = truth.values();
  let wrong = 0;
  for (let i = 0; i < p.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new ValueError(`${fn}: target contains ${y[i]} at flat index ${i}; expected 0 or 1`);
    }
    if ((p[i] > threshold ? 1 : 0) !== y[i]) wrong++;
  }
  return wrong / p.length;
}
