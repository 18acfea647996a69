/**
 * Dawid–Skene: the EM estimate of each item's true class from noisy crowd labels, learning
 * one confusion matrix per annotator. Plain numbers on typed arrays; no graph.
 */
import { Tensor } from '@xent/autograd';
import { NDArray, ValueError } from '@xent/tensor';
import { type CrowdLabelsLike, checkNumClasses, NO_LABEL, toCrowdLabels, voteFractions } from './crowd.js';

/** Options of {@link dawidSkene}. */
export interface DawidSkeneOptions {
  /** K, the number of classes (≥ 2). */
  numClasses: number;
  /** Maximum number of EM iterations (M-step + E-step); default 100. */
  maxIter?: number;
  /** Stop when the objective gains less than this in one iteration; default 1e-6. */
  tol?: number;
  /** Additive (Laplace) smoothing added to every confusion and prior count; default 0.01. */
  smoothing?: number;
}

/** What {@link dawidSkene} returns. */
export interface DawidSkeneResult {
  /** P(true class of item i = k | labels), float64 `[items, K]`, rows sum to 1. Soft labels for `crossEntropy`. */
  posteriors: Tensor;
  /** Estimated class priors π_k (length K, sums to 1). */
  priors: number[];
  /** `confusions[a][k][l]` = P(annotator a says l | true class k); each row sums to 1. */
  confusions: number[][][];
  /** The objective after each iteration (see {@link dawidSkene}); never decreases. */
  logLikelihood: number[];
  /** Iterations run. */
  iterations: number;
  /** True when the last gain was below `tol` (false when `maxIter` ran out first). */
  converged: boolean;
}

/**
 * Dawid & Skene's EM for crowd labels (Dawid & Skene 1979, "Maximum likelihood estimation of
 * observer error-rates using the EM algorithm").
 *
 * Model: item i has a hidden class z_i ~ π; annotator a, shown item i, says l with probability
 * θ_a[z_i][l]. Missing labels (−1) are missing at random and simply left out of the product.
 *
 * - Initialisation: the posteriors T are the majority-vote fractions ({@link majorityVote}).
 * - M-step: θ_a[k][l] ∝ Σ_i T_ik [y_ia = l] + s and π_k ∝ Σ_i T_ik + s, with s = `smoothing`
 *   (the MAP estimate under a symmetric Dirichlet(1 + s) prior). The prior uses only items
 *   somebody labelled.
 * - E-step, in log space: log T_ik = log π_k + Σ_{a labelled i} log θ_a[k][y_ia] − logsumexp_k(…).
 * - The recorded objective is log p(labels | θ, π) + s·(Σ_{a,k,l} log θ_a[k][l] + Σ_k log π_k),
 *   the quantity MAP-EM provably never decreases; with `smoothing: 0` it is exactly the
 *   marginal log-likelihood. Iteration stops when it gains less than `tol`.
 *
 * Edge cases: an annotator who labelled nothing keeps uniform confusion rows (1/K) and has no
 * influence; an item nobody labelled gets the priors as its posterior. A confusion row with no
 * mass at all (possible only with `smoothing: 0`) is uniform.
 *
 * Deviation from the paper: the additive smoothing (0.01 by default) keeps every log θ finite,
 * so one unexpected label never makes a class impossible.
 *
 * @param labels items × annotators, class indices in [0, K) or −1 for no label.
 */
export function dawidSkene(labels: CrowdLabelsLike, options: DawidSkeneOptions): DawidSkeneResult {
  const fn = 'dawidSkene';
  const K = checkNumClasses(fn, options?.numClasses);
  const { maxIter = 100, tol = 1e-6, smoothing = 0.01 } = options;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new ValueError(`${fn}: maxIter is ${maxIter}, expected an integer ≥ 1`);
  }
  if (!(tol >= 0)) throw new ValueError(`${fn}: tol is ${tol}, expected a number ≥ 0`);
  if (!(smoothing >= 0 && Number.isFinite(smoothing))) {
    throw new ValueError(`${fn}: smoothing is ${smoothing}, expected a finite number ≥ 0`);
  }
  const crowd = toCrowdLabels(fn, labels, K);
  const { items: I, annotators: A, values } = crowd;

  const labelled = new Uint8Array(I);
  for (let i = 0; i < I; i++) {
    for (let a = 0; a < A; a++) if (values[i * A + a] !== NO_LABEL) labelled[i] = 1;
  }

  const posteriors = voteFractions(crowd, K); // T, [I, K]
  const priors = new Float64Array(K);
  const confusions = new Float64Array(A * K * K); // θ, [A, K, K]
  const logPriors = new Float64Array(K);
  const logConfusions = new Float64Array(A * K * K);
  const scores = new Float64Array(K);
  const trace: number[] = [];
  let converged = false;
  let iterations = 0;

  while (iterations < maxIter) {
    iterations++;
    // M-step: smoothed expected counts, normalised per confusion row and for the priors.
    confusions.fill(smoothing);
    priors.fill(smoothing);
    for (let i = 0; i < I; i++) {
      if (!labelled[i]) continue;
      for (let k = 0; k < K; k++) {
        const weight = posteriors[i * K + k];
        priors[k] += weight;
        for (let a = 0; a < A; a++) {
          const label = values[i * A + a];
          if (label !== NO_LABEL) confusions[(a * K + k) * K + label] += weight;
        }
      }
    }
    normaliseRows(priors, 1, K);
    normaliseRows(confusions, A * K, K);
    for (let n = 0; n < K; n++) logPriors[n] = Math.log(priors[n]);
    for (let n = 0; n < logConfusions.length; n++) logConfusions[n] = Math.log(confusions[n]);

    // E-step in log space; the objective is accumulated on the way.
    let objective = 0;
    for (let i = 0; i < I; i++) {
      const row = posteriors.subarray(i * K, (i + 1) * K);
      if (!labelled[i]) {
        row.set(priors);
        continue;
      }
      let best = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) {
        let score = logPriors[k];
        for (let a = 0; a < A; a++) {
          const label = values[i * A + a];
          if (label !== NO_LABEL) score += logConfusions[(a * K + k) * K + label];
        }
        scores[k] = score;
        if (score > best) best = score;
      }
      if (best === Number.NEGATIVE_INFINITY) {
        // Every class impossible (only with smoothing 0 and contradictory labels): fall back to the priors.
        row.set(priors);
        objective += best;
        continue;
      }
      let total = 0;
      for (let k = 0; k < K; k++) total += Math.exp(scores[k] - best);
      const logEvidence = best + Math.log(total);
      objective += logEvidence;
      for (let k = 0; k < K; k++) row[k] = Math.exp(scores[k] - logEvidence);
    }
    // The Dirichlet log-prior term; skipped at s = 0, where log 0 = −∞ would meet 0 · −∞.
    if (smoothing > 0) {
      let logPrior = 0;
      for (const v of logConfusions) logPrior += v;
      for (const v of logPriors) logPrior += v;
      objective += smoothing * logPrior;
    }
    trace.push(objective);
    if (trace.length > 1 && objective - trace[trace.length - 2] < tol) {
      converged = true;
      break;
    }
  }

  const nested: number[][][] = [];
  for (let a = 0; a < A; a++) {
    const matrix: number[][] = [];
    for (let k = 0; k < K; k++)
      matrix.push(Array.from(confusions.subarray((a * K + k) * K, (a * K + k + 1) * K)));
    nested.push(matrix);
  }
  return {
    posteriors: new Tensor(NDArray.fromStorage(posteriors, [I, K])),
    priors: Array.from(priors),
    confusions: nested,
    logLikelihood: trace,
    iterations,
    converged,
  };
}

/** Normalises `rows` consecutive rows of `width` to sum to 1; a row summing to 0 becomes uniform. */
function normaliseRows(values: Float64Array, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    const row = values.subarray(r * width, (r + 1) * width);
    let total = 0;
    for (const v of row) total += v;
    if (total > 0) for (let k = 0; k < width; k++) row[k] /= total;
    else row.fill(1 / width);
  }
}
