import {
  arange,
  array,
  eye,
  full,
  Generator,
  linspace,
  manualSeed,
  NDArray,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  zeros,
  zerosLike,
} from '@xent/tensor';
import { describe, expect, it } from 'vitest';

describe('array', () => {
  it('reads nested arrays (float32 by default) and infers the shape', () => {
    const a = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(a.isContiguous).toBe(true);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(array(5).shape).toEqual([]);
    expect(array(5).item()).toBe(5);
    expect(array([]).shape).toEqual([0]);
    expect(array([[], []]).shape).toEqual([2, 0]);
    expect(array([0.1]).get(0)).toBe(Math.fround(0.1));
    expect(array([1.9, -1.9], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(array([1, 2, 3, 4], { shape: [2, 2] }).shape).toEqual([2, 2]);
  });

  it('copies typed arrays, keeping their dtype unless told otherwise', () => {
    const source = new Int32Array([1, 2, 3, 4]);
    const a = array(source, { shape: [2, 2] });
    expect(a.dtype).toBe('int32');
    source[0] = 9;
    expect(a.get(0, 0)).toBe(1);
    expect(array(new Float64Array([0.5]), { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('copies NDArrays (any layout), converting dtype when asked', () => {
    const base = arange(6).reshape(2, 3);
    const copy = array(base.transpose(), { dtype: 'float64' });
    expect(copy.dtype).toBe('float64');
    expect(copy.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(copy.data).not.toBe(base.data);
  });
});

describe('filled arrays and ranges', () => {
  it('zeros, ones, full, zerosLike, onesLike', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([2], { dtype: 'int32' }).dtype).toBe('int32');
    expect(full([2, 1], 7, { dtype: 'float64' }).toArray()).toEqual([[7], [7]]);
    expect(full([], 3).item()).toBe(3);
    expect(zeros([0, 3]).size).toBe(0);
    const like = zerosLike(arange(3));
    expect([like.dtype, like.shape]).toEqual(['int32', [3]]);
    expect(onesLike(zeros([2]), { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('arange: int32 for integer arguments, float32 otherwise, NumPy lengths', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5).dtype).toBe('int32');
    expect(arange(2, 8, 3).toArray()).toEqual([2, 5]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).size).toBe(0);
    const fractional = arange(0, 1, 0.25);
    expect(fractional.dtype).toBe('float32');
    expect(fractional.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('linspace includes both ends', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(linspace(0, 0.3, 4, { dtype: 'float64' }).get(3)).toBe(0.3);
  });

  it('eye, square and rectangular', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3, { dtype: 'int32' }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe('seeded random', () => {
  it('the same seed gives the same numbers; different seeds differ', () => {
    const a = rand([50], { generator: new Generator(7) });
    const b = rand([50], { generator: new Generator(7) });
    const c = rand([50], { generator: new Generator(8) });
    expect(a.toArray()).toEqual(b.toArray());
    expect(a.toArray()).not.toEqual(c.toArray());
    manualSeed(3);
    const first = randn([10]).toArray();
    manualSeed(3);
    expect(randn([10]).toArray()).toEqual(first);
  });

  it('gives fixed numbers for a fixed seed (the stream is part of the contract)', () => {
    const generator = new Generator(42);
    const values = [generator.next(), generator.next(), generator.next()];
    // mulberry32(42), computed once and pinned: a change here breaks reproducibility.
    const again = new Generator(0).manualSeed(42);
    expect([again.next(), again.next(), again.next()]).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values[0]).toBeCloseTo(0.6011037519201636, 15);
  });

  it('rand is uniform on [0, 1): mean ≈ 1/2, variance ≈ 1/12', () => {
    const values = Array.from(rand([20000], { generator: new Generator(1), dtype: 'float64' }).values());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.003);
  });

  it('randn has mean ≈ 0 and std ≈ 1', () => {
    const values = Array.from(randn([20000], { generator: new Generator(2) }).values());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
    // Roughly 68% within one standard deviation.
    const within = values.filter((v) => Math.abs(v) < 1).length / values.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.02);
  });

  it('randint stays in [low, high) and hits every value', () => {
    const values = Array.from(randint(-2, 3, [2000], { generator: new Generator(5) }).values());
    expect(new Set(values)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(randint(0, 10, [3]).dtype).toBe('int32');
    expect(randint(0, 10, [3], { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('a generator stream continues across calls', () => {
    const generator = new Generator(9);
    const both = rand([4], { generator: new Generator(9) }).toArray() as number[];
    const first = rand([2], { generator }).toArray() as number[];
    const second = rand([2], { generator }).toArray() as number[];
    expect([...first, ...second]).toEqual(both);
    expect(rand([2, 0]).shape).toEqual([2, 0]);
    expect(rand([3]) instanceof NDArray).toBe(true);
  });
});
