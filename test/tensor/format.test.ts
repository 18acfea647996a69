/** toString against NumPy's repr; every expected string was written out by hand from NumPy's rules. */
import { arange, array, full, zeros } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { make } from './reference.js';

describe('toString prints like NumPy', () => {
  it('2-D float32 with the hanging indent', () => {
    expect(
      array([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('array([[1., 2.],\n       [3., 4.]], dtype=float32)');
  });

  it('aligns points: pads integer parts left and fractions right', () => {
    expect(make([1.5, 2.25, 0.1]).toString()).toBe('array([1.5 , 2.25, 0.1 ], dtype=float32)');
    expect(make([0.1, 10], 'float64').toString()).toBe('array([ 0.1, 10. ])');
    expect(make([-1, 2.5], 'float64').toString()).toBe('array([-1. ,  2.5])');
  });

  it('float32 prints its shortest digits; float64 rounds to 8 decimals', () => {
    expect(make([0.1, 0.2]).toString()).toBe('array([0.1, 0.2], dtype=float32)');
    expect(make([1 / 3], 'float64').toString()).toBe('array([0.33333333])');
    expect(make([1 / 3]).toString()).toBe('array([0.33333334], dtype=float32)');
  });

  it('switches to scientific notation for tiny, huge or wide-ranging values', () => {
    expect(make([1e-5, 1], 'float64').toString()).toBe('array([1.e-05, 1.e+00])');
    expect(make([1.5e-5, 1], 'float64').toString()).toBe('array([1.5e-05, 1.0e+00])');
    expect(make([1e8], 'float64').toString()).toBe('array([1.e+08])');
  });

  it('nan and inf take the width of the column', () => {
    expect(make([Number.NaN, 1, Number.NEGATIVE_INFINITY], 'float64').toString()).toBe(
      'array([ nan,   1., -inf])',
    );
  });

  it('int32 right-aligns and names its dtype', () => {
    expect(arange(6).reshape(2, 3).toString()).toBe('array([[0, 1, 2],\n       [3, 4, 5]], dtype=int32)');
    expect(make([-10, 5], 'int32').toString()).toBe('array([-10,   5], dtype=int32)');
  });

  it('3-D arrays separate blocks with a blank line', () => {
    expect(arange(8).reshape(2, 2, 2).toString()).toBe(
      'array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]], dtype=int32)',
    );
  });

  it('wraps rows at 75 characters', () => {
    expect(arange(30).toString()).toBe(
      'array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n' +
        '       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], dtype=int32)',
    );
  });

  it('summarises arrays of more than 1000 elements', () => {
    expect(arange(2000).toString()).toBe('array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)');
    expect(arange(2000).reshape(1000, 2).toString()).toBe(
      'array([[   0,    1],\n       [   2,    3],\n       [   4,    5],\n       ...,\n' +
        '       [1994, 1995],\n       [1996, 1997],\n       [1998, 1999]], dtype=int32)',
    );
  });

  it('0-d, empty and non-contiguous arrays', () => {
    expect(make(1.5).toString()).toBe('array(1.5, dtype=float32)');
    expect(full([], 2, { dtype: 'float64' }).toString()).toBe('array(2.)');
    expect(zeros([0]).toString()).toBe('array([], dtype=float32)');
    expect(zeros([2, 0]).toString()).toBe('array([], shape=(2, 0), dtype=float32)');
    expect(arange(4).reshape(2, 2).transpose().toString()).toBe(
      'array([[0, 2],\n       [1, 3]], dtype=int32)',
    );
    expect(String(make([-0], 'float64'))).toBe('array([-0.])');
  });
});
