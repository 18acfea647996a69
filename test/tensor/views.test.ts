import { arange, array, Generator, NDArray, zeros } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { DTYPES, flat, indices, LAYOUTS, position, randomValues, withLayout } from './reference.js';

/** A 3 × 4 float32 array holding 0..11. */
const grid = () => arange(12).astype('float32').reshape(3, 4);

describe('views share memory with their base', () => {
  it('reshape of contiguous data is a view', () => {
    const base = grid();
    const view = base.reshape(2, 6);
    expect(view.data).toBe(base.data);
    view.set([1, 0], -1);
    expect(base.get(1, 2)).toBe(-1);
    expect(base.reshape([4, -1]).shape).toEqual([4, 3]);
    expect(base.reshape(-1).shape).toEqual([12]);
  });

  it('reshape of non-contiguous data copies, with the values in row-major order', () => {
    const base = grid();
    const reshaped = base.transpose().reshape(12);
    expect(reshaped.data).not.toBe(base.data);
    expect(reshaped.toArray()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('permute and transpose reorder axes without copying', () => {
    const base = arange(24).reshape(2, 3, 4);
    const permuted = base.permute(2, 0, 1);
    expect(permuted.shape).toEqual([4, 2, 3]);
    expect(permuted.strides).toEqual([1, 12, 4]);
    expect(permuted.get(3, 1, 2)).toBe(base.get(1, 2, 3));
    permuted.set([0, 0, 0], 100);
    expect(base.get(0, 0, 0)).toBe(100);
    expect(base.transpose().shape).toEqual([2, 4, 3]);
    expect(base.transpose(0, 2).get(3, 2, 1)).toBe(base.get(1, 2, 3));
    expect(arange(3).transpose().shape).toEqual([3]);
    expect(arange(3).transpose(0, -1).shape).toEqual([3]);
  });

  it('slice follows Python semantics: negative indices, steps, negative steps, clamping', () => {
    const row = arange(10);
    const py = (start: number | null, stop: number | null, step: number | null): number[] => {
      // Python's slice.indices, written out.
      const n = 10;
      const s = step ?? 1;
      const norm = (v: number | null, dflt: number, lo: number, hi: number) =>
        v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
      const b = s > 0 ? norm(start, 0, 0, n) : norm(start, n - 1, -1, n - 1);
      const e = s > 0 ? norm(stop, n, 0, n) : norm(stop, -1, -1, n - 1);
      const out: number[] = [];
      for (let i = b; s > 0 ? i < e : i > e; i += s) out.push(i);
      return out;
    };
    const bounds = [null, -12, -3, -1, 0, 2, 9, 12];
    for (const start of bounds)
      for (const stop of bounds)
        for (const step of [null, 1, 3, -1, -2]) {
          expect(row.slice([start, stop, step]).toArray(), `[${start}:${stop}:${step}]`).toEqual(
            py(start, stop, step),
          );
        }
  });

  it('slice and select write through to the base', () => {
    const base = grid();
    const corner = base.slice([1, 3], [null, null, -2]);
    expect(corner.toArray()).toEqual([
      [7, 5],
      [11, 9],
    ]);
    corner.set([0, 0], -7);
    expect(base.get(1, 3)).toBe(-7);
    const column = base.select(1, -1);
    expect(column.toArray()).toEqual([3, -7, 11]);
    column.set([2], 0);
    expect(base.get(2, 3)).toBe(0);
    expect(base.slice(null, [1, 2]).shape).toEqual([3, 1]);
    expect(base.slice([5, 9]).shape).toEqual([0, 4]);
  });

  it('broadcastTo and expand repeat with stride 0', () => {
    const column = array([[1], [2]]);
    const wide = column.broadcastTo([3, 2, 4]);
    expect(wide.strides).toEqual([0, 1, 0]);
    expect(wide.data).toBe(column.data);
    expect(wide.toArray()).toEqual([
      [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
      ],
      [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
      ],
      [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
      ],
    ]);
    expect(column.expand(3, -1, 4).shape).toEqual([3, 2, 4]);
    expect(column.broadcastTo([2, 1])).toBe(column);
  });

  it('squeeze and unsqueeze add and drop size-1 axes as views', () => {
    const base = zeros([1, 3, 1, 2]);
    expect(base.squeeze().shape).toEqual([3, 2]);
    expect(base.squeeze(2).shape).toEqual([1, 3, 2]);
    expect(base.squeeze([0, -2]).shape).toEqual([3, 2]);
    const column = arange(3).unsqueeze(-1);
    expect(column.shape).toEqual([3, 1]);
    expect(arange(3).unsqueeze(0).shape).toEqual([1, 3]);
    expect(zeros([2, 3]).unsqueeze(1).shape).toEqual([2, 1, 3]);
    const squeezed = base.squeeze();
    squeezed.set([2, 1], 5);
    expect(base.get(0, 2, 0, 1)).toBe(5);
    // A transposed array keeps its strides through unsqueeze.
    const t = grid().transpose().unsqueeze(1);
    expect(t.shape).toEqual([4, 1, 3]);
    expect(t.get(3, 0, 2)).toBe(11);
  });

  it('contiguous copies only when needed', () => {
    const base = grid();
    expect(base.contiguous()).toBe(base);
    expect(base.slice([1, 2]).contiguous()).toEqual(base.slice([1, 2])); // a row slice is contiguous
    expect(base.slice([1, 2]).isContiguous).toBe(true);
    expect(base.slice(null, [0, 2]).isContiguous).toBe(false);
    expect(zeros([1, 3]).broadcastTo([1, 3]).isContiguous).toBe(true);
    expect(zeros([3]).broadcastTo([2, 3]).isContiguous).toBe(false);
    expect(zeros([3, 0]).transpose().isContiguous).toBe(true);
    const copy = base.transpose().contiguous();
    expect(copy.data).not.toBe(base.data);
    expect(copy.isContiguous).toBe(true);
    expect(copy.toArray()).toEqual(base.transpose().toArray());
  });

  it('values, toArray, clone and astype read any layout (checked against get)', () => {
    const generator = new Generator(4);
    for (const dtype of DTYPES) {
      for (const shape of [[2, 3, 2], [1], [0, 2], []]) {
        const size = shape.reduce((p, d) => p * d, 1);
        const values = randomValues(generator, size, dtype);
        for (const layout of LAYOUTS) {
          const a = withLayout(values, shape, dtype, layout);
          expect(Array.from(a.values())).toEqual(values);
          expect(flat(a.clone()).data).toEqual(values);
          expect(a.clone().data).not.toBe(a.data);
          expect(flat(a.astype('float64')).data).toEqual(values);
          expect(flat(a.astype('int32')).data).toEqual(values.map((v) => v | 0));
          const nested = a.toArray();
          for (const index of indices(shape)) {
            let cell: unknown = nested;
            for (const i of index) cell = (cell as unknown[])[i];
            expect(cell).toBe(values[position(shape, index)]);
          }
        }
      }
    }
  });

  it('get, set and item accept negative indices', () => {
    const base = grid();
    expect(base.get(-1, -1)).toBe(11);
    base.set([-1, 0], 42);
    expect(base.get(2, 0)).toBe(42);
    expect(array([[7]]).item()).toBe(7);
    expect(base.ndim).toBe(2);
    expect(base.size).toBe(12);
    expect(base.flatten().shape).toEqual([12]);
  });

  it('fromStorage shares a typed array', () => {
    const storage = new Float64Array([1, 2, 3, 4, 5, 6]);
    const a = NDArray.fromStorage(storage, [2, 2], [1, 2], 1);
    expect(a.toArray()).toEqual([
      [2, 4],
      [3, 5],
    ]);
    a.set([0, 0], 0);
    expect(storage[1]).toBe(0);
  });
});
