/**
 * Naive references for the @xent/tensor tests: arrays are read element by element through
 * `get` (plain stride arithmetic, independent of every kernel) into flat JS arrays, and the
 * references are nested loops over those.
 */
import { array, type DType, type Generator, type NDArray, zeros } from '@xent/tensor';
import { expect } from 'vitest';

/** A row-major JS copy of an array: its shape and its elements. */
export interface Flat {
  shape: number[];
  data: number[];
}

export const DTYPES: DType[] = ['float32', 'float64', 'int32'];

/** Every index of `shape`, in row-major order. */
export function* indices(shape: readonly number[]): IterableIterator<number[]> {
  const total = shape.reduce((p, d) => p * d, 1);
  const index = shape.map(() => 0);
  for (let flat = 0; flat < total; flat++) {
    yield index.slice();
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
}

/** Reads `a` element by element through `get`. */
export function flat(a: NDArray): Flat {
  const data: number[] = [];
  for (const index of indices(a.shape)) data.push(a.get(...index));
  return { shape: a.shape, data };
}

/** Row-major position of `index` in `shape`. */
export function position(shape: readonly number[], index: readonly number[]): number {
  let p = 0;
  for (let axis = 0; axis < shape.length; axis++) p = p * shape[axis] + index[axis];
  return p;
}

/** Rounds a float64 result the way storing it in `dtype` does. */
export function store(value: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(value);
  if (dtype === 'int32') return value | 0;
  return value;
}

/** The NumPy broadcast of two shapes, written out naively. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const ndim = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < ndim; i++) {
    const x = a[a.length - ndim + i] ?? 1;
    const y = b[b.length - ndim + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`reference: ${a} and ${b} do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of `source` that output index `index` (of a broadcast result) reads. */
export function broadcastRead(source: Flat, index: readonly number[]): number {
  const lead = index.length - source.shape.length;
  const own = source.shape.map((d, i) => (d === 1 ? 0 : index[lead + i]));
  return source.data[position(source.shape, own)];
}

/** Random values for `dtype`: integers in [-9, 9] for int32, normals (or `low..high` uniforms) otherwise. */
export function randomValues(
  generator: Generator,
  size: number,
  dtype: DType,
  range: [number, number] = [-3, 3],
): number[] {
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    if (dtype === 'int32') values.push(generator.integer(-9, 10));
    else values.push(store(range[0] + (range[1] - range[0]) * generator.next(), dtype));
  }
  return values;
}

/** A random shape of `ndim` axes with sizes in [1, maxDim] (with size 0 or 1 mixed in when asked). */
export function randomShape(generator: Generator, ndim: number, maxDim = 4): number[] {
  return Array.from({ length: ndim }, () => 1 + generator.integer(0, maxDim));
}

/** The layouts every op is checked on: the same logical values stored in different ways. */
export type Layout = 'contiguous' | 'transposed' | 'stepped' | 'reversed' | 'offset';
export const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'stepped', 'reversed', 'offset'];

/**
 * An array holding `values` (row-major, `shape`) stored as `layout`:
 * - `transposed`: a permuted view of contiguous storage in reversed axis order;
 * - `stepped`: every other element of a larger array (positive step 2 on every axis);
 * - `reversed`: a step −1 slice of storage holding the values backwards on every axis;
 * - `offset`: a slice starting one element into a larger array on every axis.
 * Elements are written with `set`, so building a layout uses no kernel.
 */
export function withLayout(
  values: readonly number[],
  shape: readonly number[],
  dtype: DType,
  layout: Layout,
): NDArray {
  const write = (view: NDArray): NDArray => {
    let i = 0;
    for (const index of indices(shape)) view.set(index, values[i++]);
    return view;
  };
  const reverse = shape.map((_, i) => shape.length - 1 - i);
  switch (layout) {
    case 'contiguous':
      return write(zeros(shape, { dtype }));
    case 'transposed':
      return write(
        zeros(
          reverse.map((a) => shape[a]),
          { dtype },
        ).permute(reverse),
      );
    case 'stepped':
      return write(
        full99(
          shape.map((d) => 2 * d + 1),
          dtype,
        ).slice(...shape.map((d) => [1, 2 * d + 1, 2] as const)),
      );
    case 'reversed':
      return write(full99([...shape], dtype).slice(...shape.map(() => [null, null, -1] as const)));
    case 'offset':
      return write(
        full99(
          shape.map((d) => d + 2),
          dtype,
        ).slice(...shape.map((d) => [1, d + 1] as const)),
      );
  }
}

/** Storage filled with a sentinel (99) so a kernel reading outside its view shows up. */
function full99(shape: number[], dtype: DType): NDArray {
  const out = zeros(shape, { dtype });
  for (const index of indices(shape)) out.set(index, 99);
  return out;
}

/** Asserts `actual` has `expected`'s shape, dtype and elements (within `tolerance`, relative). */
export function expectClose(actual: NDArray, expected: Flat, dtype: DType, tolerance = 0): void {
  expect(actual.dtype).toBe(dtype);
  expect(actual.shape).toEqual(expected.shape);
  const got = flat(actual).data;
  for (let i = 0; i < got.length; i++) {
    const want = expected.data[i];
    if (Number.isNaN(want)) expect(got[i]).toBeNaN();
    else if (tolerance === 0 || !Number.isFinite(want)) expect(got[i]).toBe(want);
    else if (Math.abs(got[i] - want) > tolerance * Math.max(1, Math.abs(want))) {
      expect.fail(`element ${i}: got ${got[i]}, expected ${want} (tolerance ${tolerance})`);
    }
  }
}

/** `array(values, { dtype })` kept here so tests read `make([[1, 2]], 'int32')`. */
export function make(values: Parameters<typeof array>[0], dtype: DType = 'float32'): NDArray {
  return array(values, { dtype });
}
