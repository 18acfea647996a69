/**
 * Finite-difference checks of analytic gradients, in float64 with central differences.
 * Rather than the full Jacobian, each check contracts the outputs with a fixed random
 * vector v and compares ∇⟨v, f(x)⟩ with (⟨v, f(x + εeᵢ)⟩ − ⟨v, f(x − εeᵢ)⟩) / 2ε for every
 * input element i: one backward and 2n forwards, and a wrong gradient is caught with
 * probability 1.
 */

import * as nd from '@xent/tensor';
import { formatShape, Generator, unravelIndex, XentError } from '@xent/tensor';
import { grad } from './grad.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { Tensor } from './tensor.js';

/** Tolerances of {@link gradcheck}: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-6. */
  eps?: number;
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance. Default 1e-3. */
  rtol?: number;
  /** Seed of the random contraction vectors. Default 0. */
  seed?: number;
}

/** A function under test: tensors in, one tensor or several out. */
export type CheckedFunction = (...inputs: Tensor[]) => Tensor | Tensor[];

/** Thrown when an analytic gradient disagrees with finite differences. */
export class GradcheckError extends XentError {}

function outputsOf(value: Tensor | Tensor[]): Tensor[] {
  return value instanceof Tensor ? [value] : value;
}

function checkInputs(op: string, inputs: readonly Tensor[]): void {
  inputs.forEach((input, i) => {
    if (input.requiresGrad && input.dtype !== 'float64') {
      throw new XentError(`${op}: input ${i} is ${input.dtype}; finite differences need float64 inputs`);
    }
  });
}

/**
 * Checks the gradient of `fn` with respect to every input that requires grad. Returns true,
 * or throws a {@link GradcheckError} naming the worst element (the one furthest outside its
 * tolerance): its input, its index, and both values.
 */
export function gradcheck(
  fn: CheckedFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): true {
  return compareWithFiniteDifferences('gradcheck', fn, inputs, options, (i) => `input ${i}`);
}

/** gradcheck's body; `op` and `describeInput` name what failed in the error. */
function compareWithFiniteDifferences(
  op: string,
  fn: CheckedFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions,
  describeInput: (index: number) => string,
): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  checkInputs(op, inputs);
  const checked = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (checked.length === 0) throw new XentError(`${op}: no input requires grad`);

  const outputs = outputsOf(fn(...inputs));
  const generator = new Generator(options.seed ?? 0);
  const weights = outputs.map((o) => nd.randn(o.shape, { dtype: 'float64', generator }));
  const contract = (values: Tensor[]): number =>
    values.reduce((total, o, k) => total + nd.sum(nd.mul(o.data, weights[k])).item(), 0);

  const differentiable = outputs.map((o, k) => ({ o, k })).filter(({ o }) => o.requiresGrad);
  const analytic =
    differentiable.length === 0
      ? checked.map(({ t }) => new Tensor(nd.zeros(t.shape, { dtype: 'float64' })))
      : grad(
          differentiable.map(({ o }) => o),
          checked.map(({ t }) => t),
          { gradOutputs: differentiable.map(({ k }) => weights[k]), allowUnused: true },
        );

  const evaluate = () => contract(outputsOf(fn(...inputs)));
  // Every element is checked and the error names the worst one: how many times its
  // tolerance it misses by (a NaN counts as infinitely many).
  let worst: { excess: number; message: string } | null = null;
  for (const [n, { t, i }] of checked.entries()) {
    const analyticValues = analytic[n].data.values();
    const shape = t.shape;
    for (let flat = 0; flat < t.size; flat++) {
      const index = unravelIndex(flat, shape);
      const original = t.data.get(...index);
      t.data.set(index, original + eps);
      const plus = noGrad(evaluate);
      t.data.set(index, original - eps);
      const minus = noGrad(evaluate);
      t.data.set(index, original);
      const numeric = (plus - minus) / (2 * eps);
      const value = analyticValues[flat];
      const tolerance = atol + rtol * Math.abs(numeric);
      const difference = Math.abs(value - numeric);
      if (difference <= tolerance) continue;
      const excess = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference / tolerance;
      if (worst === null || excess > worst.excess) {
        worst = {
          excess,
          message: `${op}: ${describeInput(i)} (shape ${formatShape(shape)}) element [${index.join(', ')}]: analytic ${value} vs numeric ${numeric} (atol ${atol}, rtol ${rtol})`,
        };
      }
    }
  }
  if (worst !== null) throw new GradcheckError(worst.message);
  return true;
}

/**
 * Second-order check: the gradient of (x, v) ↦ ∇ₓ⟨v, f(x)⟩ (built with `createGraph`)
 * against finite differences, with respect to the inputs and to v itself. Throws a
 * {@link GradcheckError} naming the worst element's input (or the vector v), index and values.
 */
export function gradgradcheck(
  fn: CheckedFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): true {
  checkInputs('gradgradcheck', inputs);
  const generator = new Generator((options.seed ?? 0) + 1);
  const vectors = outputsOf(fn(...inputs)).map(
    (o) => new Tensor(nd.randn(o.shape, { dtype: 'float64', generator }), { requiresGrad: true }),
  );
  const count = inputs.length;
  // The first-order function must build its graph even while gradcheck evaluates it under noGrad.
  const firstOrder = (...all: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const xs = all.slice(0, count);
      const used = outputsOf(fn(...xs))
        .map((o, k) => ({ o, v: all[count + k] }))
        .filter(({ o }) => o.requiresGrad);
      const targets = xs.filter((x) => x.requiresGrad);
      if (used.length === 0) return targets.map((x) => new Tensor(nd.zeros(x.shape, { dtype: 'float64' })));
      return grad(
        used.map(({ o }) => o),
        targets,
        { gradOutputs: used.map(({ v }) => v), createGraph: true, allowUnused: true },
      );
    });
  // The checked function's extra inputs are the vectors v; name them as such on failure.
  return compareWithFiniteDifferences('gradgradcheck', firstOrder, [...inputs, ...vectors], options, (i) =>
    i < count ? `input ${i}` : `the vector v contracting output ${i - count}`,
  );
}
