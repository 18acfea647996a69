import { concat, Generator, gather, indexSelect, oneHot, scatterAdd, stack, zeros } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import {
  DTYPES,
  expectClose,
  flat,
  indices,
  LAYOUTS,
  make,
  position,
  randomValues,
  withLayout,
} from './reference.js';

describe('gather', () => {
  it('picks along an axis (hand-computed)', () => {
    const a = make([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(gather(a, 1, make([[2], [0]], 'int32')).toArray()).toEqual([[3], [4]]);
    expect(gather(a, 0, make([[1, 0, 1]], 'int32')).toArray()).toEqual([[4, 2, 6]]);
    expect(gather(a, -1, make([[-1], [-3]], 'int32')).toArray()).toEqual([[3], [4]]);
  });

  it('matches a naive reference on every axis, dtype and layout', () => {
    const generator = new Generator(31);
    const shape = [3, 4, 2];
    for (const dtype of DTYPES) {
      const values = randomValues(generator, 24, dtype);
      for (const layout of LAYOUTS) {
        const a = withLayout(values, shape, dtype, layout);
        for (const axis of [0, 1, 2]) {
          const indexShape = shape.map((d, i) => (i === axis ? 5 : Math.max(1, d - 1)));
          const indexValues = Array.from({ length: indexShape.reduce((p, d) => p * d, 1) }, () =>
            generator.integer(0, shape[axis]),
          );
          const index = withLayout(indexValues, indexShape, 'int32', layout);
          const data = [...indices(indexShape)].map((at, i) => {
            const source = at.slice();
            source[axis] = indexValues[i];
            return values[position(shape, source)];
          });
          expectClose(gather(a, axis, index), { shape: indexShape, data }, dtype);
        }
      }
    }
  });
});

describe('scatterAdd', () => {
  it('adds into a copy, accumulating repeated indices', () => {
    const target = zeros([2, 3]);
    const out = scatterAdd(
      target,
      1,
      make(
        [
          [0, 0, 2],
          [1, 1, 1],
        ],
        'int32',
      ),
      make([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(out.toArray()).toEqual([
      [3, 0, 3],
      [0, 15, 0],
    ]);
    expect(target.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('is the adjoint of gather: <gather(x, i), y> = <x, scatterAdd(0, i, y)>', () => {
    const generator = new Generator(32);
    const shape = [3, 4];
    for (const axis of [0, 1]) {
      const x = withLayout(randomValues(generator, 12, 'float64'), shape, 'float64', 'transposed');
      const indexShape = axis === 0 ? [5, 2] : [2, 5];
      const index = make(
        Array.from({ length: 10 }, () => generator.integer(0, shape[axis])),
        'int32',
      ).reshape(indexShape);
      const y = withLayout(randomValues(generator, 10, 'float64'), indexShape, 'float64', 'reversed');
      const lhs = flat(gather(x, axis, index)).data.reduce((s, v, i) => s + v * flat(y).data[i], 0);
      const scattered = flat(scatterAdd(zeros(shape, { dtype: 'float64' }), axis, index, y)).data;
      const rhs = flat(x).data.reduce((s, v, i) => s + v * scattered[i], 0);
      expect(lhs).toBeCloseTo(rhs, 12);
    }
  });

  it('uses the leading part of a larger source and promotes dtypes', () => {
    const out = scatterAdd(zeros([3], { dtype: 'int32' }), 0, make([2], 'int32'), make([0.5, 9]));
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([0, 0, 0.5]);
  });
});

describe('indexSelect', () => {
  it('selects whole slices, in any order and with repeats', () => {
    const a = make([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(indexSelect(a, 1, make([2, 0, 2], 'int32')).toArray()).toEqual([
      [3, 1, 3],
      [6, 4, 6],
    ]);
    expect(indexSelect(a.transpose(), 0, make([-1], 'int32')).toArray()).toEqual([[3, 6]]);
    expect(indexSelect(a, 0, make([], 'int32')).shape).toEqual([0, 3]);
    expect(indexSelect(make([[1], [2]], 'int32'), 0, make([1, 1], 'int32')).dtype).toBe('int32');
  });
});

describe('concat and stack', () => {
  it('concat joins along any axis, reading any layout, promoting dtypes', () => {
    const a = make([
      [1, 2],
      [3, 4],
    ]);
    const b = make([[5, 6]], 'float64');
    const down = concat([a, b]);
    expect(down.dtype).toBe('float64');
    expect(down.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([a, a.transpose()], 1).toArray()).toEqual([
      [1, 2, 1, 3],
      [3, 4, 2, 4],
    ]);
    expect(concat([a, b.transpose().broadcastTo([2, 3])], -1).shape).toEqual([2, 5]);
    expect(concat([a, zeros([0, 2])]).toArray()).toEqual(a.toArray());
    expect(concat([make([1, 2], 'int32'), make([3], 'int32')]).dtype).toBe('int32');
  });

  it('stack adds a new axis at any position', () => {
    const a = make([1, 2]);
    const b = make([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], -1).shape).toEqual([2, 2]);
    expect(stack([make(1), make(2)]).toArray()).toEqual([1, 2]);
  });
});

describe('oneHot', () => {
  it('encodes labels of any shape', () => {
    expect(oneHot(make([0, 2], 'int32'), 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const grid = oneHot(make([[1], [0]], 'int32').transpose(), 2, 'int32');
    expect(grid.dtype).toBe('int32');
    expect(grid.toArray()).toEqual([
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    expect(oneHot(make([], 'int32'), 4).shape).toEqual([0, 4]);
  });
});
