/**
 * The fused forward and backward of softmax cross-entropy with integer targets — the hot path
 * of every classifier. One pass per row computes the row maximum, the exponentials and the
 * loss; the backward writes (s·softmax − q)·g / denominator over the stored exponentials, with
 * q the weighted, smoothed target of the row and s = Σ_c q_c (1 without weights or smoothing). The
 * whole loss is ONE autograd node. Its backward checks the grad mode: under `createGraph` it is
 * composed of differentiable ops (softmax of the logits), so second derivatives are exact.
 * A test holds it equal, in value and gradient, to `crossEntropyComposed`.
 */
import { type GradNode, isGradEnabled, softmax, Tensor } from '@xent/autograd';
import { type FloatArray, NDArray, type TypedArray } from '@xent/tensor';
import { checkFinite, type Reduction } from './args.js';

/** The checked options of a fused call. */
export interface FusedArgs {
  /** C, the size of the last axis. */
  numClasses: number;
  /** Class weights (length C), or null for all ones. */
  weight: TypedArray | null;
  /** Targets equal to it count nowhere. */
  ignoreIndex: number;
  /** Label smoothing ε in [0, 1]. */
  epsilon: number;
  /** How the per-row losses are combined. */
  reduction: Reduction;
}

/**
 * Cross-entropy of `logits [..., C]` against contiguous int32 `labels [...]` (already range
 * checked) with PyTorch's weight / ignoreIndex / label-smoothing / reduction rules.
 */
export function fusedCrossEntropy(logits: Tensor, labels: NDArray, args: FusedArgs): Tensor {
  const { numClasses: C, weight, ignoreIndex, epsilon, reduction } = args;
  const x = logits.data.values() as FloatArray;
  const y = labels.data as Int32Array;
  const rows = y.length;
  const exps = logits.dtype === 'float64' ? new Float64Array(rows * C) : new Float32Array(rows * C);
  const invSums = new Float64Array(rows);
  const rowLoss = new Float64Array(rows);
  let weightTotal = 0;
  if (weight) for (let k = 0; k < C; k++) weightTotal += weight[k];
  else weightTotal = C;
  const smoothing = epsilon / C;
  let denominator = 0;
  const fast = exps instanceof Float32Array;
  let consumed = false;
  const recomputeExps = () => {
    for (let n = 0, offset = 0; n < rows; n++, offset += C) {
      const max = rowMax(x, offset, C);
      if (fast) expRowFloat32(x as Float32Array, exps as Float32Array, offset, C, max);
      else expRow(x, exps, offset, C, max);
    }
  };
  for (let n = 0, offset = 0; n < rows; n++, offset += C) {
    let max = Number.NEGATIVE_INFINITY;
    let rowTotal = 0;
    for (let k = 0; k < C; k++) {
      const v = x[offset + k];
      if (v > max) max = v;
      rowTotal += v;
    }
    // The row total is NaN or ±Infinity exactly when some logit is (float32 sums cannot overflow a double).
    if (rowTotal - rowTotal !== 0) checkFinite('crossEntropy', 'logits', logits);
    const sum = fast
      ? expRowFloat32(x as Float32Array, exps as Float32Array, offset, C, max)
      : expRow(x, exps, offset, C, max);
    let weightedCentred = 0; // Σ_k w_k (x_k − max): centred, so huge logits do not cancel
    if (smoothing > 0)
      for (let k = 0; k < C; k++) weightedCentred += (weight ? weight[k] : 1) * (x[offset + k] - max);
    invSums[n] = 1 / sum;
    const label = y[n];
    if (label === ignoreIndex) continue;
    const logSum = Math.log(sum); // logsumexp − max
    const labelWeight = weight ? weight[label] : 1;
    let loss = labelWeight * (logSum - (x[offset + label] - max));
    if (smoothing > 0) loss = (1 - epsilon) * loss + smoothing * (logSum * weightTotal - weightedCentred);
    rowLoss[n] = loss;
    denominator += labelWeight;
  }
  const scale = reduction === 'mean' ? (denominator === 0 ? 0 : 1 / denominator) : 1;
  const dtype = logits.dtype;
  let value: NDArray;
  if (reduction === 'none') {
    value = NDArray.empty(labels.shape, dtype);
    (value.data as FloatArray).set(rowLoss);
  } else {
    let total = 0;
    for (let n = 0; n < rows; n++) total += rowLoss[n];
    value = NDArray.empty([], dtype);
    value.data[0] = total * scale;
  }
  if (!(isGradEnabled() && logits.requiresGrad)) return new Tensor(value);

  const output = new Tensor(value, { requiresGrad: true });
  const node: GradNode = {
    name: 'crossEntropy',
    inputs: [logits],
    backward: (gradOutput) => {
      if (isGradEnabled()) return [composedBackward(logits, labels, args, gradOutput, scale)];
      // The gradient is written over the stored exponentials (no second [rows, C] array). A
      // second backward through a retained graph finds them consumed and recomputes them.
      if (consumed) recomputeExps();
      consumed = true;
      const grad = exps;
      const g = gradOutput.data.values();
      for (let n = 0, offset = 0; n < rows; n++, offset += C) {
        const label = y[n];
        if (label === ignoreIndex) {
          grad.fill(0, offset, offset + C);
          continue;
        }
        const factor = (reduction === 'none' ? g[n] : g[0]) * scale;
        const labelWeight = weight ? weight[label] : 1;
        // d ℓ_n / d x_k = s_n p_k − q_k with q = (1 − ε) w_y onehot + (ε/C) w, s_n = Σ_k q_k.
        const rowTotal = (1 - epsilon) * labelWeight + smoothing * weightTotal;
        scaleRow(grad, offset, C, factor * rowTotal * invSums[n]);
        if (smoothing > 0) {
          const b = factor * smoothing;
          for (let k = 0; k < C; k++) grad[offset + k] -= b * (weight ? weight[k] : 1);
        }
        grad[offset + label] -= factor * (1 - epsilon) * labelWeight;
      }
      return [new Tensor(NDArray.fromStorage(grad, logits.shape))];
    },
  };
  output.gradFn = node;
  return output;
}

/** The largest of x[offset .. offset + width). */
function rowMax(x: FloatArray, offset: number, width: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = offset; k < offset + width; k++) if (x[k] > max) max = x[k];
  return max;
}

/** x[offset .. offset + width) *= factor. */
function scaleRow(x: FloatArray, offset: number, width: number, factor: number): void {
  for (let k = offset; k < offset + width; k++) x[k] *= factor;
}

/** exps[k] = exp(x[k] − max) over one row with Math.exp (float64: exact to the last bit of libm); returns Σ. */
function expRow(x: FloatArray, exps: FloatArray, offset: number, width: number, max: number): number {
  let sum = 0;
  for (let k = offset; k < offset + width; k++) {
    const e = Math.exp(x[k] - max);
    exps[k] = e;
    sum += e;
  }
  return sum;
}

// exp(v) for v ≤ 0 as 2^(−j/64) · e^r: j = round(−v·64·log2 e), |r| ≤ ln 2 / 128, 2^(−j/64) from
// one table, e^r by a cubic Taylor polynomial. Relative error < 4e-11, far below float32's 6e-8,
// and about three times faster than Math.exp. Only the float32 kernel uses it; below e^−104 the
// result is 0, as it is in float32. @xent/tensor's expFloat32 (float32 `exp`) is the same idea for
// any x; this one is specialised to v ≤ 0 (no sign or overflow branches, one table lookup), which
// measured ~20 % faster over the whole fused fwd+bwd ([4096, 1000]: 29–31 against 37–38 ms CPU).
const EXP_SCALE = 64 * Math.LOG2E;
const EXP_STEP = Math.LN2 / 64;
const EXP_LIMIT = 64 * 150;
const TWO_POW_NEGATIVE = Float64Array.from({ length: EXP_LIMIT + 1 }, (_, j) => 2 ** (-j / 64));

/** The float32 row kernel: exps[k] = exp(x[k] − max) with the table exponential; returns Σ (in double). */
export function expRowFloat32(
  x: Float32Array,
  exps: Float32Array,
  offset: number,
  width: number,
  max: number,
): number {
  let sum = 0;
  for (let k = offset; k < offset + width; k++) {
    const y = (max - x[k]) * EXP_SCALE; // ≥ 0
    let e = 0;
    if (y < EXP_LIMIT) {
      const j = (y + 0.5) | 0;
      const r = (j - y) * EXP_STEP;
      e = TWO_POW_NEGATIVE[j] * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
    }
    exps[k] = e;
    sum += e;
  }
  return sum;
}

/**
 * The same gradient, (s ⊙ softmax(logits) − q) · g · scale, built from differentiable ops so
 * that `createGraph` records it: its derivative in the logits goes through `softmax`, and in
 * the incoming gradient through the products.
 */
function composedBackward(
  logits: Tensor,
  labels: NDArray,
  args: FusedArgs,
  gradOutput: Tensor,
  scale: number,
): Tensor {
  const { numClasses: C, weight, ignoreIndex, epsilon, reduction } = args;
  const y = labels.data as Int32Array;
  const rows = y.length;
  const smoothing = epsilon / C;
  let weightTotal = 0;
  for (let k = 0; k < C; k++) weightTotal += weight ? weight[k] : 1;
  const target = NDArray.empty(logits.shape, logits.dtype);
  const rowTotals = NDArray.empty([...labels.shape, 1], logits.dtype);
  const q = target.data;
  for (let n = 0, offset = 0; n < rows; n++, offset += C) {
    const label = y[n];
    if (label === ignoreIndex) continue;
    const labelWeight = weight ? weight[label] : 1;
    for (let k = 0; k < C; k++) q[offset + k] = smoothing * (weight ? weight[k] : 1);
    q[offset + label] += (1 - epsilon) * labelWeight;
    rowTotals.data[n] = (1 - epsilon) * labelWeight + smoothing * weightTotal;
  }
  const perRow = softmax(logits).mul(new Tensor(rowTotals)).sub(new Tensor(target));
  const factor = reduction === 'none' ? gradOutput.reshape([...labels.shape, 1]) : gradOutput;
  return perRow.mul(factor.mul(scale));
}
