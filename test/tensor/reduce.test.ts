import {
  argmax,
  argmin,
  type DType,
  Generator,
  logsumexp,
  max,
  mean,
  min,
  type NDArray,
  sum,
  variance,
} from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  DTYPES,
  expectClose,
  type Flat,
  indices,
  LAYOUTS,
  make,
  position,
  randomValues,
  withLayout,
} from './reference.js';

type Reducer = (values: number[]) => number;

const REFERENCES: Record<
  string,
  { fn: (a: NDArray, axis?: number[], keepDims?: boolean) => NDArray; ref: Reducer }
> = {
  sum: { fn: (a, axis, keepDims) => sum(a, { axis, keepDims }), ref: (v) => v.reduce((s, x) => s + x, 0) },
  mean: {
    fn: (a, axis, keepDims) => mean(a, { axis, keepDims }),
    ref: (v) => v.reduce((s, x) => s + x, 0) / v.length,
  },
  max: { fn: (a, axis, keepDims) => max(a, { axis, keepDims }), ref: (v) => Math.max(...v) },
  min: { fn: (a, axis, keepDims) => min(a, { axis, keepDims }), ref: (v) => Math.min(...v) },
  variance: {
    fn: (a, axis, keepDims) => variance(a, { axis, keepDims }),
    ref: (v) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
    },
  },
  logsumexp: {
    fn: (a, axis, keepDims) => logsumexp(a, { axis, keepDims }),
    ref: (v) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0)),
  },
};

function resultDType(name: string, dtype: DType): DType {
  if (['sum', 'max', 'min'].includes(name)) return dtype;
  return dtype === 'int32' ? 'float32' : dtype;
}

/** Reduces `input` over `axes` with nested loops over every output index. */
function referenceReduce(input: Flat, axes: number[], keepDims: boolean, ref: Reducer): Flat {
  const keptShape = input.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (const index of indices(input.shape)) {
    const key = position(
      keptShape,
      index.map((v, i) => (axes.includes(i) ? 0 : v)),
    );
    const group = groups.get(key) ?? [];
    group.push(input.data[position(input.shape, index)]);
    groups.set(key, group);
  }
  const data = [...indices(keptShape)].map((index) => ref(groups.get(position(keptShape, index)) ?? []));
  const shape = keepDims ? keptShape : input.shape.filter((_, i) => !axes.includes(i));
  return { shape, data };
}

/** Every axis subset of a rank-3 array (in positive form), plus negative spellings. */
const AXIS_SETS = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];

describe('reductions against a naive reference', () => {
  const generator = new Generator(11);
  for (const [name, op] of Object.entries(REFERENCES)) {
    it(`${name}: one, several and all axes, keepDims, every dtype and layout`, () => {
      for (const dtype of DTYPES) {
        for (const shape of [
          [3, 4, 5],
          [2, 1, 3],
          [1, 5, 1],
        ]) {
          const size = shape.reduce((p, d) => p * d, 1);
          const values = randomValues(generator, size, dtype);
          for (const layout of LAYOUTS) {
            const input = withLayout(values, shape, dtype, layout);
            for (const axes of AXIS_SETS) {
              for (const keepDims of [false, true]) {
                const expected = referenceReduce({ shape, data: values }, axes, keepDims, op.ref);
                const tolerance = dtype === 'float64' ? 1e-12 : 1e-6;
                const got = op.fn(input, axes, keepDims);
                expectClose(
                  got,
                  expected,
                  resultDType(name, dtype),
                  name === 'max' || name === 'min' ? 0 : tolerance,
                );
              }
            }
            // Negative axes and "all axes" (undefined) spellings.
            expectClose(
              op.fn(input, [-1]),
              referenceReduce({ shape, data: values }, [2], false, op.ref),
              resultDType(name, dtype),
              1e-6,
            );
            expectClose(
              op.fn(input),
              referenceReduce({ shape, data: values }, [0, 1, 2], false, op.ref),
              resultDType(name, dtype),
              1e-6,
            );
          }
        }
      }
    });
  }

  it('argmax and argmin along each axis and flattened, on every layout', () => {
    const generator = new Generator(12);
    for (const dtype of DTYPES) {
      const shape = [3, 4, 2];
      const values = randomValues(generator, 24, dtype);
      for (const layout of LAYOUTS) {
        const input = withLayout(values, shape, dtype, layout);
        for (const [fn, better] of [
          [argmax, (x: number, y: number) => x > y],
          [argmin, (x: number, y: number) => x < y],
        ] as const) {
          const firstBest = (group: number[]) =>
            group.reduce((best, x, i) => (better(x, group[best]) ? i : best), 0);
          for (const axis of [0, 1, 2]) {
            const expected = referenceReduce({ shape, data: values }, [axis], false, firstBest);
            expectClose(fn(input, { axis }), expected, 'int32');
            const kept = fn(input, { axis: axis - 3, keepDims: true });
            expect(kept.shape).toEqual(shape.map((d, i) => (i === axis ? 1 : d)));
          }
          expect(fn(input).item()).toBe(firstBest(values));
          expect(fn(input, { keepDims: true }).shape).toEqual([1, 1, 1]);
        }
      }
    }
  });
});

describe('reductions: hand-computed values', () => {
  const x = make(
    [
      [1, 5, 3],
      [4, 2, 6],
    ],
    'float64',
  );

  it('sum, mean, max, min, argmax', () => {
    expect(sum(x).item()).toBe(21);
    expect(sum(x, { axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, { axis: 1, keepDims: true }).toArray()).toEqual([[9], [12]]);
    expect(mean(x, { axis: -1 }).toArray()).toEqual([3, 4]);
    expect(max(x, { axis: 0 }).toArray()).toEqual([4, 5, 6]);
    expect(min(x, { axis: [0, 1] }).item()).toBe(1);
    expect(argmax(x, { axis: 1 }).toArray()).toEqual([1, 2]);
    expect(argmin(x).item()).toBe(0);
    expect(argmax(make([3, 7, 7, 1])).item()).toBe(1); // the first maximum
  });

  it('variance is unbiased by default; correction 0 gives the population variance', () => {
    const v = make([1, 2, 3, 4], 'float64');
    expect(variance(v).item()).toBeCloseTo(5 / 3, 15);
    expect(variance(v, { correction: 0 }).item()).toBeCloseTo(1.25, 15);
    expect(variance(x, { axis: 1 }).toArray()).toEqual([4, 4]);
  });

  it('int32 sums stay int32; means become float32', () => {
    const ints = make([1, 2, 4], 'int32');
    expect(sum(ints).dtype).toBe('int32');
    expect(sum(ints).item()).toBe(7);
    expect(mean(ints).dtype).toBe('float32');
    expect(mean(ints).item()).toBeCloseTo(7 / 3, 6);
  });

  it('float32 sums accumulate in float64', () => {
    const many = make(new Array(1000).fill(0.1));
    expect(sum(many).item()).toBe(Math.fround(1000 * Math.fround(0.1)));
    expect(sum(many.reshape(1000, 1), { axis: 0 }).item()).toBe(Math.fround(1000 * Math.fround(0.1)));
  });

  it('logsumexp is stable at ±1e4 and handles infinities', () => {
    expect(logsumexp(make([1e4, 1e4], 'float64')).item()).toBeCloseTo(1e4 + Math.LN2, 10);
    expect(logsumexp(make([-1e4, -1e4], 'float64')).item()).toBeCloseTo(-1e4 + Math.LN2, 10);
    expect(logsumexp(make([1e4, -1e4, 0])).item()).toBe(1e4);
    const columns = make(
      [
        [1e4, -1e4],
        [1e4, -1e4],
      ],
      'float64',
    );
    expect(logsumexp(columns, { axis: 0 }).toArray()).toEqual([1e4 + Math.LN2, -1e4 + Math.LN2]);
    const inf = Number.POSITIVE_INFINITY;
    expect(logsumexp(make([inf, -inf], 'float64')).item()).toBe(inf);
    expect(logsumexp(make([-inf, -inf], 'float64')).item()).toBe(-inf);
    expect(logsumexp(make([Number.NaN, 1], 'float64')).item()).toBeNaN();
    expect(logsumexp(make([[inf], [-inf]], 'float64'), { axis: 0 }).item()).toBe(inf);
  });

  it('max, min and argmax propagate NaN (the first NaN wins)', () => {
    const withNaN = make([1, Number.NaN, 5, Number.NaN], 'float64');
    expect(max(withNaN).item()).toBeNaN();
    expect(min(withNaN).item()).toBeNaN();
    expect(argmax(withNaN).item()).toBe(1);
    expect(argmin(withNaN).item()).toBe(1);
    const columns = withNaN.reshape(2, 2); // [[1, NaN], [5, NaN]]
    expect(argmax(columns, { axis: 0 }).toArray()).toEqual([1, 0]);
    expect(max(make([Number.NaN, 1], 'float64').reshape(2, 1), { axis: 0 }).item()).toBeNaN();
  });

  it('size-0 and size-1 axes', () => {
    const empty = make([[], []], 'float64'); // [2, 0]
    expect(sum(empty, { axis: 1 }).toArray()).toEqual([0, 0]);
    expect(sum(empty, { axis: 0 }).shape).toEqual([0]);
    expect(logsumexp(empty, { axis: 1 }).toArray()).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(mean(empty, { axis: 1 }).get(0)).toBeNaN();
    expect(max(empty, { axis: 0 }).shape).toEqual([0]);
    expect(sum(make(3)).item()).toBe(3);
    expect(sum(make([[1, 2]]), { axis: 0 }).toArray()).toEqual([1, 2]);
  });

  it('reduces broadcast (stride-0) views', () => {
    const wide = make([1, 2, 3]).broadcastTo([4, 3]);
    expect(sum(wide, { axis: 0 }).toArray()).toEqual([4, 8, 12]);
    expect(sum(wide, { axis: 1 }).toArray()).toEqual([6, 6, 6, 6]);
  });
});
