/**
 * Building soft targets and class weights from integer labels: uniform and ordinal label
 * smoothing, and the class-weight schemes used against class imbalance.
 */
import { Tensor } from '@xent/autograd';
import { type DType, NDArray, ValueError } from '@xent/tensor';
import { checkNumberIn, type IntTargetLike } from './args.js';
import { toIntTarget } from './labels.js';

/** Options of the target builders: the float dtype of the result (default float32). */
export interface TargetOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
}

/** Options of {@link classWeights}. */
export interface ClassWeightsOptions extends TargetOptions {
  /** `'inverse'` 1/n_c, `'balanced'` N/(C·n_c), or `'effective'` (1 − β)/(1 − β^n_c) scaled to sum C. */
  scheme: 'inverse' | 'balanced' | 'effective';
  /** β in [0, 1) of the effective-number scheme (default 0.999). */
  beta?: number;
}

function checkNumClasses(fn: string, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`${fn}: numClasses is ${numClasses}, expected a positive integer`);
  }
}

function floatDType(fn: string, dtype: DType | undefined): DType {
  const result = dtype ?? 'float32';
  if (result === 'int32') throw new ValueError(`${fn}: dtype is int32, expected float32 or float64`);
  return result;
}

function labelsOf(fn: string, target: IntTargetLike, numClasses: number): NDArray {
  const data = target instanceof Tensor ? target.data : target instanceof NDArray ? target : null;
  const shape = data ? data.shape : shapeOfNested(target);
  return toIntTarget(fn, target, shape, numClasses, {
    logitsName: 'numClasses',
    logitsShape: [...shape, numClasses],
  });
}

function shapeOfNested(value: IntTargetLike): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/**
 * Uniform label smoothing (Szegedy et al., 2016): integer targets `[...]` → probability targets
 * `[..., C]` equal to (1 − ε)·onehot + ε/C. Each row sums to 1. Passing the result to
 * {@link crossEntropy} equals `crossEntropy(logits, target, { labelSmoothing: ε })` without
 * weights.
 */
export function uniformSmoothing(
  target: IntTargetLike,
  numClasses: number,
  epsilon: number,
  options: TargetOptions = {},
): Tensor {
  const fn = 'uniformSmoothing';
  checkNumClasses(fn, numClasses);
  checkNumberIn(fn, 'epsilon', epsilon, 0, 1);
  const labels = labelsOf(fn, target, numClasses);
  const out = NDArray.empty([...labels.shape, numClasses], floatDType(fn, options.dtype));
  const values = out.data;
  values.fill(epsilon / numClasses);
  const y = labels.data as Int32Array;
  for (let n = 0; n < y.length; n++) values[n * numClasses + y[n]] += 1 - epsilon;
  return new Tensor(out);
}

/**
 * Ordinal label smoothing for ordered classes (ratings, ages, grades): integer targets `[...]`
 * → `[..., C]` with 1 − ε at the true class t and ε/2 at each neighbour t − 1 and t + 1, so a
 * near miss is penalised less than a far one. At the two ends (t = 0 or t = C − 1) the whole ε
 * goes to the one neighbour; with C = 1 the target is 1. Each row sums to 1.
 */
export function ordinalSmoothing(
  target: IntTargetLike,
  numClasses: number,
  epsilon: number,
  options: TargetOptions = {},
): Tensor {
  const fn = 'ordinalSmoothing';
  checkNumClasses(fn, numClasses);
  checkNumberIn(fn, 'epsilon', epsilon, 0, 1);
  const labels = labelsOf(fn, target, numClasses);
  const out = NDArray.empty([...labels.shape, numClasses], floatDType(fn, options.dtype));
  const values = out.data;
  const y = labels.data as Int32Array;
  for (let n = 0; n < y.length; n++) {
    const row = n * numClasses;
    const t = y[n];
    if (numClasses === 1) {
      values[row] = 1;
      continue;
    }
    values[row + t] = 1 - epsilon;
    if (t === 0) values[row + 1] = epsilon;
    else if (t === numClasses - 1) values[row + t - 1] = epsilon;
    else {
      values[row + t - 1] = epsilon / 2;
      values[row + t + 1] = epsilon / 2;
    }
  }
  return new Tensor(out);
}

/**
 * Class weights against imbalance from integer `labels` (any shape, classes in [0, C)), as a
 * `[C]` Tensor to pass as `weight`:
 * - `'inverse'`: 1 / n_c;
 * - `'balanced'`: N / (C · n_c) (scikit-learn's `compute_class_weight('balanced')`);
 * - `'effective'`: (1 − β) / (1 − β^{n_c}), the inverse effective number of samples
 *   (Cui et al., 2019), scaled so the weights sum to C (β default 0.999).
 * A class with no examples gets weight 0 (it never multiplies anything in a loss over these
 * labels); the effective weights are scaled over the present classes.
 */
export function classWeights(
  labels: IntTargetLike,
  numClasses: number,
  options: ClassWeightsOptions,
): Tensor {
  const fn = 'classWeights';
  checkNumClasses(fn, numClasses);
  const scheme = options?.scheme;
  if (scheme !== 'inverse' && scheme !== 'balanced' && scheme !== 'effective') {
    throw new ValueError(
      `${fn}: scheme is '${String(scheme)}', expected 'inverse', 'balanced' or 'effective'`,
    );
  }
  const beta = options.beta ?? 0.999;
  if (!(beta >= 0 && beta < 1)) throw new ValueError(`${fn}: beta is ${beta}, expected a number in [0, 1)`);
  const y = labelsOf(fn, labels, numClasses).data as Int32Array;
  const counts = new Float64Array(numClasses);
  for (let n = 0; n < y.length; n++) counts[y[n]]++;
  const out = NDArray.empty([numClasses], floatDType(fn, options.dtype));
  const weights = out.data;
  let total = 0;
  for (let c = 0; c < numClasses; c++) {
    const n = counts[c];
    if (n === 0) continue;
    if (scheme === 'inverse') weights[c] = 1 / n;
    else if (scheme === 'balanced') weights[c] = y.length / (numClasses * n);
    else {
      // (1 − β)/(1 − β^n) = 1 / (effective number of samples); −expm1(n log β) = 1 − β^n, accurately.
      weights[c] = beta === 0 ? 1 : (1 - beta) / -Math.expm1(n * Math.log(beta));
      total += weights[c];
    }
  }
  if (scheme === 'effective' && total > 0) {
    const scale = numClasses / total;
    for (let c = 0; c < numClasses; c++) weights[c] *= scale;
  }
  return new Tensor(out);
}
