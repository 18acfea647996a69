/**
 * Finite-difference checks (gradcheck + gradgradcheck, float64) of every loss under every
 * option combination, including gradients with respect to soft targets and class weights.
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
  LabelTree,
  logitAdjustedCrossEntropy,
  maskedBinaryCrossEntropyWithLogits,
  nllLoss,
  type Reduction,
  sigmoidFocalLoss,
} from '@xent/losses';
import { describe, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';
import { combinations, label, randomDistributions, randomProbabilities } from './helpers.js';

const reductions: Reduction[] = ['mean', 'sum', 'none'];
const weight = [0.5, 2, 1.25];
// Rows 1 and 4 carry class 1, the ignoreIndex of the cases that set it; -100 appears in the
// default-ignoreIndex cases.
const target2d = [0, 1, 2, 2, 1];
const target3d = [
  [2, -100],
  [1, 0],
];

describe('crossEntropy: integer targets', () => {
  const cases = combinations({
    reduction: reductions,
    weight: [undefined, weight],
    ignoreIndex: [undefined, 1],
    labelSmoothing: [0, 0.15],
  });
  it.each(cases.map((o) => [label(o), o] as const))('[5, 3] %s', (_, options) => {
    const logits = randomInput([5, 3], { seed: 3, layout: 'transposed' });
    checkGradients((x) => crossEntropy(x, target2d, options), [logits]);
  });
  it.each(cases.map((o) => [label(o), o] as const))('[2, 2, 3] %s', (_, options) => {
    const logits = randomInput([2, 2, 3], { seed: 4, layout: 'sliced' });
    const target =
      options.ignoreIndex === 1
        ? [
            [2, 1],
            [1, 0],
          ]
        : target3d;
    checkGradients((x) => crossEntropy(x, target, options), [logits]);
  });
  it('with respect to a weight Tensor (composed path)', () => {
    const logits = randomInput([5, 3], { seed: 5 });
    const w = tensor(weight, { dtype: 'float64', requiresGrad: true });
    for (const labelSmoothing of [0, 0.2]) {
      checkGradients(
        (x, wt) => crossEntropy(x, target2d, { weight: wt, ignoreIndex: 1, labelSmoothing }),
        [logits, w],
      );
    }
  });
});

describe('crossEntropy: probability targets (gradient in the target too)', () => {
  const cases = combinations({
    reduction: reductions,
    weight: [undefined, weight],
    labelSmoothing: [0, 0.15],
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients(
      (x, t) => crossEntropy(x, t, options),
      [randomInput([4, 3], { seed: 6 }), randomDistributions([4, 3], 7)],
    );
    checkGradients(
      (x, t) => crossEntropy(x, t, options),
      [randomInput([2, 2, 3], { seed: 8 }), randomDistributions([2, 2, 3], 9)],
    );
  });
});

describe('nllLoss', () => {
  const cases = combinations({
    reduction: reductions,
    weight: [undefined, weight],
    ignoreIndex: [undefined, 1],
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients((x) => nllLoss(x, target2d, options), [randomInput([5, 3], { seed: 10, shift: -1 })]);
  });
});

describe('binaryCrossEntropy (gradient in probs and soft target)', () => {
  const cases = combinations({ reduction: reductions, weight: [undefined, weight] });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients(
      (p, t) => binaryCrossEntropy(p, t, options),
      [randomProbabilities([4, 3], 11), randomProbabilities([4, 3], 12)],
    );
  });
});

describe('binaryCrossEntropyWithLogits (gradient in logits and soft target)', () => {
  const cases = combinations({
    reduction: reductions,
    weight: [undefined, weight],
    posWeight: [undefined, [3, 0.5, 1], [2.5]],
    labelSmoothing: [0, 0.2],
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients(
      (x, t) => binaryCrossEntropyWithLogits(x, t, options),
      [randomInput([4, 3], { seed: 13, scale: 2 }), randomProbabilities([4, 3], 14)],
    );
  });
});

describe('maskedBinaryCrossEntropyWithLogits', () => {
  const mask = [
    [1, 0, 1],
    [1, 1, 0],
    [0, 0, 1],
    [1, 1, 1],
  ];
  const cases = combinations({ reduction: reductions, posWeight: [undefined, [3, 0.5, 1], [2.5]] });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients(
      (x, t) => maskedBinaryCrossEntropyWithLogits(x, t, mask, options),
      [randomInput([4, 3], { seed: 15, scale: 2 }), randomProbabilities([4, 3], 16)],
    );
  });
});

describe('focalLoss', () => {
  const cases = combinations({
    reduction: reductions,
    gamma: [undefined, 0, 0.5, 1],
    alpha: [undefined, [0.25, 0.5, 1]],
    ignoreIndex: [undefined, 1],
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients((x) => focalLoss(x, target2d, options), [randomInput([5, 3], { seed: 17 })]);
  });
  it('[2, 2, 3] with the default ignoreIndex present', () => {
    checkGradients((x) => focalLoss(x, target3d), [randomInput([2, 2, 3], { seed: 18 })]);
  });
});

describe('sigmoidFocalLoss (gradient in logits and soft target)', () => {
  const cases = combinations({
    reduction: reductions,
    gamma: [undefined, 0, 0.5],
    alpha: [undefined, -1, 0.6],
  });
  it.each(cases.map((o) => [label(o), o] as const))('%s', (_, options) => {
    checkGradients(
      (x, t) => sigmoidFocalLoss(x, t, options),
      [randomInput([4, 3], { seed: 19, scale: 2 }), randomProbabilities([4, 3], 20)],
    );
  });
});

describe('logit adjustment', () => {
  const priors = [0.6, 0.3, 0.1];
  const cases = combinations({
    reduction: reductions,
    tau: [undefined, 0.5],
    weight: [undefined, weight],
    labelSmoothing: [undefined, 0.1],
    ignoreIndex: [undefined, 1],
  });
  it.each(cases.map((o) => [label(o), o] as const))('logitAdjustedCrossEntropy %s', (_, options) => {
    checkGradients(
      (x) => logitAdjustedCrossEntropy(x, target2d, { priors, ...options }),
      [randomInput([5, 3], { seed: 21 })],
    );
  });
  it('logitAdjustedCrossEntropy, in Tensor priors too (fused and composed paths)', () => {
    const tensorPriors = tensor([0.5, 0.3, 0.2], { dtype: 'float64', requiresGrad: true });
    for (const classWeight of [undefined, tensor(weight, { dtype: 'float64', requiresGrad: true })]) {
      checkGradients(
        (x, p) =>
          logitAdjustedCrossEntropy(x, target2d, {
            priors: p,
            tau: 0.7,
            weight: classWeight,
            labelSmoothing: 0.1,
          }),
        [randomInput([5, 3], { seed: 27 }), tensorPriors],
      );
    }
  });
  it('adjustLogits, in the logits and in Tensor priors', () => {
    const from = tensor([0.5, 0.25, 0.25], { dtype: 'float64', requiresGrad: true });
    checkGradients(
      (x, f) => adjustLogits(x, { from: f, to: priors, tau: 0.7 }),
      [randomInput([4, 3], { seed: 22 }), from],
    );
    checkGradients((x) => adjustLogits(x, { from: priors }), [randomInput([2, 2, 3], { seed: 23 })]);
  });
});

describe('hierarchical softmax', () => {
  // root 0 → {1, 2}; 1 → {3, 4, 5}; 2 → {6, 7}; 7 → {8, 9}. Leaves: 3 4 5 6 8 9.
  const tree = LabelTree.fromParents([-1, 0, 0, 1, 1, 1, 2, 2, 7, 7]);
  it.each(reductions)('hierarchicalCrossEntropy %s', (reduction) => {
    checkGradients(
      (z) => hierarchicalCrossEntropy(z, [0, 5, 3, 4], tree, { reduction }),
      [randomInput([4, tree.numLogits], { seed: 24 })],
    );
    checkGradients(
      (z) => hierarchicalCrossEntropy(z, [[1], [4]], tree, { reduction }),
      [randomInput([2, 1, tree.numLogits], { seed: 25 })],
    );
  });
  it('hierarchicalLogProbs', () => {
    checkGradients(
      (z: Tensor) => hierarchicalLogProbs(z, tree),
      [randomInput([3, tree.numLogits], { seed: 26 })],
    );
  });
});
