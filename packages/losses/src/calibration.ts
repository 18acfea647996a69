/**
 * Calibration: how honest predicted probabilities are (ECE with reliability-diagram data, the
 * Brier score) and temperature scaling to repair an over-confident model. Plain numbers, no graph.
 */
import type { NDArray } from '@xent/tensor';
import { formatShape, ShapeError, ValueError } from '@xent/tensor';
import { type ArrayLike, checkUnitInterval, type IntTargetLike, sameShape } from './args.js';
import { toIntTarget } from './labels.js';
import { argmaxRows, checkClassRows, shapeOf, toValues } from './metrics.js';

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
  /** Newton/bisection iterations, an integer ≥ 1 (default 100). */
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
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new ValueError(`${fn}: maxIter is ${String(maxIter)}, expected an integer ≥ 1`);
  }
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
