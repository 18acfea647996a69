/** matmul's shape rules, dtypes and operand layouts (the gemm kernel itself: gemm.test.ts). */
import { type DType, Generator, matmul, type NDArray, zeros } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type Flat,
  flat,
  indices,
  make,
  position,
  randomValues,
  store,
  withLayout,
} from './reference.js';

/** NumPy matmul by definition: promote 1-D operands, broadcast batch axes, triple loop. */
function referenceMatmul(a: Flat, b: Flat, dtype: DType): Flat {
  const aShape = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const batch = Array.from({ length: rank }, (_, i) => {
    const x = aBatch[aBatch.length - rank + i] ?? 1;
    const y = bBatch[bBatch.length - rank + i] ?? 1;
    return x === 1 ? y : x;
  });
  const pick = (shape: number[], batchIndex: number[]) =>
    shape.slice(0, -2).map((d, i) => (d === 1 ? 0 : batchIndex[rank - (shape.length - 2) + i]));
  const data: number[] = [];
  for (const bi of indices(batch)) {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let total = 0;
        for (let p = 0; p < k; p++) {
          total +=
            a.data[position(aShape, [...pick(aShape, bi), i, p])] *
            b.data[position(bShape, [...pick(bShape, bi), p, j])];
        }
        data.push(store(total, dtype));
      }
  }
  let shape = [...batch, m, n];
  if (a.shape.length === 1) shape = [...batch, n];
  if (b.shape.length === 1) shape = a.shape.length === 1 ? batch : [...batch, m];
  return { shape, data };
}

const CASES: [number[], number[]][] = [
  [[3], [3]],
  [[3], [3, 2]],
  [[2, 3], [3]],
  [
    [2, 3],
    [3, 4],
  ],
  [
    [1, 1],
    [1, 1],
  ],
  [
    [2, 2, 3],
    [3, 4],
  ],
  [
    [2, 3],
    [4, 3, 2],
  ],
  [
    [2, 1, 2, 3],
    [5, 3, 2],
  ],
  [
    [3, 1, 2, 2],
    [1, 4, 2, 2],
  ],
  [
    [0, 3],
    [3, 2],
  ],
  [
    [2, 0],
    [0, 3],
  ],
  [
    [2, 3],
    [3, 0],
  ],
  [
    [0, 2, 3],
    [3, 1],
  ],
];

describe('matmul against a naive reference', () => {
  const generator = new Generator(21);
  it('1-D, 2-D and batched shapes with broadcast batch axes, size 0 and 1', () => {
    for (const [aShape, bShape] of CASES) {
      const aValues = randomValues(
        generator,
        aShape.reduce((p, d) => p * d, 1),
        'float64',
      );
      const bValues = randomValues(
        generator,
        bShape.reduce((p, d) => p * d, 1),
        'float64',
      );
      const expected = referenceMatmul(
        { shape: aShape, data: aValues },
        { shape: bShape, data: bValues },
        'float64',
      );
      for (const layout of ['contiguous', 'transposed', 'stepped', 'reversed'] as const) {
        const a = withLayout(aValues, aShape, 'float64', layout);
        const b = withLayout(bValues, bShape, 'float64', layout === 'transposed' ? 'stepped' : layout);
        expectClose(matmul(a, b), expected, 'float64', 1e-12);
      }
    }
  });

  it('dtypes: float32 stays float32, float64 wins, int32 computes in float32', () => {
    const cases: [DType, DType, DType][] = [
      ['float32', 'float32', 'float32'],
      ['float32', 'float64', 'float64'],
      ['int32', 'float64', 'float64'],
      ['int32', 'int32', 'float32'],
    ];
    for (const [aType, bType, outType] of cases) {
      const aValues = randomValues(generator, 6, aType);
      const bValues = randomValues(generator, 12, bType);
      const expected = referenceMatmul(
        { shape: [2, 3], data: aValues },
        { shape: [3, 4], data: bValues },
        outType,
      );
      const got = matmul(
        withLayout(aValues, [2, 3], aType, 'transposed'),
        withLayout(bValues, [3, 4], bType, 'contiguous'),
      );
      expectClose(got, expected, outType, outType === 'float32' ? 1e-6 : 1e-12);
    }
  });

  it('transposed operands are the transposes (Aᵀ·B, A·Bᵀ) without copying the input', () => {
    const a = make(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      'float64',
    ); // 3 × 2
    expect(matmul(a.transpose(), a).toArray()).toEqual([
      [35, 44],
      [44, 56],
    ]);
    expect(matmul(a, a.transpose()).toArray()).toEqual([
      [5, 11, 17],
      [11, 25, 39],
      [17, 39, 61],
    ]);
    expect(matmul(make([1, 2]), make([3, 4])).item()).toBe(11);
    expect(matmul(make([1, 2]), a.transpose()).toArray()).toEqual([5, 11, 17]);
  });

  it('k = 0 gives zeros; a stride-0 (broadcast) operand works', () => {
    expect(flat(matmul(zeros([2, 0]), zeros([0, 3]))).data).toEqual([0, 0, 0, 0, 0, 0]);
    const ones = make([1, 1], 'float64').broadcastTo([3, 2]); // every row [1, 1]
    const b = make(
      [
        [1, 2],
        [3, 4],
      ],
      'float64',
    );
    expect(matmul(ones, b).toArray()).toEqual([
      [4, 6],
      [4, 6],
      [4, 6],
    ]);
  });

  it('batch axes that cannot merge into one stride still multiply each batch', () => {
    // A batch of 2 × 3 matrices whose batch axes are permuted: no single batch stride.
    const values = randomValues(generator, 2 * 3 * 2 * 2, 'float64');
    const stack: NDArray = withLayout(values, [2, 3, 2, 2], 'float64', 'contiguous').permute(1, 0, 2, 3);
    const b = withLayout(randomValues(generator, 4, 'float64'), [2, 2], 'float64', 'contiguous');
    const expected = referenceMatmul(flat(stack), flat(b), 'float64');
    expectClose(matmul(stack, b), expected, 'float64', 1e-12);
  });
});
