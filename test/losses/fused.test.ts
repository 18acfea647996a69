/**
 * The fused integer-target crossEntropy kernel equals the composed reference form in value,
 * gradient and (through createGraph) second derivatives, for every option, shape and dtype.
 */
import { grad, noGrad, type Tensor, tensor } from '@xent/autograd';
import { crossEntropy, type Reduction } from '@xent/losses';
import { Generator, randint } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropyComposed } from '../../packages/losses/src/cross-entropy.js';
import { randomInput } from '../helpers/gradients.js';
import { combinations, label } from './helpers.js';

function randomTargets(shape: number[], numClasses: number, seed: number, ignoreIndex: number): number[] {
  const values = Array.from(randint(0, numClasses, shape, { generator: new Generator(seed) }).values());
  // Every fifth target ignored.
  return values.map((v, i) => (i % 5 === 2 ? ignoreIndex : v));
}

function maxDifference(a: Tensor, b: Tensor): number {
  const x = a.data.values();
  const y = b.data.values();
  expect(x.length).toBe(y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++)
    worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
  return worst;
}

const shapes = [[6, 5], [3, 4, 5], [5]];

describe('fused crossEntropy = composed crossEntropy', () => {
  const cases = combinations({
    reduction: ['mean', 'sum', 'none'] as Reduction[],
    weight: [undefined, [0.5, 2, 1, 0.25, 3]],
    ignoreIndex: [undefined, 3],
    labelSmoothing: [0, 0.1],
    shape: shapes,
    dtype: ['float64', 'float32'] as const,
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, { shape, dtype, ...options }) => {
    const seed = shape.length * 7 + (options.labelSmoothing > 0 ? 1 : 0);
    const logits = randomInput(shape, { seed, scale: 3 }).detach().to(dtype).requiresGrad_();
    const ignoreIndex = options.ignoreIndex ?? -100;
    const flatTargets = randomTargets([shape.slice(0, -1).reduce((a, b) => a * b, 1)], 5, seed, ignoreIndex);
    const target =
      shape.length === 1
        ? flatTargets[0]
        : shape.length === 2
          ? flatTargets
          : [flatTargets.slice(0, 4), flatTargets.slice(4, 8), flatTargets.slice(8, 12)];
    const fused = crossEntropy(logits, target, options);
    const composed = crossEntropyComposed(logits, target, options);
    expect(fused.gradFn?.name).toBe('crossEntropy'); // one node
    const tolerance = dtype === 'float64' ? 1e-13 : 1e-5;
    expect(maxDifference(fused, composed)).toBeLessThan(tolerance);
    const gradOutput = randomInput(fused.shape, { seed: 99, requiresGrad: false }).detach().to(dtype);
    const [gradFused] = grad([fused], [logits], { gradOutputs: [gradOutput] });
    const [gradComposed] = grad([composed], [logits], { gradOutputs: [gradOutput] });
    expect(maxDifference(gradFused, gradComposed)).toBeLessThan(tolerance);
    if (dtype === 'float64') {
      // Second order: differentiate ⟨v, ∇loss⟩ again; the fused backward must stay differentiable.
      const v = randomInput(shape, { seed: 98, requiresGrad: false });
      const hvp = (fn: typeof crossEntropy) => {
        const out = fn(logits, target, options);
        const [first] = grad([out], [logits], { gradOutputs: [gradOutput], createGraph: true });
        return grad([first.mul(v).sum()], [logits])[0];
      };
      expect(maxDifference(hvp(crossEntropy), hvp(crossEntropyComposed))).toBeLessThan(1e-12);
    }
  });

  it('under noGrad returns the same value without a graph', () => {
    const logits = randomInput([6, 5], { seed: 1 });
    const target = [0, 1, 2, 3, 4, 0];
    const value = noGrad(() => crossEntropy(logits, target));
    expect(value.requiresGrad).toBe(false);
    expect(value.item()).toBeCloseTo(crossEntropyComposed(logits, target).item(), 13);
  });

  it.each(['float32', 'float64'] as const)(
    'a second backward through a retained graph (%s) gives the same gradient',
    (dtype) => {
      const logits = randomInput([6, 5], { seed: 3 }).detach().to(dtype).requiresGrad_();
      const loss = crossEntropy(logits, [0, 1, 2, 3, 4, -100], {
        weight: [1, 2, 3, 4, 5],
        labelSmoothing: 0.1,
      });
      loss.backward(undefined, { retainGraph: true });
      const first = Array.from(logits.grad!.data.values());
      loss.backward();
      const second = Array.from(logits.grad!.data.values());
      second.forEach((v, i) => {
        expect(v).toBeCloseTo(2 * first[i], dtype === 'float64' ? 14 : 6);
      });
      const reference = crossEntropyComposed(logits, [0, 1, 2, 3, 4, -100], {
        weight: [1, 2, 3, 4, 5],
        labelSmoothing: 0.1,
      });
      const [expected] = grad([reference], [logits]);
      first.forEach((v, i) => {
        expect(v).toBeCloseTo(expected.data.values()[i], dtype === 'float64' ? 14 : 6);
      });
    },
  );

  it('accepts int32 Tensor and NDArray targets', () => {
    const logits = randomInput([4, 3], { seed: 2 });
    const asNumbers = crossEntropy(logits, [0, 2, 1, 1]).item();
    const labels = tensor([0, 2, 1, 1], { dtype: 'int32' });
    expect(crossEntropy(logits, labels).item()).toBe(asNumbers);
    expect(crossEntropy(logits, labels.data).item()).toBe(asNumbers);
  });
});
