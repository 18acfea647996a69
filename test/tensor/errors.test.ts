/**
 * One test per error path: the class (every one extends XentError) and the exact message,
 * which names the op, what was given and what was expected.
 */
import * as T from '@xent/tensor';
import { DTypeError, IndexError, ShapeError, ValueError, XentError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

const m = (x: number[][] | number[], dtype: T.DType = 'float32') => T.array(x, { dtype });
const i32 = (x: number[][] | number[]) => T.array(x, { dtype: 'int32' });

type ErrorClass = typeof ShapeError;
const CASES: [string, ErrorClass, string, () => unknown][] = [
  [
    'matmul inner',
    ShapeError,
    'matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4 differ',
    () => T.matmul(T.ones([2, 3]), T.ones([4, 5])),
  ],
  [
    'matmul 0d',
    ShapeError,
    'matmul: [] @ [3]: both operands need at least 1 dimension',
    () => T.matmul(T.array(1), T.ones([3])),
  ],
  [
    'matmul batch',
    ShapeError,
    'matmul: [2, 3, 4] @ [3, 4, 5]: batch dimensions [2] and [3] cannot be broadcast together',
    () => T.matmul(T.ones([2, 3, 4]), T.ones([3, 4, 5])),
  ],
  [
    'add bcast',
    ShapeError,
    'add: shapes [2, 3] and [4] cannot be broadcast together (axis 1: 3 vs 4)',
    () => T.add(T.ones([2, 3]), T.ones([4])),
  ],
  [
    'where bcast',
    ShapeError,
    'where: shapes [2] and [3] and [] cannot be broadcast together (axis 0: 2 vs 3)',
    () => T.where(T.ones([2]), T.ones([3]), 0),
  ],
  [
    'broadcastTo',
    ShapeError,
    'broadcastTo: cannot broadcast [3] to [2, 2]: dimension 0 is 3, expected 2 or 1',
    () => T.ones([3]).broadcastTo([2, 2]),
  ],
  [
    'broadcastTo rank',
    ShapeError,
    'broadcastTo: cannot broadcast [2, 3] to [3]: the target has fewer dimensions',
    () => T.ones([2, 3]).broadcastTo([3]),
  ],
  [
    'expand',
    ShapeError,
    'expand: cannot expand [3] to [-1, 3]; -1 only keeps an existing dimension',
    () => T.ones([3]).expand(-1, 3),
  ],
  [
    'sum axis',
    IndexError,
    'sum: axis 2 is out of range for an array of 2 dimensions (expected an integer in [-2, 1])',
    () => T.sum(T.ones([2, 3]), { axis: 2 }),
  ],
  [
    'sum axis dup',
    IndexError,
    'sum: axes [0, -2] repeat an axis; expected distinct axes',
    () => T.sum(T.ones([2, 3]), { axis: [0, -2] }),
  ],
  [
    'softmax axis',
    IndexError,
    'softmax: axis -3 is out of range for an array of 2 dimensions (expected an integer in [-2, 1])',
    () => T.softmax(T.ones([2, 3]), -3),
  ],
  [
    'argmax array axis',
    IndexError,
    'argmax: axis must be a single number, got [0, 1]',
    () => T.argmax(T.ones([2, 3]), { axis: [0, 1] as unknown as number }),
  ],
  [
    'max empty',
    ValueError,
    'max: cannot reduce axis [0] of shape [0, 3]: it has no elements (expected at least one)',
    () => T.max(T.zeros([0, 3]), { axis: 0 }),
  ],
  [
    'reshape',
    ShapeError,
    'reshape: cannot reshape an array of 7 elements into [-1, 2]',
    () => T.arange(7).reshape(-1, 2),
  ],
  [
    'reshape two -1',
    ShapeError,
    'reshape: only one dimension can be -1, got [-1, -1]',
    () => T.arange(6).reshape(-1, -1),
  ],
  [
    'reshape neg',
    ShapeError,
    'reshape: target shape [-2, 3] must hold non-negative integers (or one -1)',
    () => T.arange(6).reshape(-2, 3),
  ],
  [
    'permute',
    ShapeError,
    'permute: axes [0, 0] must be a permutation of the 2 axes of [2, 3]',
    () => T.ones([2, 3]).permute(0, 0),
  ],
  [
    'squeeze',
    ShapeError,
    'squeeze: axis 1 of [2, 3] has size 3, expected 1',
    () => T.ones([2, 3]).squeeze(1),
  ],
  [
    'unsqueeze',
    IndexError,
    'unsqueeze: axis 4 is out of range for an array of 3 dimensions (expected an integer in [-3, 2])',
    () => T.ones([2, 3]).unsqueeze(4),
  ],
  [
    'slice step',
    IndexError,
    'slice: step on axis 0 must be a non-zero integer, got 0',
    () => T.ones([3]).slice([0, 3, 0]),
  ],
  [
    'slice many',
    IndexError,
    'slice: 2 ranges given for an array of 1 dimensions; expected at most 1',
    () => T.ones([3]).slice(null, null),
  ],
  [
    'slice frac',
    IndexError,
    'slice: bounds on axis 0 must be integers or null, got 0.5',
    () => T.ones([3]).slice([0.5, 2]),
  ],
  [
    'select',
    IndexError,
    'select: index 3 is out of range for axis 1 of size 3',
    () => T.ones([2, 3]).select(1, 3),
  ],
  [
    'get oob',
    IndexError,
    'get: index 3 is out of range for axis 1 of size 3',
    () => T.ones([2, 3]).get(0, 3),
  ],
  [
    'get count',
    IndexError,
    'get: 1 indices given for an array of 2 dimensions; expected 2',
    () => T.ones([2, 3]).get(0),
  ],
  [
    'item',
    ShapeError,
    'item: only one-element arrays convert to a number, got shape [2]',
    () => T.ones([2]).item(),
  ],
  [
    'ragged',
    ShapeError,
    'array: ragged nested data: expected an array of 2 elements at index [1], got an array of 1 elements',
    () => T.array([[1, 2], [3]]),
  ],
  [
    'ragged num',
    ShapeError,
    'array: ragged nested data: expected an array of 2 elements at index [1], got the number 3',
    () => T.array([[1, 2], 3] as never),
  ],
  [
    'not numbers',
    ValueError,
    "array: expected numbers or nested arrays of numbers, got the string 'a'",
    () => T.array(['a'] as never),
  ],
  [
    'shape with a string',
    ShapeError,
    `zeros: shape [2] has dimension "2" (a string); expected non-negative integers`,
    () => T.zeros(['2'] as never),
  ],
  [
    'axis as an object',
    IndexError,
    'sum: axis must be a number, an array of numbers or undefined, got {"axis":0}',
    () => T.sum(T.ones([2]), { axis: { axis: 0 } } as never),
  ],
  [
    'transpose 1-D, explicit axis',
    IndexError,
    'transpose: axis 5 is out of range for an array of 1 dimensions (expected an integer in [-1, 0])',
    () => T.ones([3]).transpose(0, 5),
  ],
  [
    'clamp NaN bound',
    ValueError,
    'clamp: bounds must be numbers or omitted, got min=NaN, max=Infinity',
    () => T.clamp(T.ones([2]), Number.NaN),
  ],
  [
    'not a number deeper in',
    ValueError,
    'array: expected numbers or nested arrays of numbers, got true at index [1, 0]',
    () => T.array([[1], [true]] as never),
  ],
  [
    'shape not an array',
    ShapeError,
    'zeros: shape must be an array of dimensions (e.g. [3]), got number 3',
    () => T.zeros(3 as never),
  ],
  [
    'linspace NaN',
    ValueError,
    'linspace: start and stop must be finite, got start=NaN, stop=1',
    () => T.linspace(Number.NaN, 1, 3),
  ],
  ['generator seed', ValueError, 'Generator: seed must be an integer, got 1.5', () => new T.Generator(1.5)],
  [
    'manualSeed NaN',
    ValueError,
    'manualSeed: seed must be an integer, got NaN',
    () => T.manualSeed(Number.NaN),
  ],
  [
    'Generator.manualSeed',
    ValueError,
    'manualSeed: seed must be an integer, got 0.5',
    () => new T.Generator(0).manualSeed(0.5),
  ],
  [
    'typed shape',
    ShapeError,
    'array: a typed array of 4 elements cannot have shape [3]',
    () => T.array(new Float32Array(4), { shape: [3] }),
  ],
  [
    'nested shape',
    ShapeError,
    'array: data of shape [3] cannot have shape [2, 2]',
    () => T.array([1, 2, 3], { shape: [2, 2] }),
  ],
  [
    'bad dtype',
    DTypeError,
    "zeros: dtype 'int8' is not supported; expected one of float32, float64, int32",
    () => T.zeros([2], { dtype: 'int8' as T.DType }),
  ],
  [
    'neg shape',
    ShapeError,
    'zeros: shape [-1, 2] has dimension -1; expected non-negative integers',
    () => T.zeros([-1, 2]),
  ],
  [
    'fromStorage',
    ShapeError,
    'NDArray: shape [2, 2] needs 4 elements but the storage holds 3',
    () => T.NDArray.fromStorage(new Float32Array(3), [2, 2]),
  ],
  [
    'gather dtype',
    DTypeError,
    'gather: index must be int32, got float32 with shape [1, 1]',
    () => T.gather(T.ones([2, 3]), 1, m([[0]])),
  ],
  [
    'gather oob',
    IndexError,
    'gather: index 3 is out of range for axis 1 of size 3',
    () => T.gather(T.ones([2, 3]), 1, i32([[0], [3]])),
  ],
  [
    'gather shape',
    ShapeError,
    'gather: index of shape [2] does not fit an array of shape [2, 3] along axis 1',
    () => T.gather(T.ones([2, 3]), 1, i32([0, 1])),
  ],
  [
    'scatter source',
    ShapeError,
    'scatterAdd: source [1, 1] must be at least as large as index [1, 2] on every axis',
    () => T.scatterAdd(T.zeros([2, 3]), 1, i32([[0, 1]]), T.ones([1, 1])),
  ],
  [
    'scatter dtype',
    DTypeError,
    'scatterAdd: index must be int32, got float32 with shape [1, 2]',
    () => T.scatterAdd(T.zeros([2, 3]), 1, m([[0, 1]]), T.ones([1, 2])),
  ],
  [
    'indexSelect 2d',
    ShapeError,
    'indexSelect: indices must be 1-D, got shape [1, 1]',
    () => T.indexSelect(T.ones([2, 3]), 0, i32([[0]])),
  ],
  [
    'indexSelect oob',
    IndexError,
    'indexSelect: index 2 is out of range for axis 0 of size 2',
    () => T.indexSelect(T.ones([2, 3]), 0, i32([2])),
  ],
  [
    'indexSelect dtype',
    DTypeError,
    'indexSelect: indices must be int32, got float64 with shape [1]',
    () => T.indexSelect(T.ones([2, 3]), 0, m([0], 'float64')),
  ],
  ['concat empty', ValueError, 'concat: expected at least one array, got none', () => T.concat([])],
  [
    'concat 0d',
    ShapeError,
    'concat: cannot join 0-d arrays along an axis; expected arrays of at least 1 dimension (use stack)',
    () => T.concat([T.array(1), T.array(2)]),
  ],
  [
    'concat mismatch',
    ShapeError,
    'concat: array 1 has shape [2, 4] but array 0 has [2, 3]; all dimensions but axis 0 must match',
    () => T.concat([T.ones([2, 3]), T.ones([2, 4])]),
  ],
  [
    'stack mismatch',
    ShapeError,
    'stack: array 1 has shape [3] but array 0 has [2]; all must match',
    () => T.stack([T.ones([2]), T.ones([3])]),
  ],
  ['stack empty', ValueError, 'stack: expected at least one array, got none', () => T.stack([])],
  [
    'oneHot label',
    IndexError,
    'oneHot: label 3 at position 1 is outside [0, 2]',
    () => T.oneHot(i32([0, 3]), 3),
  ],
  [
    'oneHot classes',
    ValueError,
    'oneHot: numClasses must be a positive integer, got 0',
    () => T.oneHot(i32([0]), 0),
  ],
  [
    'oneHot dtype',
    DTypeError,
    'oneHot: labels must be int32, got float32 with shape [1]',
    () => T.oneHot(m([0]), 2),
  ],
  [
    'clamp',
    ValueError,
    'clamp: min 1 is greater than max 0; expected min <= max',
    () => T.clamp(T.ones([2]), 1, 0),
  ],
  ['arange step', ValueError, 'arange: step must be finite and non-zero, got 0', () => T.arange(0, 3, 0)],
  [
    'arange inf',
    ValueError,
    'arange: start and stop must be finite, got start=0, stop=Infinity',
    () => T.arange(0, Number.POSITIVE_INFINITY),
  ],
  [
    'linspace',
    ValueError,
    'linspace: num must be a non-negative integer, got -1',
    () => T.linspace(0, 1, -1),
  ],
  [
    'randint',
    ValueError,
    'randint: expected integers low < high, got low=3, high=3',
    () => T.randint(3, 3, [2]),
  ],
  [
    'rand int32',
    DTypeError,
    'rand: dtype int32 is not supported; expected float32 or float64 (use randint)',
    () => T.rand([2], { dtype: 'int32' }),
  ],
  [
    'randn int32',
    DTypeError,
    'randn: dtype int32 is not supported; expected float32 or float64 (use randint)',
    () => T.randn([2], { dtype: 'int32' }),
  ],
  ['generator', ValueError, 'Generator: seed must be an integer, got NaN', () => new T.Generator(Number.NaN)],
  [
    'assign bcast target',
    ValueError,
    'assign: target of shape [2, 3] is a broadcast view (stride 0 on axis 0); expected a view where each element has its own storage',
    () => T.assign(T.ones([3]).broadcastTo([2, 3]), 1),
  ],
  [
    'assign shape',
    ShapeError,
    'assign: cannot broadcast [3] to [2, 2]: dimension 0 is 3, expected 2 or 1',
    () => T.assign(T.zeros([2, 2]), T.ones([3])),
  ],
  [
    'variance axis',
    IndexError,
    'variance: axis 1 is out of range for an array of 1 dimensions (expected an integer in [-1, 0])',
    () => T.variance(T.ones([2]), { axis: 1 }),
  ],
  [
    'eye',
    ShapeError,
    'eye: shape [-1, -1] has dimension -1; expected non-negative integers',
    () => T.eye(-1),
  ],
];

describe('error paths', () => {
  it.each(CASES)('%s', (_name, errorClass, message, call) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorClass);
    expect(thrown).toBeInstanceOf(XentError);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as Error).name).toBe(errorClass.name);
  });

  it('setBackend names the unknown backend and the known ones', () => {
    expect(() => T.setBackend('nope')).toThrow(/^setBackend: unknown backend 'nope'; expected one of js/);
  });
});
