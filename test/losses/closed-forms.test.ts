/** Identities the losses must satisfy where PyTorch has no counterpart to compare against. */
import { grad, tensor } from '@xent/autograd';
import {
  adjustLogits,
  binaryCrossEntropyWithLogits,
  classWeights,
  crossEntropy,
  focalLoss,
  hierarchicalCrossEntropy,
  hierarchicalLogProbs,
  LabelTree,
  logitAdjustedCrossEntropy,
  nllLoss,
  ordinalSmoothing,
  type Reduction,
  uniformSmoothing,
} from '@xent/losses';
import { describe, expect, it } from 'vitest';
import { randomInput } from '../helpers/gradients.js';

const reductions: Reduction[] = ['mean', 'sum', 'none'];

function expectClose(actual: number[], expected: number[], tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i])).toBeLessThan(tolerance);
  });
}

describe('focalLoss', () => {
  it.each(reductions)('with γ = 0 and no alpha equals crossEntropy (%s)', (reduction) => {
    const logits = randomInput([6, 4], { seed: 1, scale: 2 });
    const target = [0, 3, -100, 2, 1, 1];
    const focal = focalLoss(logits, target, { gamma: 0, reduction });
    const ce = crossEntropy(logits, target, { reduction });
    expectClose(Array.from(focal.data.values()), Array.from(ce.data.values()));
    const seed = reduction === 'none' ? randomInput([6], { seed: 2, requiresGrad: false }) : undefined;
    const [gFocal] = grad([focal], [logits], seed ? { gradOutputs: [seed] } : {});
    const [gCe] = grad([ce], [logits], seed ? { gradOutputs: [seed] } : {});
    expectClose(Array.from(gFocal.data.values()), Array.from(gCe.data.values()));
  });
  it('with γ = 0 and alpha equals crossEntropy with weight = alpha, Σα_y denominator', () => {
    const logits = randomInput([5, 3], { seed: 3 });
    const alpha = [0.2, 0.5, 1.5];
    const target = [0, 1, 2, 2, 1];
    expect(focalLoss(logits, target, { gamma: 0, alpha, ignoreIndex: 1 }).item()).toBeCloseTo(
      crossEntropy(logits, target, { weight: alpha, ignoreIndex: 1 }).item(),
      13,
    );
  });
  it('down-weights confident examples: (1 − p)^γ factor', () => {
    const logits = tensor([[4, 0, 0]], { dtype: 'float64' });
    const ce = crossEntropy(logits, [0]).item();
    const p = Math.exp(-ce);
    expect(focalLoss(logits, [0], { gamma: 2 }).item()).toBeCloseTo((1 - p) ** 2 * ce, 14);
  });
});

describe('hierarchical softmax', () => {
  const tree = LabelTree.fromPaths([
    ['animal', 'mammal', 'cat'],
    ['animal', 'mammal', 'dog'],
    ['animal', 'bird'],
    ['vehicle', 'car'],
    ['vehicle', 'boat', 'sail'],
    ['vehicle', 'boat', 'motor'],
  ]);
  it('builds the tree from paths', () => {
    expect(tree.numLeaves).toBe(6);
    expect(tree.numLogits).toBe(tree.numNodes - 1);
    expect(tree.leafNames).toEqual(['cat', 'dog', 'bird', 'car', 'sail', 'motor']);
    expect(tree.pathTo(4).map((node) => tree.nodeNames[node])).toEqual(['vehicle', 'boat', 'sail']);
  });
  it('leaf log-probabilities logsumexp to 0 on every row', () => {
    const logProbs = hierarchicalLogProbs(randomInput([5, tree.numLogits], { seed: 4, scale: 3 }), tree);
    expectClose(logProbs.logsumexp(-1).toArray() as number[], [0, 0, 0, 0, 0]);
  });
  it('the loss is the sum of local cross-entropies along the path', () => {
    const z = randomInput([1, tree.numLogits], { seed: 5 });
    const col = (name: string) => tree.logitColumn(tree.nodeNames.indexOf(name));
    const local = (names: string[], index: number) =>
      crossEntropy(z.indexSelect(-1, tensor(names.map(col), { dtype: 'int32' })), [index]).item();
    // sail: vehicle among {animal, vehicle}, boat among {car, boat}, sail among {sail, motor}.
    const expected =
      local(['animal', 'vehicle'], 1) + local(['car', 'boat'], 1) + local(['sail', 'motor'], 0);
    expect(hierarchicalCrossEntropy(z, [4], tree).item()).toBeCloseTo(expected, 13);
  });
  it('the gradient is exactly zero on every node whose parent is off the true path', () => {
    const z = randomInput([1, tree.numLogits], { seed: 6 });
    const leaf = 0; // cat: path animal → mammal → cat
    hierarchicalCrossEntropy(z, [leaf], tree).backward();
    const onPath = new Set([tree.root, ...tree.pathTo(leaf)]);
    const gradient = (z.grad!.toArray() as number[][])[0];
    for (let node = 0; node < tree.numNodes; node++) {
      if (node === tree.root) continue;
      const value = gradient[tree.logitColumn(node)];
      if (onPath.has(tree.parents[node])) expect(value).not.toBe(0);
      else expect(value).toBe(0);
    }
  });
  it('equals nllLoss of hierarchicalLogProbs', () => {
    const z = randomInput([4, tree.numLogits], { seed: 7 });
    const target = [5, 0, 2, 3];
    expect(hierarchicalCrossEntropy(z, target, tree).item()).toBeCloseTo(
      nllLoss(hierarchicalLogProbs(z, tree), target).item(),
      14,
    );
  });
  it('a flat tree is the plain softmax', () => {
    const flat = LabelTree.fromParents([-1, 0, 0, 0]);
    const z = randomInput([3, 3], { seed: 8 });
    expectClose(
      Array.from(hierarchicalLogProbs(z, flat).data.values()),
      Array.from(z.logSoftmax(-1).data.values()),
    );
  });
});

describe('target builders', () => {
  it('ordinalSmoothing: rows sum to 1; ε/2 to each neighbour, all ε to the one neighbour at the ends', () => {
    const out = ordinalSmoothing([0, 2, 4], 5, 0.2, { dtype: 'float64' }).toArray() as number[][];
    expectClose(out[0], [0.8, 0.2, 0, 0, 0]);
    expectClose(out[1], [0, 0.1, 0.8, 0.1, 0]);
    expectClose(out[2], [0, 0, 0, 0.2, 0.8]);
    for (const row of out) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
    expect(ordinalSmoothing([0], 1, 0.3, { dtype: 'float64' }).toArray()).toEqual([[1]]);
  });
  it('uniformSmoothing: (1 − ε) onehot + ε/C, and crossEntropy on it equals labelSmoothing', () => {
    const soft = uniformSmoothing([1, 0], 4, 0.2, { dtype: 'float64' });
    expectClose((soft.toArray() as number[][])[0], [0.05, 0.85, 0.05, 0.05]);
    const logits = randomInput([2, 4], { seed: 9 });
    expect(crossEntropy(logits, soft).item()).toBeCloseTo(
      crossEntropy(logits, [1, 0], { labelSmoothing: 0.2 }).item(),
      14,
    );
  });
  it('classWeights: inverse, balanced and effective number', () => {
    const labels = [0, 0, 0, 1, 2, 2];
    expectClose(Array.from(classWeights(labels, 4, { scheme: 'inverse', dtype: 'float64' }).data.values()), [
      1 / 3,
      1,
      1 / 2,
      0,
    ]);
    expectClose(Array.from(classWeights(labels, 3, { scheme: 'balanced', dtype: 'float64' }).data.values()), [
      6 / 9,
      6 / 3,
      6 / 6,
    ]);
    const beta = 0.9;
    const raw = [3, 1, 2].map((n) => (1 - beta) / (1 - beta ** n));
    const total = raw.reduce((a, b) => a + b, 0);
    expectClose(
      Array.from(classWeights(labels, 3, { scheme: 'effective', beta, dtype: 'float64' }).data.values()),
      raw.map((w) => (3 * w) / total),
    );
  });
});

describe('logit adjustment', () => {
  it('adjustLogits with uniform priors is the identity', () => {
    const logits = randomInput([3, 4], { seed: 10 });
    const uniform = [0.25, 0.25, 0.25, 0.25];
    for (const options of [{}, { from: uniform }, { to: uniform }, { from: uniform, to: uniform, tau: 2 }]) {
      expect(adjustLogits(logits, options).toArray()).toEqual(logits.toArray());
    }
  });
  it('adjustLogits adds τ (log to − log from)', () => {
    const logits = randomInput([1, 2], { seed: 11 });
    const out = adjustLogits(logits, { from: [0.8, 0.2], to: [0.5, 0.5], tau: 0.5 }).toArray() as number[][];
    const x = (logits.toArray() as number[][])[0];
    expectClose(out[0], [x[0] + 0.5 * Math.log(0.5 / 0.8), x[1] + 0.5 * Math.log(0.5 / 0.2)]);
  });
  it('logitAdjustedCrossEntropy with uniform priors equals crossEntropy', () => {
    const logits = randomInput([4, 3], { seed: 12 });
    expect(
      logitAdjustedCrossEntropy(logits, [0, 1, 2, 0], { priors: [1 / 3, 1 / 3, 1 / 3] }).item(),
    ).toBeCloseTo(crossEntropy(logits, [0, 1, 2, 0]).item(), 14);
  });
});

describe('array-like options and targets', () => {
  it('weight, posWeight and targets give the same result as a Tensor, an NDArray or plain numbers', () => {
    const logits = randomInput([4, 3], { seed: 14 });
    const weights = [0.5, 2, 1];
    const asTensor = tensor(weights, { dtype: 'float64' });
    const targets = tensor([0, 2, 1, 1], { dtype: 'int32' });
    const expected = crossEntropy(logits, [0, 2, 1, 1], { weight: weights }).item();
    for (const weight of [asTensor, asTensor.data, tensor(weights)]) {
      for (const target of [targets, targets.data, [0, 2, 1, 1]]) {
        expect(crossEntropy(logits, target, { weight }).item()).toBeCloseTo(expected, 14);
      }
    }
    const hard = [
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 0],
      [0, 1, 0],
    ];
    const bce = binaryCrossEntropyWithLogits(logits, hard, { posWeight: weights }).item();
    expect(
      binaryCrossEntropyWithLogits(logits, tensor(hard, { dtype: 'float64' }), {
        posWeight: asTensor.data,
      }).item(),
    ).toBeCloseTo(bce, 14);
  });
});

describe('every target ignored, or the counted targets weighted 0', () => {
  const cases: [string, (x: ReturnType<typeof randomInput>) => ReturnType<typeof randomInput>][] = [
    ['crossEntropy', (x) => crossEntropy(x, [-100, -100])],
    [
      'crossEntropy weight+smoothing',
      (x) => crossEntropy(x, [2, 2], { ignoreIndex: 2, weight: [1, 2, 3], labelSmoothing: 0.1 }),
    ],
    ['nllLoss', (x) => nllLoss(x, [-100, -100], { weight: [1, 2, 3] })],
    ['focalLoss', (x) => focalLoss(x, [-100, -100], { alpha: [1, 2, 3] })],
    [
      'logitAdjustedCrossEntropy',
      (x) => logitAdjustedCrossEntropy(x, [-100, -100], { priors: [0.2, 0.3, 0.5] }),
    ],
    // PyTorch gives 0/0 = NaN here too; xent's documented rule is 0 with a zero gradient.
    ['crossEntropy, zero weights', (x) => crossEntropy(x, [0, 1], { weight: [0, 0, 3] })],
    [
      'crossEntropy (composed), zero weights + smoothing',
      (x) =>
        crossEntropy(x, [0, 1], {
          weight: tensor([0, 0, 3], { dtype: 'float64', requiresGrad: true }),
          labelSmoothing: 0.1,
        }),
    ],
    ['nllLoss, zero weights', (x) => nllLoss(x, [1, 1], { weight: [1, 0, 1] })],
    ['focalLoss, zero alpha', (x) => focalLoss(x, [2, -100], { alpha: [1, 1, 0] })],
  ];
  it.each(cases)("%s: 'mean' is 0 with a zero gradient", (_, loss) => {
    const logits = randomInput([2, 3], { seed: 13 });
    const value = loss(logits);
    expect(value.item()).toBe(0);
    value.backward();
    expect(Array.from(logits.grad?.data.values() ?? [1])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
