import {
  type ArrayOrScalar,
  abs,
  add,
  array,
  assign,
  clamp,
  type DType,
  div,
  equal,
  erf,
  exp,
  expm1,
  Generator,
  greater,
  greaterEqual,
  isFiniteMask,
  leakyRelu,
  less,
  lessEqual,
  log,
  log1p,
  logSigmoid,
  maximum,
  minimum,
  mul,
  type NDArray,
  neg,
  notEqual,
  ones,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  where,
  zeros,
} from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  broadcastRead,
  broadcastShape,
  DTYPES,
  expectClose,
  type Flat,
  flat,
  indices,
  LAYOUTS,
  make,
  randomShape,
  randomValues,
  store,
  withLayout,
} from './reference.js';

const floatOf = (dtype: DType): DType => (dtype === 'int32' ? 'float32' : dtype);

interface UnaryCase {
  fn: (a: NDArray) => NDArray;
  ref: (x: number) => number;
  /** Result dtype for an input dtype. */
  dtype: (d: DType) => DType;
  /** Input range (positive for log, sqrt…). */
  range?: [number, number];
}

const keep = (d: DType) => d;
const UNARY: Record<string, UnaryCase> = {
  neg: { fn: neg, ref: (x) => -x, dtype: keep },
  exp: { fn: exp, ref: Math.exp, dtype: floatOf },
  log: { fn: log, ref: Math.log, dtype: floatOf, range: [0.1, 5] },
  log1p: { fn: log1p, ref: Math.log1p, dtype: floatOf, range: [0, 5] },
  expm1: { fn: expm1, ref: Math.expm1, dtype: floatOf },
  sqrt: { fn: sqrt, ref: Math.sqrt, dtype: floatOf, range: [0, 9] },
  abs: { fn: abs, ref: Math.abs, dtype: keep },
  sign: { fn: sign, ref: Math.sign, dtype: keep },
  tanh: { fn: tanh, ref: Math.tanh, dtype: floatOf },
  sigmoid: { fn: sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)), dtype: floatOf },
  relu: { fn: relu, ref: (x) => Math.max(x, 0), dtype: keep },
  softplus: { fn: softplus, ref: (x) => Math.log(1 + Math.exp(x)), dtype: floatOf },
  logSigmoid: { fn: logSigmoid, ref: (x) => -Math.log(1 + Math.exp(-x)), dtype: floatOf },
  reciprocal: { fn: reciprocal, ref: (x) => 1 / x, dtype: floatOf, range: [0.5, 4] },
  square: { fn: square, ref: (x) => x * x, dtype: keep },
  leakyRelu: { fn: (a) => leakyRelu(a, 0.2), ref: (x) => (x > 0 ? x : 0.2 * x), dtype: floatOf },
  clamp: { fn: (a) => clamp(a, -1, 2), ref: (x) => Math.min(Math.max(x, -1), 2), dtype: keep },
};

// Random shapes of rank 0–3, plus size-0 and size-1 axes.
const SHAPES = [[], [5], [1], [0], [3, 1], [2, 0, 3], [2, 3, 4], [1, 4, 1]];

describe('unary ops against a naive reference', () => {
  const generator = new Generator(1);
  for (const [name, op] of Object.entries(UNARY)) {
    it(`${name}: every dtype, layout and shape`, () => {
      for (const dtype of DTYPES) {
        if (name === 'leakyRelu' && dtype === 'int32') continue; // its slope makes a float
        for (const shape of [...SHAPES, randomShape(generator, 3)]) {
          const size = shape.reduce((p, d) => p * d, 1);
          let values = randomValues(generator, size, dtype, op.range);
          if (op.range && dtype === 'int32') values = values.map((v) => Math.max(1, Math.abs(v)));
          const outDType = op.dtype(dtype);
          const expected = { shape, data: values.map((v) => store(op.ref(v), outDType)) };
          for (const layout of LAYOUTS) {
            const input = withLayout(values, shape, dtype, layout);
            // float32 results are rounded once; the reference formulas can differ in the last bits.
            expectClose(op.fn(input), expected, outDType, dtype === 'float64' ? 1e-14 : 2e-7);
            expect(input.isContiguous || layout !== 'contiguous').toBe(true);
          }
        }
      }
    });
  }

  it('leakyRelu of int32 gives float32', () => {
    expect(leakyRelu(make([-2, 3], 'int32')).toArray()).toEqual([Math.fround(-0.02), 3]);
  });
});

describe('unary ops: hand-computed values and stability', () => {
  it('computes known values', () => {
    const x = make([-1, 0, 2], 'float64');
    expect(exp(x).toArray()).toEqual([Math.exp(-1), 1, Math.exp(2)]);
    expect(relu(x).toArray()).toEqual([0, 0, 2]);
    expect(sign(x).toArray()).toEqual([-1, 0, 1]);
    expect(square(make([-3, 4], 'int32')).toArray()).toEqual([9, 16]);
    expect(sqrt(make([4, 9], 'int32')).dtype).toBe('float32');
    expect(sigmoid(make([0])).toArray()).toEqual([0.5]);
    expect(clamp(make([-5, 0.5, 5]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(clamp(make([-5, 5]), undefined, 1).toArray()).toEqual([-5, 1]);
  });

  it('sigmoid, softplus and logSigmoid stay finite at ±1e4', () => {
    const x = make([-1e4, 1e4], 'float64');
    expect(sigmoid(x).toArray()).toEqual([0, 1]);
    expect(softplus(x).toArray()).toEqual([0, 1e4]);
    expect(logSigmoid(x).toArray()).toEqual([-1e4, 0]);
  });

  it('erf matches tabulated values to 1e-15', () => {
    // Abramowitz & Stegun / high-precision references.
    const table: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [3.5, 0.9999992569016276],
      [5, 0.9999999999984626],
      [7, 1],
    ];
    const x = make(
      table.flatMap(([v]) => [v, -v]),
      'float64',
    );
    const got = erf(x).toArray() as number[];
    table.forEach(([, want], i) => {
      expect(got[2 * i]).toBeCloseTo(want, 15);
      expect(got[2 * i + 1]).toBeCloseTo(-want, 15);
    });
    expect(erf(make([Number.NaN], 'float64')).get(0)).toBeNaN();
  });

  it('isFiniteMask marks finite elements with int32 ones', () => {
    const mask = isFiniteMask(make([1, Number.NaN, Number.POSITIVE_INFINITY, -2], 'float64'));
    expect(mask.dtype).toBe('int32');
    expect(mask.toArray()).toEqual([1, 0, 0, 1]);
  });
});

interface BinaryCase {
  fn: (a: ArrayOrScalar, b: ArrayOrScalar) => NDArray;
  ref: (x: number, y: number) => number;
  comparison?: boolean;
}

const BINARY: Record<string, BinaryCase> = {
  add: { fn: add, ref: (x, y) => x + y },
  sub: { fn: sub, ref: (x, y) => x - y },
  mul: { fn: mul, ref: (x, y) => x * y },
  div: { fn: div, ref: (x, y) => x / y },
  pow: { fn: pow, ref: (x, y) => x ** y },
  maximum: { fn: maximum, ref: (x, y) => Math.max(x, y) },
  minimum: { fn: minimum, ref: (x, y) => Math.min(x, y) },
  equal: { fn: equal, ref: (x, y) => Number(x === y), comparison: true },
  notEqual: { fn: notEqual, ref: (x, y) => Number(x !== y), comparison: true },
  less: { fn: less, ref: (x, y) => Number(x < y), comparison: true },
  lessEqual: { fn: lessEqual, ref: (x, y) => Number(x <= y), comparison: true },
  greater: { fn: greater, ref: (x, y) => Number(x > y), comparison: true },
  greaterEqual: { fn: greaterEqual, ref: (x, y) => Number(x >= y), comparison: true },
};

/** Pairs of broadcastable shapes, including size-0 and size-1 axes and rank differences. */
const SHAPE_PAIRS: [number[], number[]][] = [
  [[], []],
  [[3], []],
  [[], [2, 3]],
  [[4], [4]],
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 3],
  ],
  [
    [3, 1, 4],
    [2, 1],
  ],
  [
    [0, 3],
    [1, 3],
  ],
  [
    [2, 0],
    [2, 1],
  ],
  [[1], [0]],
  [
    [2, 3, 4],
    [2, 3, 4],
  ],
];

function referenceBinary(op: BinaryCase, a: Flat, b: Flat, dtype: DType): Flat {
  const shape = broadcastShape(a.shape, b.shape);
  const data: number[] = [];
  for (const index of indices(shape))
    data.push(store(op.ref(broadcastRead(a, index), broadcastRead(b, index)), dtype));
  return { shape, data };
}

/** The result dtype the rules in dtype.ts promise (restated here on purpose). */
function expectedDType(name: string, a: DType, b: DType): DType {
  if (BINARY[name].comparison) return 'int32';
  const promoted = a === b ? a : a === 'float64' || b === 'float64' ? 'float64' : 'float32';
  return name === 'div' && promoted === 'int32' ? 'float32' : promoted;
}

describe('binary ops against a naive reference', () => {
  const generator = new Generator(2);
  for (const [name, op] of Object.entries(BINARY)) {
    it(`${name}: broadcasting, every dtype pair and layout`, () => {
      for (const [aShape, bShape] of SHAPE_PAIRS) {
        for (const aType of DTYPES) {
          for (const bType of DTYPES) {
            const aSize = aShape.reduce((p, d) => p * d, 1);
            const bSize = bShape.reduce((p, d) => p * d, 1);
            const range: [number, number] = name === 'pow' ? [0.5, 2] : [-3, 3];
            let aValues = randomValues(generator, aSize, aType, range);
            let bValues = randomValues(generator, bSize, bType, range);
            if (name === 'pow') {
              aValues = aValues.map((v) => Math.abs(v) % 4);
              bValues = bValues.map((v) => Math.abs(v) % 3);
            }
            if (BINARY[name].comparison && aSize > 0 && bSize > 0) aValues[0] = store(bValues[0], aType); // exercise ties
            const dtype = expectedDType(name, aType, bType);
            const expected = referenceBinary(
              op,
              { shape: aShape, data: aValues },
              { shape: bShape, data: bValues },
              dtype,
            );
            const layouts = aShape.length + bShape.length === 0 ? ['contiguous' as const] : LAYOUTS;
            for (const layout of layouts) {
              const a = withLayout(aValues, aShape, aType, layout);
              const b = withLayout(bValues, bShape, bType, layout === 'transposed' ? 'reversed' : layout);
              expectClose(op.fn(a, b), expected, dtype);
            }
          }
        }
      }
    });
  }

  it('reads stride-0 (broadcast) views like their source', () => {
    const row = make([1, 2, 3], 'float64');
    const wide = row.broadcastTo([4, 3]);
    expect(wide.strides).toEqual([0, 1]);
    const x = make(
      [
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
        [4, 4, 4],
      ],
      'float64',
    );
    expect(mul(wide, x).toArray()).toEqual([
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
      [4, 8, 12],
    ]);
    expect(add(wide, wide.transpose(0, 1).transpose(0, 1)).toArray()).toEqual(
      add(row, row).broadcastTo([4, 3]).toArray(),
    );
    // Both operands broadcast: an outer product through two stride-0 views.
    const column = make([[10], [20]], 'float64');
    expect(add(column.expand(2, 3), row.expand(2, 3)).toArray()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
  });
});

describe('binary ops: hand-computed values', () => {
  it('broadcasts a row against a column', () => {
    const column = make([[1], [2]], 'int32');
    const row = make([10, 20, 30], 'int32');
    const sum = add(column, row);
    expect(sum.dtype).toBe('int32');
    expect(sum.toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });

  it('mixes arrays and scalars on either side', () => {
    const x = make([1, 2, 4]);
    expect(sub(10, x).toArray()).toEqual([9, 8, 6]);
    expect(div(x, 2).toArray()).toEqual([0.5, 1, 2]);
    expect(div(1, x).toArray()).toEqual([1, 0.5, 0.25]);
    expect(pow(2, x).toArray()).toEqual([2, 4, 16]);
    expect(greater(x, 1.5).toArray()).toEqual([0, 1, 1]);
    expect(add(2, 3).toArray()).toBe(5);
  });

  it('maximum and minimum propagate NaN', () => {
    const a = make([1, Number.NaN, 3], 'float64');
    const b = make([Number.NaN, 2, 1], 'float64');
    expect(flat(maximum(a, b)).data).toEqual([Number.NaN, Number.NaN, 3]);
    expect(flat(minimum(a, b)).data).toEqual([Number.NaN, Number.NaN, 1]);
  });
});

describe('dtype promotion', () => {
  it('int32 with a float array gives the float', () => {
    expect(add(make([1], 'int32'), make([1], 'float32')).dtype).toBe('float32');
    expect(add(make([1], 'float64'), make([1], 'int32')).dtype).toBe('float64');
  });

  it('float32 with float64 gives float64', () => {
    const sum = add(make([0.1], 'float32'), make([0.1], 'float64'));
    expect(sum.dtype).toBe('float64');
    expect(sum.get(0)).toBe(Math.fround(0.1) + 0.1);
  });

  it('scalars are weak: they never widen a float array; a fractional scalar makes int32 float32', () => {
    expect(add(make([1], 'float32'), 0.1).dtype).toBe('float32');
    expect(add(make([1], 'float32'), 0.1).get(0)).toBe(Math.fround(1.1));
    expect(mul(2, make([1], 'float64')).dtype).toBe('float64');
    expect(add(make([1], 'int32'), 2).dtype).toBe('int32');
    expect(add(make([1], 'int32'), 0.5).dtype).toBe('float32');
    expect(add(make([1], 'int32'), 0.5).toArray()).toEqual([1.5]);
  });

  it('comparisons give int32 masks whatever the inputs', () => {
    for (const dtype of DTYPES) expect(less(make([1, 2], dtype), 1.5).dtype).toBe('int32');
    expect(equal(make([1], 'float32'), make([1], 'float64')).toArray()).toEqual([1]);
  });

  it('division is true division: int32 / int32 is float32', () => {
    const q = div(make([7, -7], 'int32'), make([2, 2], 'int32'));
    expect(q.dtype).toBe('float32');
    expect(q.toArray()).toEqual([3.5, -3.5]);
    expect(div(make([1], 'float64'), 3).dtype).toBe('float64');
  });

  it('float-valued unary ops turn int32 into float32; sign-preserving ones keep int32', () => {
    expect(exp(make([0], 'int32')).dtype).toBe('float32');
    expect(neg(make([1], 'int32')).dtype).toBe('int32');
    expect(abs(make([-1], 'int32')).dtype).toBe('int32');
    expect(clamp(make([1, 5], 'int32'), 0.5, 2).dtype).toBe('float32');
    expect(clamp(make([1, 5], 'int32'), 0, 2).dtype).toBe('int32');
  });

  it('int32 arithmetic wraps like a C int32', () => {
    expect(add(make([2147483647], 'int32'), 1).toArray()).toEqual([-2147483648]);
  });
});

describe('where', () => {
  it('selects elementwise with broadcasting and promotes like add', () => {
    const condition = make([1, 0, 1], 'int32');
    const chosen = where(condition, make([[1], [2]], 'int32'), 0.5);
    expect(chosen.dtype).toBe('float32');
    expect(chosen.toArray()).toEqual([
      [1, 0.5, 1],
      [2, 0.5, 2],
    ]);
    expect(where(make([0, 2], 'float64'), 1, -1).toArray()).toEqual([-1, 1]);
  });

  it('matches a naive reference on non-contiguous views', () => {
    const generator = new Generator(3);
    for (const layout of LAYOUTS) {
      const shape = [3, 4];
      const mask = randomValues(generator, 12, 'int32').map((v) => Number(v > 0));
      const a = randomValues(generator, 12, 'float64');
      const b = randomValues(generator, 4, 'float32');
      const got = where(
        withLayout(mask, shape, 'int32', layout),
        withLayout(a, shape, 'float64', layout),
        withLayout(b, [4], 'float32', layout),
      );
      const expected = { shape, data: mask.map((m, i) => (m ? a[i] : b[i % 4])) };
      expectClose(got, expected, 'float64');
    }
  });

  it('handles size-0 shapes', () => {
    expect(where(zeros([0, 2], { dtype: 'int32' }), 1, 2).shape).toEqual([0, 2]);
  });
});

describe('assign', () => {
  it('writes a broadcast source through a transposed view into the base', () => {
    const base = zeros([2, 3]);
    assign(base.transpose(), make([[1], [2], [3]]));
    expect(base.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('writes scalars into contiguous and strided views', () => {
    const base = zeros([3, 4], { dtype: 'int32' });
    assign(base.slice([0, 2]), 7);
    assign(base.slice([2, 3], [null, null, 2]), 5);
    expect(base.toArray()).toEqual([
      [7, 7, 7, 7],
      [7, 7, 7, 7],
      [5, 0, 5, 0],
    ]);
  });

  it('reverses through a negative step and converts dtype (truncating to int32)', () => {
    const base = zeros([4], { dtype: 'int32' });
    assign(base.slice([null, null, -1]), make([0.5, 1.5, 2.9, -3.7], 'float64'));
    expect(base.toArray()).toEqual([-3, 2, 1, 0]);
  });

  it('copies an overlapping source first', () => {
    const square = array([
      [1, 2],
      [3, 4],
    ]);
    assign(square, square.transpose());
    expect(square.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    const row = array([1, 2, 3, 4]);
    assign(row, row.slice([null, null, -1]));
    expect(row.toArray()).toEqual([4, 3, 2, 1]);
  });

  it('writes into a 0-d view and into nothing', () => {
    const base = zeros([2, 2]);
    assign(base.select(0, 1).select(0, 0), make(5));
    expect(base.toArray()).toEqual([
      [0, 0],
      [5, 0],
    ]);
    assign(base.slice([0, 0]), ones([1]));
    expect(base.size).toBe(4);
  });
});
