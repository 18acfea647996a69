/**
 * Extreme inputs: logits at ±1e4 (for the contrastive losses: cosine similarities over τ = 1e-4,
 * so ±1e4 as well) and probabilities at exactly 0 and 1 give finite values and gradients.
 */
import { type Tensor, tensor } from '@xent/autograd';
import {
  adjustLogits,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  focalLoss,
  hierarchicalCrossEntropy,
  hierarchicalLogProbs,
  infoNCE,
  LabelTree,
  logitAdjustedCrossEntropy,
  maskedBinaryCrossEntropyWithLogits,
  mixedReconstructionLoss,
  nllLoss,
  ntXent,
  sigmoidFocalLoss,
  temperatureScale,
} from '@xent/losses';
import { describe, expect, it } from 'vitest';

const huge = [
  [1e4, -1e4, 0],
  [-1e4, -1e4, 1e4],
  [1e4, 1e4, -1e4],
  [-1e4, 1e4, 1e4],
];
// The same magnitudes in another arrangement: second views / keys of the contrastive losses.
const hugeKeys = [
  [-1e4, 1e4, 1e4],
  [1e4, -1e4, 0],
  [1e4, 1e4, -1e4],
  [-1e4, -1e4, 1e4],
];
const classes = [1, 2, 0, 0]; // rows 0 and 3 put ~all mass on a wrong class, row 2 ties two
const hard = [
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 0],
  [0, 0, 0],
];
const mask = [
  [1, 1, 0],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
];
const tree = LabelTree.fromParents([-1, 0, 0, 1]); // leaves 2 and 3; 3 logits

function expectFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++)
    expect(Number.isFinite(values[i]), `${name}[${i}] = ${values[i]}`).toBe(true);
}

type Case = [string, (x: Tensor, t: Tensor) => Tensor, number[][], number[][] | null];
const cases: Case[] = [
  [
    'crossEntropy (int)',
    (x) => crossEntropy(x, classes, { weight: [1, 2, 3], labelSmoothing: 0.1 }),
    huge,
    null,
  ],
  [
    'crossEntropy (composed, weight Tensor)',
    (x) =>
      crossEntropy(x, classes, {
        weight: tensor([1, 2, 3], { dtype: x.dtype, requiresGrad: true }),
      }),
    huge,
    null,
  ],
  [
    'crossEntropy (probabilities)',
    (x, t) => crossEntropy(x, t, { labelSmoothing: 0.1 }),
    huge,
    hard.map((r) =>
      r.map(
        (v) =>
          v /
          Math.max(
            1,
            r.reduce((a, b) => a + b),
          ),
      ),
    ),
  ],
  ['nllLoss', (x) => nllLoss(x.logSoftmax(-1), classes), huge, null],
  ['focalLoss γ=2', (x) => focalLoss(x, classes, { alpha: [0.25, 0.5, 1] }), huge, null],
  ['focalLoss γ=0.5', (x) => focalLoss(x, classes, { gamma: 0.5 }), huge, null],
  ['focalLoss γ=0', (x) => focalLoss(x, classes, { gamma: 0 }), huge, null],
  ['sigmoidFocalLoss γ=2', (x, t) => sigmoidFocalLoss(x, t), huge, hard],
  ['sigmoidFocalLoss γ=0.5', (x, t) => sigmoidFocalLoss(x, t, { gamma: 0.5, alpha: -1 }), huge, hard],
  ['sigmoidFocalLoss γ=0', (x, t) => sigmoidFocalLoss(x, t, { gamma: 0 }), huge, hard],
  [
    'binaryCrossEntropyWithLogits',
    (x, t) => binaryCrossEntropyWithLogits(x, t, { posWeight: [2, 1, 3], labelSmoothing: 0.1 }),
    huge,
    hard,
  ],
  [
    'maskedBinaryCrossEntropyWithLogits',
    (x, t) => maskedBinaryCrossEntropyWithLogits(x, t, mask, { posWeight: [2, 1, 3] }),
    huge,
    hard,
  ],
  [
    'logitAdjustedCrossEntropy',
    (x) => logitAdjustedCrossEntropy(x, classes, { priors: [0.7, 0.2, 0.1] }),
    huge,
    null,
  ],
  ['adjustLogits', (x) => adjustLogits(x, { from: [0.7, 0.2, 0.1] }).sum(), huge, null],
  ['hierarchicalCrossEntropy', (x) => hierarchicalCrossEntropy(x, [0, 1, 1, 0], tree), huge, null],
  ['hierarchicalLogProbs', (x) => hierarchicalLogProbs(x, tree).sum(), huge, null],
  ['infoNCE τ = 1e-4', (q, k) => infoNCE(q, k, { temperature: 1e-4 }), huge, hugeKeys],
  [
    'infoNCE symmetric τ = 1e-4',
    (q, k) => infoNCE(q, k, { temperature: 1e-4, symmetric: true }),
    huge,
    hugeKeys,
  ],
  ['ntXent τ = 1e-4', (z1, z2) => ntXent(z1, z2, { temperature: 1e-4 }), huge, hugeKeys],
  [
    'mixedReconstructionLoss',
    (x) =>
      mixedReconstructionLoss({
        binary: { logits: x, target: hard },
        continuous: { pred: x, target: hard },
        categorical: [{ logits: x, target: classes }],
      }).total,
    huge,
    null,
  ],
  // Probabilities exactly 0 and 1, against hard and soft targets.
  [
    'binaryCrossEntropy',
    (p, t) => binaryCrossEntropy(p, t, { weight: [1, 2, 0.5] }),
    hard.map((r) => r.map((v) => 1 - v)),
    hard,
  ],
  [
    'binaryCrossEntropy (soft target)',
    (p, t) => binaryCrossEntropy(p, t),
    hard,
    [
      [0.3, 0.5, 0.7],
      [0.3, 0.5, 0.7],
      [0.3, 0.5, 0.7],
      [0.3, 0.5, 0.7],
    ],
  ],
];

describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
  it.each(cases)('%s: finite value and gradients', (name, loss, input, target) => {
    const x = tensor(input, { dtype, requiresGrad: true });
    const t = tensor(target ?? [[0]], { dtype, requiresGrad: target !== null });
    const value = loss(x, t);
    expectFinite(`${name} value`, value.data.values());
    value.backward(
      value.size === 1 ? undefined : tensor(new Array(value.size).fill(1), { dtype }).reshape(value.shape),
    );
    expectFinite(`${name} grad`, x.grad?.data.values() ?? [Number.NaN]);
    if (target !== null) expectFinite(`${name} target grad`, t.grad?.data.values() ?? [Number.NaN]);
  });
});

describe('values at the extremes', () => {
  it('crossEntropy at ±1e4 is the logit gap, in both dtypes', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      // logsumexp − x_1 = 1e4 + log(1 + e^−1e4 + e^−2e4) + 1e4, which is 2e4 in both dtypes.
      const loss = crossEntropy(tensor([[1e4, -1e4, 0]], { dtype }), [1], { reduction: 'sum' });
      expect(loss.item()).toBe(2e4);
      const composed = crossEntropy(tensor([[1e4, -1e4, 0]], { dtype }), [1], {
        reduction: 'sum',
        weight: tensor([1, 1, 1], { dtype, requiresGrad: true }),
      });
      expect(composed.item()).toBe(2e4);
    }
  });
  it('temperatureScale on logits at ±1e4 fits a finite T in range without raising the NLL', () => {
    const { temperature, nllBefore, nllAfter } = temperatureScale(huge, classes);
    expect(temperature).toBeGreaterThanOrEqual(1e-3);
    expect(temperature).toBeLessThanOrEqual(1e3);
    // NLLs at T = 1: 2e4 (row 0), 0 (row 1), log 2 (row 2, a tie), 2e4 + log 2 (row 3).
    expect(nllBefore).toBeCloseTo((4e4 + 2 * Math.log(2)) / 4, 9);
    expect(Number.isFinite(nllAfter)).toBe(true);
    expect(nllAfter).toBeLessThan(nllBefore);
  });
  it('binaryCrossEntropy clamps probabilities at 1e-12 (float64) and 1e-7 (float32)', () => {
    const value64 = binaryCrossEntropy(tensor([0], { dtype: 'float64' }), [1]).item();
    expect(value64).toBeCloseTo(-Math.log(1e-12), 10);
    const value32 = binaryCrossEntropy(tensor([1], { dtype: 'float32' }), [0]).item();
    expect(value32).toBeCloseTo(-Math.log(1 - Math.fround(1 - 1e-7)), 2);
  });
});
