import { describe, expect, it } from 'vitest';
import { type FloatArray, gemm } from '../../packages/tensor/src/kernels/gemm.ts';
import { gemmWasm, wasmGemmAvailable } from '../../packages/tensor/src/kernels/gemm-wasm.ts';

/** A gemm implementation under test, with the dtypes it accepts. */
interface Kernel {
  name: string;
  dtypes: DType[];
  run: typeof gemm;
}

const kernels: Kernel[] = [
  { name: 'TypeScript gemm', dtypes: ['float32', 'float64'], run: gemm },
  { name: 'wasm SIMD gemm', dtypes: ['float32', 'float64'], run: gemmWasm },
];

/** mulberry32: a tiny seeded PRNG, so every run multiplies the same matrices. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type DType = 'float32' | 'float64';

/** A strided view of a matrix as gemm addresses it. */
interface Operand {
  data: FloatArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

function filled(dtype: DType, length: number, random: () => number): FloatArray {
  const data = dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = random() * 2 - 1;
  return data;
}

/**
 * A rows × cols operand. Stored transposed when `transposed` (so it is read with swapped strides),
 * and, when `padded`, inside a larger buffer with an offset and a row stride wider than the row:
 * the layout of a slice.
 */
function operand(
  dtype: DType,
  rows: number,
  cols: number,
  transposed: boolean,
  padded: boolean,
  random: () => number,
): Operand {
  const storedRows = transposed ? cols : rows;
  const storedCols = transposed ? rows : cols;
  const lead = padded ? storedCols + 3 : storedCols;
  const offset = padded ? 5 : 0;
  const data = filled(dtype, offset + storedRows * lead + (padded ? 7 : 0), random);
  return transposed
    ? { data, offset, rowStride: 1, colStride: lead }
    : { data, offset, rowStride: lead, colStride: 1 };
}

/** The naive triple loop, in float64, reading through the same strides. */
function naive(
  m: number,
  n: number,
  k: number,
  a: Operand,
  b: Operand,
  cInitial: Float64Array | null,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = cInitial ? cInitial[i * n + j] : 0;
      for (let p = 0; p < k; p++) {
        sum +=
          a.data[a.offset + i * a.rowStride + p * a.colStride] *
          b.data[b.offset + p * b.rowStride + j * b.colStride];
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

/**
 * Checks each element against the reference, relative to the size of the terms summed into it
 * (Σ|a||b| + |c₀|), so that cancellation does not make a correct float32 result look wrong.
 */
function expectClose(
  actual: FloatArray,
  cOffset: number,
  expected: Float64Array,
  scale: Float64Array,
  rtol: number,
) {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[cOffset + i] - expected[i]) / Math.max(scale[i], 1e-300);
    worst = Math.max(worst, error);
  }
  expect(worst).toBeLessThanOrEqual(rtol);
}

function absoluteOperand(x: Operand): Operand {
  return { ...x, data: x.data.map(Math.abs) };
}

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  padded: boolean;
  accumulate: boolean;
  dtype: DType;
}

function check(run: typeof gemm, { m, n, k, transA, transB, padded, accumulate, dtype }: Case, seed: number) {
  const random = mulberry32(seed);
  const a = operand(dtype, m, k, transA, padded, random);
  const b = operand(dtype, k, n, transB, padded, random);
  const cOffset = padded ? 2 : 0;
  const c = filled(dtype, cOffset + m * n + 1, random);
  const cInitial = Float64Array.from(c.subarray(cOffset, cOffset + m * n));
  const guardBefore = c[cOffset - 1];
  const guardAfter = c[cOffset + m * n];

  run(
    m,
    n,
    k,
    a.data,
    a.offset,
    a.rowStride,
    a.colStride,
    b.data,
    b.offset,
    b.rowStride,
    b.colStride,
    c,
    cOffset,
    accumulate,
  );

  const expected = naive(m, n, k, a, b, accumulate ? cInitial : null);
  const scale = naive(
    m,
    n,
    k,
    absoluteOperand(a),
    absoluteOperand(b),
    accumulate ? cInitial.map(Math.abs) : null,
  );
  expectClose(c, cOffset, expected, scale, dtype === 'float32' ? 1e-5 : 1e-12);
  // Elements of C's buffer outside the m × n block are never touched.
  expect(c[cOffset - 1]).toBe(guardBefore);
  expect(c[cOffset + m * n]).toBe(guardAfter);
}

const layouts = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
  { name: 'Aᵀ·Bᵀ', transA: true, transB: true },
];
const edgeSizes = [0, 1, 2, 3, 5, 7, 13, 31, 67, 129];

it('the wasm SIMD gemm is available here (Node 20 has WebAssembly SIMD), so it is tested below', () => {
  expect(wasmGemmAvailable()).toBe(true);
});

describe.each(kernels)('$name', ({ dtypes, run }) => {
  for (const dtype of dtypes) {
    for (const { name, transA, transB } of layouts) {
      it(`${name} ${dtype}: every m, n, k in {0, 1, 3, 7, 13, 67}`, () => {
        const sizes = [0, 1, 3, 7, 13, 67];
        let seed = 1;
        for (const m of sizes) {
          for (const n of sizes) {
            for (const k of sizes) {
              check(run, { m, n, k, transA, transB, padded: false, accumulate: false, dtype }, seed++);
            }
          }
        }
      });

      it(`${name} ${dtype}: random sizes, strided slices, accumulate`, () => {
        const random = mulberry32(transA ? 11 : 17);
        const pick = () => edgeSizes[Math.floor(random() * edgeSizes.length)];
        for (let trial = 0; trial < 24; trial++) {
          const padded = trial % 2 === 1;
          const accumulate = trial % 4 >= 2;
          check(
            run,
            { m: pick(), n: pick(), k: pick(), transA, transB, padded, accumulate, dtype },
            100 + trial,
          );
        }
      });
    }

    it(`${dtype}: sizes that cross the cache blocks (k > 256, m > 128, n > 1020)`, () => {
      check(
        run,
        { m: 131, n: 1031, k: 300, transA: false, transB: true, padded: true, accumulate: false, dtype },
        7,
      );
      check(
        run,
        { m: 257, n: 29, k: 517, transA: true, transB: false, padded: false, accumulate: true, dtype },
        8,
      );
    });
  }

  it('1×1 times 1×1', () => {
    const c = new Float32Array([10]);
    run(1, 1, 1, new Float32Array([3]), 0, 1, 1, new Float32Array([4]), 0, 1, 1, c, 0);
    expect(c[0]).toBe(12);
    run(1, 1, 1, new Float32Array([3]), 0, 1, 1, new Float32Array([4]), 0, 1, 1, c, 0, true);
    expect(c[0]).toBe(24);
  });

  it('hand-computed 2×3 · 3×2, on both paths', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([7, 8, 9, 10, 11, 12]);
    const c = new Float32Array(4);
    run(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    // The same product padded with zeros to a size that takes the packed path.
    const size = 40;
    const bigA = new Float32Array(size * size);
    const bigB = new Float32Array(size * size);
    bigA.set([1, 2, 3], 0);
    bigA.set([4, 5, 6], size);
    bigB.set([7, 8], 0);
    bigB.set([9, 10], size);
    bigB.set([11, 12], 2 * size);
    const bigC = new Float32Array(size * size).fill(Number.NaN);
    run(size, size, size, bigA, 0, size, 1, bigB, 0, size, 1, bigC, 0);
    expect([bigC[0], bigC[1], bigC[size], bigC[size + 1], bigC[2], bigC[size * size - 1]]).toEqual([
      58, 64, 139, 154, 0, 0,
    ]);
  });

  it('k = 0 writes zeros, or leaves C alone when accumulating', () => {
    const c = new Float32Array([1, 2, 3, 4, 5]);
    run(2, 2, 0, new Float32Array(0), 0, 0, 1, new Float32Array(0), 0, 2, 1, c, 1);
    expect(Array.from(c)).toEqual([1, 0, 0, 0, 0]);
    c.set([1, 2, 3, 4, 5]);
    run(2, 2, 0, new Float32Array(0), 0, 0, 1, new Float32Array(0), 0, 2, 1, c, 1, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5]);
  });

  it('broadcast operands (stride 0) are read, not assumed contiguous', () => {
    // A is one row [1, 2, …, 40] repeated 40 times (row stride 0); B is the identity.
    const size = 40;
    const row = Float32Array.from({ length: size }, (_, i) => i + 1);
    const identity = new Float32Array(size * size);
    for (let i = 0; i < size; i++) identity[i * size + i] = 1;
    const c = new Float32Array(size * size);
    run(size, size, size, row, 0, 0, 1, identity, 0, size, 1, c, 0);
    for (let i = 0; i < size; i++)
      expect(Array.from(c.subarray(i * size, (i + 1) * size))).toEqual(Array.from(row));
  });
});

describe('wasm SIMD gemm dtypes', () => {
  it('refuses a, b and c of different dtypes, naming them', () => {
    const c = new Float64Array(4);
    expect(() => gemmWasm(2, 2, 2, new Float32Array(4), 0, 2, 1, new Float64Array(4), 0, 2, 1, c, 0)).toThrow(
      'gemmWasm: a, b and c are Float32Array, Float64Array, Float64Array; expected one dtype for all three',
    );
  });

  it('float64 products keep float64 precision (an f32 kernel would be off by ~1e-8)', () => {
    // 1 + 2⁻³⁰ is not a float32; summed 64 times its excess survives only in float64.
    const k = 64;
    const a = new Float64Array(k).fill(1 + 2 ** -30);
    const b = new Float64Array(k).fill(1);
    const c = new Float64Array(1);
    gemmWasm(1, 1, k, a, 0, k, 1, b, 0, 1, 1, c, 0);
    expect(c[0]).toBe(k * (1 + 2 ** -30));
  });
});
