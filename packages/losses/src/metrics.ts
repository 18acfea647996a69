/**
 * Metrics: plain numbers computed on the values (typed arrays), never a graph. Inputs may be
 * Tensors (their values are read; gradients are irrelevant), NDArrays or nested number arrays.
 */
import { Tensor } from '@xent/autograd';
import { formatShape, NDArray, type NestedArray, ShapeError, ValueError } from '@xent/tensor';
import {
  type ArrayLike,
  checkUnitInterval,
  DEFAULT_IGNORE_INDEX,
  type IntTargetLike,
  sameShape,
  toFloatTensor,
  toIntTarget,
} from './args.js';

/** Float input of a metric as a float64 NDArray, finite. */
function toValues(fn: string, name: string, value: ArrayLike): NDArray {
  return toFloatTensor(fn, name, value, 'float64').data;
}

/** The shape of an array-like without converting it. */
function shapeOf(value: IntTargetLike): number[] {
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

function checkClassRows(fn: string, name: string, values: NDArray): [number, number] {
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
  const ignoreIndex = options.ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  const targetShape = shapeOf(target);
  const scores = toValues(fn, 'predictions', predictions);
  let predicted: Int32Array;
  let labels: NDArray;
  if (sameShape(scores.shape, targetShape)) {
    predicted = toIntTarget(fn, scores, targetShape, Number.POSITIVE_INFINITY, { name: 'predictions' })
      .data as Int32Array;
    labels = toIntTarget(fn, target, targetShape, Number.POSITIVE_INFINITY, {
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

function argmaxRows(values: globalThis.ArrayLike<number>, width: number): Int32Array {
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
 * for which thresholding each calibrated sigmoid at 0.5 is Bayes-optimal.
 *
 * Reference: sklearn `hamming_loss(target, probs > threshold)`; torchmetrics'
 * `MultilabelHammingDistance` (which also uses `>`).
 */
export function hammingLoss(probs: ArrayLike, target: ArrayLike, threshold = 0.5): number {
  const fn = 'hammingLoss';
  const values = toValues(fn, 'probs', probs);
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

/** One equal-width confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** The bin is (lower, upper] (the first also holds 0). */
  lower: number;
  upper: number;
  /** Number of samples whose confidence falls in the bin. */
  count: number;
  /** Fraction of them predicted right (0 when empty). */
  accuracy: number;
  /** Their mean confidence (0 when empty). */
  confidence: number;
}

/** What {@link expectedCalibrationError} returns. */
export interface CalibrationResult {
  /** ECE = Σ_b (n_b / N) |accuracy_b − confidence_b|. */
  ece: number;
  /** MCE = max over non-empty bins of |accuracy_b − confidence_b|. */
  maxCalibrationError: number;
  /** Per-bin data for a reliability diagram, lowest confidence first. */
  bins: ReliabilityBin[];
}

/** Predicted class and its probability per row; 1-D probs are P(class 1) of a binary problem. */
function confidences(fn: string, values: NDArray): { predicted: Int32Array; confidence: Float64Array } {
  checkUnitInterval(fn, 'probs', values);
  if (values.ndim === 1) {
    const p = values.values();
    const predicted = Int32Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
    return { predicted, confidence: Float64Array.from(p, (v) => Math.max(v, 1 - v)) };
  }
  const [rows, classes] = checkClassRows(fn, 'probs', values);
  const p = values.values();
  const predicted = argmaxRows(p, classes);
  const confidence = new Float64Array(rows);
  for (let r = 0; r < rows; r++) confidence[r] = p[r * classes + predicted[r]];
  return { predicted, confidence };
}

/**
 * Expected calibration error with equal-width bins on the confidence (the top-class
 * probability): bin b = ((b − 1)/B, b/B], ECE = Σ_b (n_b / N) |acc_b − conf_b| (Naeini et al.
 * 2015; Guo et al. 2017, "On Calibration of Modern Neural Networks"). Also returns the
 * maximum calibration error and every bin's count, accuracy and mean confidence for a
 * reliability diagram.
 *
 * `probs` is `[N, C]` (rows of class probabilities) or `[N]` (P(class 1) of a binary
 * problem, confidence max(p, 1 − p)); `labels` are integer classes `[N]`.
 * Reference: torchmetrics `MulticlassCalibrationError(norm='l1')` (same bins).
 */
export function expectedCalibrationError(
  probs: ArrayLike,
  labels: IntTargetLike,
  options: { bins?: number } = {},
): CalibrationResult {
  const fn = 'expectedCalibrationError';
  const numBins = options.bins ?? 15;
  if (!Number.isInteger(numBins) || numBins < 1) {
    throw new ValueError(`${fn}: bins is ${String(numBins)}, expected an integer ≥ 1`);
  }
  const values = toValues(fn, 'probs', probs);
  const { predicted, confidence } = confidences(fn, values);
  const classes = values.ndim === 1 ? 2 : values.shape[1];
  const truth = toIntTarget(fn, labels, [confidence.length], classes, {
    name: 'labels',
    logitsName: 'probs',
    logitsShape: values.shape,
  }).data as Int32Array;
  const counts = new Float64Array(numBins);
  const hits = new Float64Array(numBins);
  const confidenceSums = new Float64Array(numBins);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i];
    // Bin b holds (b/B, (b+1)/B]; the nudges correct the rounding of c · B at the edges.
    let bin = Math.min(numBins - 1, Math.max(0, Math.ceil(c * numBins) - 1));
    while (bin > 0 && c <= bin / numBins) bin--;
    while (bin < numBins - 1 && c > (bin + 1) / numBins) bin++;
    counts[bin]++;
    confidenceSums[bin] += c;
    if (predicted[i] === truth[i]) hits[bin]++;
  }
  let ece = 0;
  let maxCalibrationError = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const count = counts[b];
    const binAccuracy = count > 0 ? hits[b] / count : 0;
    const binConfidence = count > 0 ? confidenceSums[b] / count : 0;
    if (count > 0) {
      const gap = Math.abs(binAccuracy - binConfidence);
      ece += (count / confidence.length) * gap;
      maxCalibrationError = Math.max(maxCalibrationError, gap);
    }
    bins.push({
      lower: b / numBins,
      upper: (b + 1) / numBins,
      count,
      accuracy: binAccuracy,
      confidence: binConfidence,
    });
  }
  return { ece, maxCalibrationError, bins };
}

/**
 * Brier score: the mean squared distance between predicted probabilities and the target
 * distribution, `mean_n Σ_c (p_nc − y_nc)²` (Brier 1950) for `probs [N, C]` with integer labels
 * `[N]` (one-hot) or probability targets `[N, C]`. For 1-D `probs` (P(class 1)) and 0/1 or soft
 * targets `[N]` it is the binary form `mean_n (p_n − y_n)²`, sklearn's `brier_score_loss`.
 * Note the multi-class form ranges over [0, 2], the binary one over [0, 1].
 */
export function brierScore(probs: ArrayLike, target: ArrayLike | IntTargetLike): number {
  const fn = 'brierScore';
  const values = toValues(fn, 'probs', probs);
  checkUnitInterval(fn, 'probs', values);
  const p = values.values();
  const targetShape = shapeOf(target);
  if (values.ndim === 1 || sameShape(values.shape, targetShape)) {
    const truth = toValues(fn, 'target', target);
    if (!sameShape(truth.shape, values.shape)) {
      throw new ShapeError(
        `${fn}: target has shape ${formatShape(truth.shape)} but probs ${formatShape(values.shape)} needs the same shape`,
      );
    }
    checkUnitInterval(fn, 'target', truth);
    const y = truth.values();
    let total = 0;
    for (let i = 0; i < p.length; i++) total += (p[i] - y[i]) ** 2;
    return total / (values.ndim === 1 ? p.length : values.shape[0]);
  }
  const [rows, classes] = checkClassRows(fn, 'probs', values);
  const labels = toIntTarget(fn, target, [rows], classes, { logitsName: 'probs' }).data as Int32Array;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < classes; c++) total += (p[r * classes + c] - (labels[r] === c ? 1 : 0)) ** 2;
  }
  return total / rows;
}

/** Options of {@link temperatureScale}. */
export interface TemperatureScaleOptions {
  /** Newton/bisection iterations (default 100). */
  maxIter?: number;
  /** Search range of T (default [1e-3, 1e3]); the result is clamped to it. */
  range?: [number, number];
}

/** What {@link temperatureScale} returns. */
export interface TemperatureScaleResult {
  /** The fitted T > 0: use `softmax(logits / T)`. */
  temperature: number;
  /** Mean NLL (nats) of `softmax(logits)`. */
  nllBefore: number;
  /** Mean NLL (nats) of `softmax(logits / T)`; never above `nllBefore` (T = 1 is in the default range). */
  nllAfter: number;
}

/**
 * Temperature scaling (Guo et al. 2017): the single T > 0 minimising the mean NLL of
 * `softmax(logits / T)` on held-out `logits [N, C]` and integer `labels [N]`. T > 1 softens an
 * over-confident model; the argmax (and so accuracy) is unchanged.
 *
 * With β = 1/T the NLL f(β) = mean_n [logsumexp(β z_n) − β z_{n,y}] is convex, with
 * f'(β) = mean_n (E_{softmax(βz_n)}[z] − z_{n,y}) and f''(β) = mean_n Var_{softmax(βz_n)}[z] ≥ 0,
 * so a Newton iteration safeguarded by bisection on f' finds the global minimum exactly
 * (rather than the LBFGS fit of the paper's reference code). When the minimum lies outside
 * `range` (e.g. perfectly separable logits, whose NLL keeps falling as T → 0) T is clamped.
 */
export function temperatureScale(
  logits: ArrayLike,
  labels: IntTargetLike,
  options: TemperatureScaleOptions = {},
): TemperatureScaleResult {
  const fn = 'temperatureScale';
  const values = toValues(fn, 'logits', logits);
  const [rows, classes] = checkClassRows(fn, 'logits', values);
  if (rows === 0) throw new ShapeError(`${fn}: logits has no rows, expected at least one`);
  const truth = toIntTarget(fn, labels, [rows], classes, { name: 'labels' }).data as Int32Array;
  const [minT, maxT] = options.range ?? [1e-3, 1e3];
  if (!(minT > 0 && maxT > minT && Number.isFinite(maxT))) {
    throw new ValueError(`${fn}: range is [${minT}, ${maxT}], expected 0 < min < max < ∞`);
  }
  const maxIter = options.maxIter ?? 100;
  const z = values.values();

  /** f(β), f'(β), f''(β) at inverse temperature β. */
  const evaluate = (beta: number): [number, number, number] => {
    let value = 0;
    let slope = 0;
    let curvature = 0;
    for (let r = 0; r < rows; r++) {
      const row = r * classes;
      let best = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) best = Math.max(best, beta * z[row + c]);
      let total = 0;
      let mean = 0;
      let second = 0;
      for (let c = 0; c < classes; c++) {
        const weight = Math.exp(beta * z[row + c] - best);
        total += weight;
        mean += weight * z[row + c];
        second += weight * z[row + c] * z[row + c];
      }
      mean /= total;
      const target = z[row + truth[r]];
      value += best + Math.log(total) - beta * target;
      slope += mean - target;
      curvature += Math.max(0, second / total - mean * mean);
    }
    return [value / rows, slope / rows, curvature / rows];
  };

  const nllBefore = evaluate(1)[0];
  let low = 1 / maxT;
  let high = 1 / minT;
  let beta: number;
  if (evaluate(low)[1] >= 0) beta = low;
  else if (evaluate(high)[1] <= 0) beta = high;
  else {
    beta = 1;
    for (let iteration = 0; iteration < maxIter; iteration++) {
      const [, slope, curvature] = evaluate(beta);
      if (slope === 0) break;
      if (slope < 0) low = beta;
      else high = beta;
      const newton = curvature > 0 ? beta - slope / curvature : Number.NaN;
      const next = newton > low && newton < high ? newton : (low + high) / 2;
      if (Math.abs(next - beta) <= 1e-14 * beta) {
        beta = next;
        break;
      }
      beta = next;
    }
  }
  const nllAfter = evaluate(beta)[0];
  return { temperature: 1 / beta, nllBefore, nllAfter };
}
