/**
 * The internal helpers of @xent/losses, tested directly: the values they return and the exact
 * messages they throw. The losses' own tests reach them only through the public functions.
 */
import { grad, Tensor, tensor } from '@xent/autograd';
import { array, IndexError, NDArray, ShapeError, ValueError, XentError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  broadcastOption,
  checkFinite,
  checkFiniteNumber,
  checkFloatTensor,
  checkMinRank,
  checkNonNegative,
  checkNumberIn,
  checkReduction,
  checkShape,
  checkUnitInterval,
  describeValue,
  formatIndex,
  type Reduction,
  reduce,
  sameShape,
  toClassVector,
  toFloatTarget,
  toFloatTensor,
} from '../../packages/losses/src/args.js';
import { probabilityEpsilon } from '../../packages/losses/src/binary.js';
import { crossEntropyAs, crossEntropyComposed } from '../../packages/losses/src/cross-entropy.js';
import { checkNumClasses, toCrowdLabels, voteFractions } from '../../packages/losses/src/crowd.js';
import { fusedCrossEntropy } from '../../packages/losses/src/fused-cross-entropy.js';
import {
  applyMask,
  checkIgnoreIndex,
  countedMask,
  safeLabels,
  toIntTarget,
} from '../../packages/losses/src/labels.js';
import { checkClassRows, shapeOf, toValues } from '../../packages/losses/src/metrics.js';

/** Asserts `fn` throws an instance of `type` with exactly `message`. */
function expectThrows(fn: () => unknown, type: typeof XentError, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toBe(message);
}

const f64 = (values: number[] | number[][], shape?: number[]) =>
  shape ? tensor(new Float64Array(values.flat()), { shape }) : tensor(values, { dtype: 'float64' });

describe('checkReduction', () => {
  it('defaults to mean and passes the three reductions through', () => {
    expect(checkReduction('f', undefined)).toBe('mean');
    for (const r of ['mean', 'sum', 'none'] as const) expect(checkReduction('f', r)).toBe(r);
  });
  it('names the bad reduction', () => {
    expectThrows(
      () => checkReduction('crossEntropy', 'avg' as Reduction),
      ValueError,
      "crossEntropy: reduction is 'avg', expected 'mean', 'sum' or 'none'",
    );
  });
});

describe('reduce', () => {
  const loss = f64([1, 2, 3, 6]);
  it('none returns the tensor itself, sum and mean reduce it', () => {
    expect(reduce(loss, 'none')).toBe(loss);
    expect(reduce(loss, 'sum').item()).toBe(12);
    expect(reduce(loss, 'mean').item()).toBe(3);
  });
  it('mean divides by a given count or weight-total tensor', () => {
    expect(reduce(loss, 'mean', 8).item()).toBe(1.5);
    expect(reduce(loss, 'mean', f64([3]).sum()).item()).toBe(4);
  });
  it('a zero denominator gives 0 with zero gradients, not NaN', () => {
    const leaf = new Tensor(array([1, 2], { dtype: 'float64' }), { requiresGrad: true });
    const out = reduce(leaf, 'mean', 0);
    expect(out.item()).toBe(0);
    const [gradient] = grad(out, leaf);
    expect(gradient.toArray()).toEqual([0, 0]);
  });
});

describe('checkFloatTensor', () => {
  it('returns a float tensor as is', () => {
    const value = f64([1]);
    expect(checkFloatTensor('f', 'logits', value)).toBe(value);
    const single = tensor([1], { dtype: 'float32' });
    expect(checkFloatTensor('f', 'logits', single)).toBe(single);
  });
  it('rejects non-tensors, naming what was given', () => {
    expectThrows(
      () => checkFloatTensor('f', 'logits', [1, 2]),
      XentError,
      'f: logits must be a Tensor, got Array',
    );
    expectThrows(
      () => checkFloatTensor('f', 'logits', null),
      XentError,
      'f: logits must be a Tensor, got null',
    );
    expectThrows(
      () => checkFloatTensor('f', 'logits', 3),
      XentError,
      'f: logits must be a Tensor, got number',
    );
    expectThrows(
      () => checkFloatTensor('f', 'logits', array([1])),
      XentError,
      'f: logits must be a Tensor, got NDArray',
    );
  });
  it('rejects int32 tensors', () => {
    expectThrows(
      () => checkFloatTensor('f', 'logits', tensor([1, 2], { dtype: 'int32' })),
      XentError,
      'f: logits must be float32 or float64, got dtype int32',
    );
  });
});

describe('checkMinRank', () => {
  it('accepts enough dimensions', () => {
    expect(() => checkMinRank('f', 'logits', f64([[1, 2]]), 2)).not.toThrow();
    expect(() => checkMinRank('f', 'logits', f64([[1, 2]]), 1)).not.toThrow();
  });
  it('says how many dimensions were expected (singular and plural)', () => {
    expectThrows(
      () => checkMinRank('f', 'logits', f64([1, 2]), 2),
      ShapeError,
      'f: logits has shape [2], expected at least 2 dimensions (class dimension last)',
    );
    expectThrows(
      () => checkMinRank('f', 'logits', tensor(1, { dtype: 'float64' }), 1),
      ShapeError,
      'f: logits has shape [], expected at least 1 dimension (class dimension last)',
    );
  });
});

describe('checkShape and sameShape', () => {
  it('sameShape compares length and every dimension', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2], [2, 1])).toBe(false);
  });
  it('checkShape names the shape, the cause and the expected shape', () => {
    expect(() => checkShape('f', 'target', [4, 3], [4, 3], 'logits [4, 3, 2]')).not.toThrow();
    expectThrows(
      () => checkShape('crossEntropy', 'target', [4], [4, 3], 'logits [4, 3, 2]'),
      ShapeError,
      'crossEntropy: target has shape [4] but logits [4, 3, 2] need [4, 3]',
    );
  });
});

describe('formatIndex', () => {
  it('turns a flat row-major position into a multi-index', () => {
    expect(formatIndex(0, [2, 3])).toBe('[0, 0]');
    expect(formatIndex(5, [2, 3])).toBe('[1, 2]');
    expect(formatIndex(7, [2, 3, 2])).toBe('[1, 0, 1]');
    expect(formatIndex(4, [5])).toBe('[4]');
    expect(formatIndex(0, [])).toBe('[]');
  });
});

describe('checkFinite', () => {
  it('accepts finite tensors and NDArrays', () => {
    expect(() => checkFinite('f', 'x', f64([0, -1e300, 1e300]))).not.toThrow();
    expect(() => checkFinite('f', 'x', array([1, 2]))).not.toThrow();
  });
  it('names the first NaN or infinity and its multi-index', () => {
    expectThrows(
      () => checkFinite('f', 'logits', f64([1, 2, 3, Number.NaN, Number.POSITIVE_INFINITY, 6], [2, 3])),
      ValueError,
      'f: logits contains NaN at index [1, 0]; expected finite values',
    );
    expectThrows(
      () => checkFinite('f', 'weight', array([1, Number.NEGATIVE_INFINITY])),
      ValueError,
      'f: weight contains -Infinity at index [1]; expected finite values',
    );
  });
});

describe('checkUnitInterval', () => {
  it('accepts 0, 1 and values between', () => {
    expect(() => checkUnitInterval('f', 'target', f64([0, 0.5, 1]))).not.toThrow();
  });
  it('names the first value outside [0, 1], NaN included', () => {
    expectThrows(
      () => checkUnitInterval('f', 'target', f64([0, 1.5, -1, 0], [2, 2])),
      ValueError,
      'f: target contains 1.5 at index [0, 1]; expected values in [0, 1]',
    );
    expectThrows(
      () => checkUnitInterval('f', 'target', array([Number.NaN])),
      ValueError,
      'f: target contains NaN at index [0]; expected values in [0, 1]',
    );
  });
});

describe('checkNumberIn and checkFiniteNumber', () => {
  it('return the number when it is valid, bounds included', () => {
    expect(checkNumberIn('f', 'labelSmoothing', 0, 0, 1)).toBe(0);
    expect(checkNumberIn('f', 'labelSmoothing', 1, 0, 1)).toBe(1);
    expect(checkFiniteNumber('f', 'margin', -2.5)).toBe(-2.5);
  });
  it('reject out-of-range, NaN and non-numbers', () => {
    expectThrows(
      () => checkNumberIn('f', 'labelSmoothing', 1.1, 0, 1),
      ValueError,
      'f: labelSmoothing is 1.1, expected a number in [0, 1]',
    );
    expectThrows(
      () => checkNumberIn('f', 'gamma', Number.NaN, 0, Number.POSITIVE_INFINITY),
      ValueError,
      'f: gamma is NaN, expected a number in [0, Infinity]',
    );
    expectThrows(
      () => checkNumberIn('f', 'gamma', '2' as unknown as number, 0, 5),
      ValueError,
      'f: gamma is 2, expected a number in [0, 5]',
    );
    expectThrows(
      () => checkFiniteNumber('f', 'margin', Number.POSITIVE_INFINITY),
      ValueError,
      'f: margin is Infinity, expected a finite number',
    );
    expectThrows(
      () => checkFiniteNumber('f', 'margin', undefined as unknown as number),
      ValueError,
      'f: margin is undefined, expected a finite number',
    );
  });
});

describe('toFloatTensor', () => {
  it('keeps a tensor of the right dtype (so gradients flow) and converts the rest', () => {
    const same = f64([1, 2]);
    expect(toFloatTensor('f', 'w', same, 'float64')).toBe(same);
    const converted = toFloatTensor('f', 'w', tensor([1, 2], { dtype: 'float32' }), 'float64');
    expect(converted.dtype).toBe('float64');
    expect(converted.toArray()).toEqual([1, 2]);
    const fromArray = toFloatTensor('f', 'w', array([[1], [2]], { dtype: 'float64' }), 'float32');
    expect(fromArray.dtype).toBe('float32');
    expect(fromArray.shape).toEqual([2, 1]);
    const fromNested = toFloatTensor('f', 'w', [0.5, 2], 'float64');
    expect(fromNested.toArray()).toEqual([0.5, 2]);
    expect(toFloatTensor('f', 'w', 3, 'float64').shape).toEqual([]);
  });
  it('rejects other types, ragged arrays and non-finite values', () => {
    expectThrows(
      () => toFloatTensor('f', 'weight', 'heavy' as unknown as number, 'float64'),
      XentError,
      'f: weight must be a Tensor, an NDArray or an array of numbers, got string',
    );
    let caught: unknown;
    try {
      toFloatTensor('f', 'weight', [[1, 2], [3]], 'float64');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValueError);
    expect((caught as Error).message).toMatch(/^f: weight is not a rectangular array of numbers \(.+\)$/);
    expectThrows(
      () => toFloatTensor('f', 'weight', [1, Number.NaN], 'float64'),
      ValueError,
      'f: weight contains NaN at index [1]; expected finite values',
    );
  });
});

describe('toClassVector', () => {
  it('returns one float per class', () => {
    const weight = toClassVector('f', 'weight', [1, 2, 3], 3, 'float32');
    expect(weight.dtype).toBe('float32');
    expect(weight.toArray()).toEqual([1, 2, 3]);
  });
  it('names the element count or the shape when it does not fit', () => {
    expectThrows(
      () => toClassVector('crossEntropy', 'weight', [1, 2, 3, 4], 3, 'float64'),
      ShapeError,
      'crossEntropy: weight has 4 elements, expected one per class (3)',
    );
    expectThrows(
      () => toClassVector('crossEntropy', 'weight', [[1, 2, 3]], 3, 'float64'),
      ShapeError,
      'crossEntropy: weight has shape [1, 3], expected one per class (3)',
    );
  });
});

describe('toFloatTarget', () => {
  const probs = f64([0.2, 0.8]);
  it('takes the dtype of `like` and keeps a matching tensor as is', () => {
    const target = toFloatTarget('f', 'target', [0, 1], tensor([0.3, 0.4], { dtype: 'float32' }), 'probs');
    expect(target.dtype).toBe('float32');
    expect(target.toArray()).toEqual([0, 1]);
    const soft = f64([0.25, 0.75]);
    expect(toFloatTarget('f', 'target', soft, probs, 'probs')).toBe(soft);
  });
  it('rejects a shape other than that of `like`, and values outside [0, 1]', () => {
    expectThrows(
      () => toFloatTarget('binaryCrossEntropy', 'target', [0, 1, 1], probs, 'probs'),
      ShapeError,
      'binaryCrossEntropy: target has shape [3], expected the shape of probs [2]',
    );
    expectThrows(
      () => toFloatTarget('binaryCrossEntropy', 'target', [0, 2], probs, 'probs'),
      ValueError,
      'binaryCrossEntropy: target contains 2 at index [1]; expected values in [0, 1]',
    );
  });
});

describe('broadcastOption', () => {
  const like = f64([1, 2, 3, 4, 5, 6], [2, 3]);
  it('accepts shapes that broadcast to `like`', () => {
    expect(broadcastOption('f', 'weight', [1, 2, 3], like, true).shape).toEqual([3]);
    expect(broadcastOption('f', 'weight', [[1], [2]], like).shape).toEqual([2, 1]);
    expect(broadcastOption('f', 'weight', 2, like).shape).toEqual([]);
    expect(broadcastOption('f', 'mask', like, like)).toBe(like);
  });
  it('per class, a 1-D option must have one element per class or a single one', () => {
    expectThrows(
      () => broadcastOption('f', 'posWeight', [1, 2], like, true),
      ShapeError,
      'f: posWeight has 2 elements, expected one per class (3) or a single one',
    );
    // PyTorch's pos_weight=torch.tensor([w]): one weight for every class.
    expect(broadcastOption('f', 'posWeight', [2], like, true).shape).toEqual([1]);
  });
  it('rejects shapes that do not broadcast', () => {
    expectThrows(
      () => broadcastOption('f', 'weight', [1, 2], like),
      ShapeError,
      'f: weight has shape [2], which does not broadcast to [2, 3]',
    );
    expectThrows(
      () => broadcastOption('f', 'weight', [[[1, 2, 3]]], like),
      ShapeError,
      'f: weight has shape [1, 1, 3], which does not broadcast to [2, 3]',
    );
  });
});

describe('checkNonNegative', () => {
  it('accepts zeros and positives', () => {
    expect(() => checkNonNegative('f', 'weight', f64([0, 1, 2]))).not.toThrow();
  });
  it('names the first negative (or NaN) entry', () => {
    expectThrows(
      () => checkNonNegative('f', 'weight', f64([1, -0.5, -2])),
      ValueError,
      'f: weight contains -0.5 at index [1]; expected values ≥ 0',
    );
    expectThrows(
      () =>
        checkNonNegative('f', 'priors', new Tensor(NDArray.fromStorage(new Float64Array([Number.NaN]), [1]))),
      ValueError,
      'f: priors contains NaN at index [0]; expected values ≥ 0',
    );
  });
});

describe('checkIgnoreIndex', () => {
  it('defaults to -100 and accepts any int32 integer', () => {
    expect(checkIgnoreIndex('f', undefined)).toBe(-100);
    expect(checkIgnoreIndex('f', 7)).toBe(7);
    expect(checkIgnoreIndex('f', -(2 ** 31))).toBe(-(2 ** 31));
    expect(checkIgnoreIndex('f', 2 ** 31 - 1)).toBe(2 ** 31 - 1);
  });
  it('refuses non-integers and values an int32 label could not hold', () => {
    expect(() => checkIgnoreIndex('f', 1.5)).toThrow('f: ignoreIndex is 1.5, expected an integer');
    expect(() => checkIgnoreIndex('f', 2 ** 31)).toThrow(
      'f: ignoreIndex is 2147483648, expected an int32 integer in [-2147483648, 2147483647]',
    );
  });
});

describe('describeValue', () => {
  it('names a value by its class, null, or typeof', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(new Map())).toBe('Map');
    expect(describeValue(Object.create(null))).toBe('object');
    expect(describeValue(3)).toBe('number');
    expect(describeValue(undefined)).toBe('undefined');
  });
});

describe('crossEntropyAs', () => {
  it("is crossEntropy with errors under the caller's name, fused or composed", () => {
    const logits = tensor(
      [
        [0.2, -1, 3],
        [1, 0.5, -0.5],
      ],
      { dtype: 'float64' },
    );
    const fused = crossEntropyAs('myLoss', logits, [2, 0], {});
    const composed = crossEntropyAs('myLoss', logits, [2, 0], {}, false);
    expect(fused.item()).toBeCloseTo(composed.item(), 12);
    expect(() => crossEntropyAs('myLoss', logits, [3, 0], {})).toThrow(/^myLoss: target contains class 3/);
  });
});

describe('toIntTarget', () => {
  it('converts nested arrays, NDArrays and tensors to contiguous int32', () => {
    const labels = toIntTarget(
      'f',
      [
        [0, 2],
        [1, -100],
      ],
      [2, 2],
      3,
      { ignoreIndex: -100 },
    );
    expect(labels.dtype).toBe('int32');
    expect(Array.from(labels.data)).toEqual([0, 2, 1, -100]);
    const fromTensor = toIntTarget('f', tensor([2, 0], { dtype: 'int32' }), [2], 3);
    expect(Array.from(fromTensor.data)).toEqual([2, 0]);
  });
  it('checks the shape against the logits', () => {
    expectThrows(
      () => toIntTarget('crossEntropy', [0, 1, 0, 1], [4, 3], 2),
      ShapeError,
      'crossEntropy: target has shape [4] but logits [4, 3, 2] need [4, 3]',
    );
    expectThrows(
      () => toIntTarget('nllLoss', [0], [2], 3, { logitsName: 'logProbs', logitsShape: [2, 3] }),
      ShapeError,
      'nllLoss: target has shape [1] but logProbs [2, 3] need [2]',
    );
  });
  it('names classes out of range and non-integers, with ignoreIndex when allowed', () => {
    expectThrows(
      () => toIntTarget('f', [0, 3], [2], 3),
      IndexError,
      'f: target contains class 3 at index [1]; expected an integer in [0, 3)',
    );
    expectThrows(
      () =>
        toIntTarget(
          'f',
          [
            [0, 0],
            [-1, 0],
          ],
          [2, 2],
          3,
          { ignoreIndex: -100 },
        ),
      IndexError,
      'f: target contains class -1 at index [1, 0]; expected an integer in [0, 3) or ignoreIndex -100',
    );
    expectThrows(
      () => toIntTarget('f', [0.5], [1], 3, { name: 'labels' }),
      IndexError,
      'f: labels contains non-integer value 0.5 at index [0]; expected an integer in [0, 3)',
    );
  });
  it('rejects other types and ragged arrays', () => {
    expectThrows(
      () => toIntTarget('f', { 0: 1 } as unknown as number, [1], 3),
      XentError,
      'f: target must be a Tensor, an NDArray or an array of integers, got Object',
    );
    expect(() => toIntTarget('f', [[0], [1, 2]], [2, 1], 3)).toThrow(
      /^f: target is not a rectangular array of numbers \(/,
    );
  });
});

describe('countedMask, safeLabels and applyMask', () => {
  const labels = NDArray.fromStorage(new Int32Array([2, -100, 0, -100, 1]), [5]);
  it('countedMask marks and counts the targets that are not ignored', () => {
    const { mask, count } = countedMask(labels, -100, 'float32');
    expect(count).toBe(3);
    expect(mask.dtype).toBe('float32');
    expect(mask.toArray()).toEqual([1, 0, 1, 0, 1]);
  });
  it('safeLabels replaces ignored targets by class 0 and leaves the input alone', () => {
    expect(Array.from(safeLabels(labels, -100).data)).toEqual([2, 0, 0, 0, 1]);
    expect(Array.from(labels.data)).toEqual([2, -100, 0, -100, 1]);
  });
  it('applyMask zeroes masked entries, NaN and Infinity included, and their gradients', () => {
    const loss = new Tensor(array([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5], { dtype: 'float32' }), {
      requiresGrad: true,
    });
    const { mask } = countedMask(labels, -100, 'float32');
    const masked = applyMask(loss, mask);
    expect(masked.toArray()).toEqual([1, 0, 3, 0, 5]);
    const [gradient] = grad(masked.sum(), loss);
    expect(gradient.toArray()).toEqual([1, 0, 1, 0, 1]);
  });
});

describe('probabilityEpsilon', () => {
  it('is 1e-12 in float64 and 1e-7 in float32, where 1 − eps is still below 1', () => {
    expect(probabilityEpsilon('float64')).toBe(1e-12);
    expect(probabilityEpsilon('float32')).toBe(1e-7);
    expect(Math.fround(1 - probabilityEpsilon('float32'))).toBeLessThan(1);
    expect(Math.fround(1 - 1e-12)).toBe(1);
  });
});

describe('metrics input helpers', () => {
  it('toValues reads any float input as float64, finite', () => {
    const values = toValues('accuracy', 'predictions', tensor([0.5, 1.5], { dtype: 'float32' }));
    expect(values.dtype).toBe('float64');
    expect(Array.from(values.values())).toEqual([0.5, 1.5]);
    expectThrows(
      () => toValues('accuracy', 'predictions', [1, Number.NaN]),
      ValueError,
      'accuracy: predictions contains NaN at index [1]; expected finite values',
    );
  });
  it('shapeOf reads the shape of nested arrays without converting them', () => {
    expect(
      shapeOf([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual([2, 3]);
    expect(shapeOf([])).toEqual([0]);
    expect(shapeOf(7)).toEqual([]);
    expect(shapeOf(array([[1], [2]]))).toEqual([2, 1]);
    expect(shapeOf(f64([1, 2, 3]))).toEqual([3]);
  });
  it('checkClassRows returns [N, C] and rejects anything but a 2-D array with classes', () => {
    expect(
      checkClassRows(
        'f',
        'probs',
        array([
          [0.5, 0.5],
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toEqual([3, 2]);
    expectThrows(
      () => checkClassRows('expectedCalibrationError', 'probs', array([0.5, 0.5])),
      ShapeError,
      'expectedCalibrationError: probs has shape [2], expected [N, C]',
    );
    expectThrows(
      () => checkClassRows('f', 'probs', NDArray.empty([2, 0], 'float64')),
      ShapeError,
      'f: probs has shape [2, 0], expected [N, C]',
    );
  });
});

describe('crowd label helpers', () => {
  it('checkNumClasses wants an integer ≥ 2', () => {
    expect(checkNumClasses('majorityVote', 2)).toBe(2);
    expectThrows(
      () => checkNumClasses('majorityVote', 1),
      ValueError,
      'majorityVote: numClasses is 1, expected an integer ≥ 2',
    );
    expectThrows(
      () => checkNumClasses('majorityVote', 2.5),
      ValueError,
      'majorityVote: numClasses is 2.5, expected an integer ≥ 2',
    );
  });
  it('toCrowdLabels flattens rows and keeps −1 for no label', () => {
    const crowd = toCrowdLabels(
      'f',
      [
        [0, -1, 2],
        [1, 1, -1],
      ],
      3,
    );
    expect(crowd.items).toBe(2);
    expect(crowd.annotators).toBe(3);
    expect(Array.from(crowd.values)).toEqual([0, -1, 2, 1, 1, -1]);
    const fromArray = toCrowdLabels('f', array([[1, 0]], { dtype: 'int32' }), 2);
    expect([fromArray.items, fromArray.annotators]).toEqual([1, 2]);
  });
  it('toCrowdLabels names bad shapes and bad labels', () => {
    expectThrows(
      () => toCrowdLabels('dawidSkene', [[0, 1], [0]], 2),
      ShapeError,
      'dawidSkene: labels is ragged: row 1 has 1 entries but row 0 has 2; expected one entry per annotator in every row (−1 for no label)',
    );
    expectThrows(
      () => toCrowdLabels('f', [0, 1] as unknown as number[][], 2),
      ShapeError,
      'f: labels row 0 is not an array of numbers; expected items × annotators',
    );
    expectThrows(
      () => toCrowdLabels('f', array([0, 1]), 2),
      ShapeError,
      'f: labels has shape [2], expected 2 dimensions [items, annotators]',
    );
    expectThrows(
      () => toCrowdLabels('f', [], 2),
      ShapeError,
      'f: labels has shape [0, 0], expected at least one item and one annotator',
    );
    expectThrows(
      () => toCrowdLabels('f', 'labels' as unknown as number[][], 2),
      XentError,
      'f: labels must be a Tensor, an NDArray or an array of rows, got string',
    );
    expectThrows(
      () => toCrowdLabels('f', [[0, 3]], 3),
      IndexError,
      'f: labels contains 3 at [0, 1]; expected an integer in [0, 3) or −1 for no label (is numClasses 3 too small?)',
    );
    expectThrows(
      () => toCrowdLabels('f', [[0], [-2]], 3),
      IndexError,
      'f: labels contains -2 at [1, 0]; expected an integer in [0, 3) or −1 for no label',
    );
  });
  it('voteFractions splits each item over the classes voted, uniform when nobody voted', () => {
    const crowd = toCrowdLabels(
      'f',
      [
        [0, 0, 1, 2],
        [2, -1, -1, -1],
        [-1, -1, -1, -1],
      ],
      3,
    );
    expect(Array.from(voteFractions(crowd, 3))).toEqual([0.5, 0.25, 0.25, 0, 0, 1, 1 / 3, 1 / 3, 1 / 3]);
  });
});

describe('fusedCrossEntropy called directly', () => {
  // Two rows of three classes, one ignored target, class weights and label smoothing: the
  // value and gradient must equal the composed (op-by-op) cross-entropy's.
  const logitsValues = [0.3, -1.2, 2.0, 0.5, 0.5, -0.7, 1.1, 0.0, -2.0];
  const labels = NDArray.fromStorage(new Int32Array([2, -100, 0]), [3]);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`equals crossEntropyComposed (${reduction})`, () => {
      const fusedLeaf = new Tensor(NDArray.fromStorage(new Float64Array(logitsValues), [3, 3]), {
        requiresGrad: true,
      });
      const composedLeaf = new Tensor(NDArray.fromStorage(new Float64Array(logitsValues), [3, 3]), {
        requiresGrad: true,
      });
      const weight = new Float64Array([1, 2, 0.5]);
      const fused = fusedCrossEntropy(fusedLeaf, labels, {
        numClasses: 3,
        weight,
        ignoreIndex: -100,
        epsilon: 0.1,
        reduction,
      });
      const composed = crossEntropyComposed(composedLeaf, [2, -100, 0], {
        weight: [1, 2, 0.5],
        ignoreIndex: -100,
        labelSmoothing: 0.1,
        reduction,
      });
      const fusedValues = Array.from(fused.data.values());
      const composedValues = Array.from(composed.data.values());
      expect(fusedValues.length).toBe(composedValues.length);
      fusedValues.forEach((v, i) => {
        expect(v).toBeCloseTo(composedValues[i], 12);
      });
      const [fusedGrad] = grad(fused.sum(), fusedLeaf);
      const [composedGrad] = grad(composed.sum(), composedLeaf);
      const expected = Array.from(composedGrad.data.values());
      Array.from(fusedGrad.data.values()).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i], 12);
      });
      // The ignored row has no gradient at all.
      expect(Array.from(fusedGrad.data.values()).slice(3, 6)).toEqual([0, 0, 0]);
    });
  }
});
