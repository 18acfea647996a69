/** Bad input: each error names the argument and what was expected. */
import { tensor } from '@xent/autograd';
import {
  adjustLogits,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  classWeights,
  crossEntropy,
  focalLoss,
  hierarchicalCrossEntropy,
  LabelTree,
  logitAdjustedCrossEntropy,
  maskedBinaryCrossEntropyWithLogits,
  nllLoss,
  ordinalSmoothing,
  sigmoidFocalLoss,
} from '@xent/losses';
import { XentError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

const logits = tensor(
  [
    [0.1, 0.2, 0.3],
    [0.4, 0.5, 0.6],
  ],
  { dtype: 'float64' },
);
const logits3d = tensor(new Float64Array(24), { shape: [4, 3, 2] });

function expectError(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(XentError);
  const text = (caught as Error).message;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
}

describe('shape mismatch', () => {
  it('crossEntropy: integer target of the wrong shape', () => {
    expectError(
      () => crossEntropy(logits3d, [0, 1, 0, 1]),
      'crossEntropy: target has shape [4] but logits [4, 3, 2] need [4, 3]',
    );
  });
  it("crossEntropy: an int32 target of the logits' shape is told probabilities must be float", () => {
    const oneHot = tensor(
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      { dtype: 'int32' },
    );
    expectError(
      () => crossEntropy(logits, oneHot),
      "crossEntropy: target has the logits' shape [2, 3] but dtype int32; a target of that shape holds probabilities and must be float32 or float64 (class indices have shape [2])",
    );
  });
  it('nllLoss: target of the wrong shape names logProbs', () => {
    expectError(
      () => nllLoss(logits, [0, 1, 2]),
      'nllLoss: target has shape [3] but logProbs [2, 3] need [2]',
    );
  });
  it('binaryCrossEntropyWithLogits: target of the wrong shape', () => {
    expectError(
      () => binaryCrossEntropyWithLogits(logits, [1, 0, 1]),
      'binaryCrossEntropyWithLogits: target has shape [3], expected the shape of logits [2, 3]',
    );
  });
  it('maskedBinaryCrossEntropyWithLogits: mask that does not broadcast', () => {
    expectError(
      () =>
        maskedBinaryCrossEntropyWithLogits(
          logits,
          [
            [1, 0, 1],
            [0, 1, 1],
          ],
          [1, 0],
        ),
      'maskedBinaryCrossEntropyWithLogits: mask has shape [2], which does not broadcast to [2, 3]',
    );
  });
  it('hierarchicalCrossEntropy: node logits of the wrong width', () => {
    const tree = LabelTree.fromParents([-1, 0, 0, 1, 1]);
    expectError(
      () => hierarchicalCrossEntropy(logits, [0, 1], tree),
      "hierarchicalCrossEntropy: nodeLogits has shape [2, 3] but the tree's 4 non-root nodes need [2, 4]",
    );
  });
  it('crossEntropy: logits without a class dimension', () => {
    expectError(
      () => crossEntropy(tensor(1), 0),
      /crossEntropy: logits has shape \[\], expected at least 1 dimension/,
    );
  });
});

describe('class out of range', () => {
  it('crossEntropy names the class, where it is, and the valid range', () => {
    expectError(
      () => crossEntropy(logits, [0, 3]),
      'crossEntropy: target contains class 3 at index [1]; expected an integer in [0, 3) or ignoreIndex -100',
    );
  });
  it('focalLoss: a negative class that is not ignoreIndex', () => {
    expectError(() => focalLoss(logits, [-1, 0]), /focalLoss: target contains class -1 at index \[0\]/);
  });
  it('crossEntropy: a non-integer class', () => {
    expectError(() => crossEntropy(logits, [0.5, 1]), /crossEntropy: target contains non-integer value 0.5/);
  });
  it('hierarchicalCrossEntropy: leaf index out of range names leafTarget', () => {
    const tree = LabelTree.fromParents([-1, 0, 0, 0]);
    expectError(
      () => hierarchicalCrossEntropy(logits, [0, 3], tree),
      /hierarchicalCrossEntropy: leafTarget contains class 3/,
    );
  });
  it('classWeights: labels out of range', () => {
    expectError(
      () => classWeights([0, 5], 3, { scheme: 'inverse' }),
      /classWeights: target contains class 5/,
    );
  });
});

describe('targets outside [0, 1]', () => {
  it('binaryCrossEntropyWithLogits', () => {
    expectError(
      () =>
        binaryCrossEntropyWithLogits(logits, [
          [1, 0, 1.5],
          [0, 1, 1],
        ]),
      'binaryCrossEntropyWithLogits: target contains 1.5 at index [0, 2]; expected values in [0, 1]',
    );
  });
  it('binaryCrossEntropy: probabilities outside [0, 1]', () => {
    expectError(
      () => binaryCrossEntropy(tensor([-0.1, 0.5]), [0, 1]),
      /binaryCrossEntropy: probs contains -0.1/,
    );
  });
  it('crossEntropy: a probability target with a negative entry', () => {
    expectError(
      () =>
        crossEntropy(logits, [
          [0.5, 0.6, -0.1],
          [0, 0, 1],
        ]),
      /crossEntropy: target contains -0.1/,
    );
  });
  it('sigmoidFocalLoss', () => {
    expectError(
      () =>
        sigmoidFocalLoss(logits, [
          [2, 0, 0],
          [0, 0, 0],
        ]),
      /sigmoidFocalLoss: target contains 2/,
    );
  });
});

describe('weights of the wrong length', () => {
  it('crossEntropy weight', () => {
    expectError(
      () => crossEntropy(logits, [0, 1], { weight: [1, 2, 3, 4] }),
      'crossEntropy: weight has 4 elements, expected one per class (3)',
    );
  });
  it('focalLoss alpha', () => {
    expectError(
      () => focalLoss(logits, [0, 1], { alpha: [1, 2] }),
      'focalLoss: alpha has 2 elements, expected one per class (3)',
    );
  });
  it('binaryCrossEntropyWithLogits posWeight', () => {
    expectError(
      () =>
        binaryCrossEntropyWithLogits(
          logits,
          [
            [1, 0, 1],
            [0, 1, 1],
          ],
          { posWeight: [1, 2] },
        ),
      'binaryCrossEntropyWithLogits: posWeight has 2 elements, expected one per class (3) or a single one',
    );
  });
  it('logitAdjustedCrossEntropy priors', () => {
    expectError(
      () => logitAdjustedCrossEntropy(logits, [0, 1], { priors: tensor([0.5, 0.5]) }),
      'logitAdjustedCrossEntropy: priors has 2 elements, expected one per class (3)',
    );
  });
  it('logitAdjustedCrossEntropy: crossEntropy options are checked under its own name', () => {
    expectError(
      () => logitAdjustedCrossEntropy(logits, [0, 1], { priors: [0.2, 0.3, 0.5], weight: [1, 2] }),
      'logitAdjustedCrossEntropy: weight has 2 elements, expected one per class (3)',
    );
    expectError(
      () => logitAdjustedCrossEntropy(logits, [0, 3], { priors: [0.2, 0.3, 0.5] }),
      'logitAdjustedCrossEntropy: target contains class 3 at index [1]; expected an integer in [0, 3) or ignoreIndex -100',
    );
    expectError(
      () => logitAdjustedCrossEntropy(logits, [0, 1], { priors: [0.2, 0.3, 0.5], labelSmoothing: 2 }),
      'logitAdjustedCrossEntropy: labelSmoothing is 2, expected a number in [0, 1]',
    );
  });
  it('adjustLogits: a zero prior', () => {
    expectError(
      () => adjustLogits(logits, { from: [0.5, 0.5, 0] }),
      /adjustLogits: from contains 0 at index \[2\]; expected priors > 0/,
    );
  });
});

describe('non-finite input', () => {
  it('crossEntropy: NaN logits (fused path)', () => {
    const bad = tensor([[0, Number.NaN, 1]], { dtype: 'float64' });
    expectError(
      () => crossEntropy(bad, [0]),
      'crossEntropy: logits contains NaN at index [0, 1]; expected finite values',
    );
  });
  it('crossEntropy: -Infinity logits', () => {
    const bad = tensor([[0, Number.NEGATIVE_INFINITY, 1]]);
    expectError(() => crossEntropy(bad, [0]), /crossEntropy: logits contains -Infinity at index \[0, 1\]/);
  });
  it('binaryCrossEntropyWithLogits: Infinity logits', () => {
    expectError(
      () => binaryCrossEntropyWithLogits(tensor([Number.POSITIVE_INFINITY]), [1]),
      /binaryCrossEntropyWithLogits: logits contains Infinity at index \[0\]/,
    );
  });
  it('crossEntropy: NaN weight', () => {
    expectError(
      () => crossEntropy(logits, [0, 1], { weight: [1, Number.NaN, 1] }),
      /crossEntropy: weight contains NaN/,
    );
  });
  it('logitAdjustedCrossEntropy: NaN logits, named as its own', () => {
    const bad = tensor([[0, Number.NaN, 1]], { dtype: 'float64' });
    expectError(
      () => logitAdjustedCrossEntropy(bad, [0], { priors: [0.2, 0.3, 0.5] }),
      'logitAdjustedCrossEntropy: logits contains NaN at index [0, 1]; expected finite values',
    );
  });
  it('adjustLogits: NaN or infinite logits, with and without priors', () => {
    for (const options of [{}, { from: [0.2, 0.3, 0.5] }]) {
      expectError(
        () => adjustLogits(tensor([[0, 1, Number.POSITIVE_INFINITY]], { dtype: 'float64' }), options),
        'adjustLogits: logits contains Infinity at index [0, 2]; expected finite values',
      );
    }
  });
  it('binaryCrossEntropy: NaN probabilities', () => {
    expectError(
      () => binaryCrossEntropy(tensor([Number.NaN]), [1]),
      /binaryCrossEntropy: probs contains NaN/,
    );
  });
});

describe('LabelTree', () => {
  it('a cycle', () => {
    expectError(
      () => LabelTree.fromParents([-1, 2, 3, 1]),
      /LabelTree.fromParents: parents has a cycle through node/,
    );
  });
  it('two roots', () => {
    expectError(
      () => LabelTree.fromParents([-1, 0, -1, 2]),
      'LabelTree.fromParents: parents has 2 roots (nodes 0, 2 have parent -1); expected exactly one',
    );
  });
  it('no root', () => {
    expectError(() => LabelTree.fromParents([1, 0]), /LabelTree.fromParents: parents has no root/);
  });
  it('a parent out of range', () => {
    expectError(() => LabelTree.fromParents([-1, 7]), /LabelTree.fromParents: parents\[1\] is 7/);
  });
  it('a path ending at an inner node', () => {
    expectError(
      () => LabelTree.fromPaths([['animal', 'cat'], ['animal']]),
      "LabelTree.fromPaths: paths[1] ends at 'animal', which is an inner node of another path",
    );
  });
  it('parents or paths that are not arrays, and names that are not strings', () => {
    expectError(
      () => LabelTree.fromParents('012' as unknown as number[]),
      "LabelTree.fromParents: parents must be an array of node indices, got '012'",
    );
    expectError(
      () => LabelTree.fromPaths([]),
      'LabelTree.fromPaths: paths is empty, expected one root→leaf path of names per class',
    );
    expectError(
      () => LabelTree.fromPaths([['a', 'b'], 'c' as unknown as string[]]),
      "LabelTree.fromPaths: paths[1] is 'c', expected an array of at least one name",
    );
    expectError(
      () => LabelTree.fromPaths([['a', 3 as unknown as string]]),
      'LabelTree.fromPaths: paths[0][1] is number 3, expected a string',
    );
  });
  it('a duplicate path', () => {
    expectError(
      () =>
        LabelTree.fromPaths([
          ['a', 'b'],
          ['a', 'b'],
        ]),
      'LabelTree.fromPaths: paths[1] repeats paths[0]',
    );
  });
});

describe('options', () => {
  it('an unknown reduction', () => {
    expectError(
      () => crossEntropy(logits, [0, 1], { reduction: 'avg' as 'mean' }),
      "crossEntropy: reduction is 'avg', expected 'mean', 'sum' or 'none'",
    );
  });
  it('labelSmoothing outside [0, 1]', () => {
    expectError(
      () => crossEntropy(logits, [0, 1], { labelSmoothing: 1.5 }),
      /crossEntropy: labelSmoothing is 1.5/,
    );
  });
  it('ordinalSmoothing epsilon outside [0, 1]', () => {
    expectError(() => ordinalSmoothing([0], 3, -0.1), /ordinalSmoothing: epsilon is -0.1/);
  });
  it('a non-integer ignoreIndex, in every loss that takes one', () => {
    expectError(
      () => crossEntropy(logits, [0, 1], { ignoreIndex: 0.5 }),
      'crossEntropy: ignoreIndex is 0.5, expected an integer',
    );
    expectError(
      () => nllLoss(logits, [0, 1], { ignoreIndex: Number.NaN }),
      'nllLoss: ignoreIndex is NaN, expected an integer',
    );
    expectError(
      () => focalLoss(logits, [0, 1], { ignoreIndex: 0.5 }),
      'focalLoss: ignoreIndex is 0.5, expected an integer',
    );
  });
  it('an ignoreIndex outside int32 (it wrapped: 2^32 targets were counted as class 0)', () => {
    for (const loss of [crossEntropy, nllLoss, focalLoss]) {
      expectError(
        () => loss(logits, [2 ** 32, 1], { ignoreIndex: 2 ** 32 }),
        `${loss.name}: ignoreIndex is 4294967296, expected an int32 integer in [-2147483648, 2147483647]`,
      );
    }
  });
  it('negative gamma', () => {
    expectError(() => focalLoss(logits, [0, 1], { gamma: -1 }), 'focalLoss: gamma is -1, expected gamma ≥ 0');
  });
});
