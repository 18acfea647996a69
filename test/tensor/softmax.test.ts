import { Generator, logSoftmax, softmax } from '@xent/tensor';
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

/** Softmax along `axis` by its definition, with the max subtracted for the reference too. */
function referenceSoftmax(input: Flat, axis: number, log: boolean): Flat {
  const data = new Array<number>(input.data.length);
  for (const index of indices(input.shape)) {
    const line = Array.from({ length: input.shape[axis] }, (_, j) => {
      const at = index.slice();
      at[axis] = j;
      return input.data[position(input.shape, at)];
    });
    const m = Math.max(...line);
    const total = line.reduce((s, x) => s + Math.exp(x - m), 0);
    const x = input.data[position(input.shape, index)];
    data[position(input.shape, index)] = log ? x - m - Math.log(total) : Math.exp(x - m) / total;
  }
  return { shape: input.shape, data };
}

describe('softmax and logSoftmax', () => {
  it('match a naive reference along every axis, on every dtype and layout', () => {
    const generator = new Generator(41);
    const shape = [2, 3, 4];
    for (const dtype of DTYPES) {
      const values = randomValues(generator, 24, dtype);
      for (const layout of LAYOUTS) {
        const input = withLayout(values, shape, dtype, layout);
        for (const axis of [0, 1, 2, -1]) {
          const positive = axis < 0 ? axis + 3 : axis;
          const outType = dtype === 'int32' ? 'float32' : dtype;
          const tolerance = outType === 'float64' ? 1e-14 : 1e-6;
          expectClose(
            softmax(input, axis),
            referenceSoftmax({ shape, data: values }, positive, false),
            outType,
            tolerance,
          );
          expectClose(
            logSoftmax(input, axis),
            referenceSoftmax({ shape, data: values }, positive, true),
            outType,
            tolerance,
          );
        }
      }
    }
  });

  it('hand-computed values; rows sum to one', () => {
    const p = softmax(make([0, Math.log(3)], 'float64'));
    expect(p.get(0)).toBeCloseTo(0.25, 15);
    expect(p.get(1)).toBeCloseTo(0.75, 15);
    expect(logSoftmax(make([[0, 0]], 'float64')).toArray()).toEqual([[-Math.LN2, -Math.LN2]]);
    expect(softmax(make([5])).toArray()).toEqual([1]);
  });

  it('is stable at ±1e4 along any axis', () => {
    const logits = make(
      [
        [1e4, -1e4, 0],
        [-1e4, -1e4, -1e4],
      ],
      'float32',
    );
    expect(softmax(logits).toArray()).toEqual([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)]);
    const logP = logSoftmax(logits, 1).toArray() as number[][];
    expect(logP[0]).toEqual([0, -2e4, -1e4]);
    expect(logP[1][0]).toBeCloseTo(-Math.log(3), 6);
    const columns = logSoftmax(logits.transpose(), 0);
    expect(columns.toArray()).toEqual(logSoftmax(logits, 1).transpose().toArray());
    expect(Array.from(softmax(logits, 0).values()).every(Number.isFinite)).toBe(true);
  });

  it('size-0 and size-1 axes', () => {
    expect(softmax(make([[], []]), 1).shape).toEqual([2, 0]);
    expect(softmax(make([[], []]), 0).shape).toEqual([2, 0]);
    expect(softmax(make([[1, 2, 3]]), 0).toArray()).toEqual([[1, 1, 1]]);
  });
});
