/**
 * The table exponential behind float32 `exp` (packages/tensor/src/math.ts). The brief allows an
 * exp approximation only when tested to float32's rounding: every result here must round to
 * Math.exp's value rounded to float32, or to a neighbour of it (ties can flip), over the whole
 * range where float32's exp is neither 0 nor Infinity, and at its ends.
 */
import { exp, NDArray, unary } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { expFloat32 } from '../../packages/tensor/src/math.ts';

/** Distance in float32 steps between two float32 values (same sign, finite). */
function float32Steps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}

describe('expFloat32', () => {
  it('is within one float32 step of fround(Math.exp(x)) for 400 001 float32 x in [−104, 89]', () => {
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i <= 400_000; i++) {
      const x = Math.fround(-104 + (193 * i) / 400_000);
      const want = Math.fround(Math.exp(x));
      const got = Math.fround(expFloat32(x));
      if (want === Number.POSITIVE_INFINITY || got === Number.POSITIVE_INFINITY) {
        expect(got).toBe(want);
        continue;
      }
      const steps = float32Steps(got, want);
      if (steps > worst) {
        worst = steps;
        worstAt = x;
      }
    }
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(1);
  });

  it('is within 1e-10 relative of Math.exp before rounding, at points across the range', () => {
    for (const x of [-103.5, -87.3, -50.25, -10, -1, -1e-6, 0, 1e-6, 0.5, 1, 3.7, 20, 60.1, 88.5]) {
      expect(Math.abs(expFloat32(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-10);
    }
  });

  it('handles the ends: 0 far below, Infinity above, NaN, ±0 and ±Infinity', () => {
    expect(expFloat32(0)).toBe(1);
    expect(expFloat32(-0)).toBe(1);
    expect(expFloat32(-104.5)).toBe(0);
    expect(expFloat32(-1e4)).toBe(0);
    expect(expFloat32(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expFloat32(89.5)).toBe(Number.POSITIVE_INFINITY);
    expect(expFloat32(1e4)).toBe(Number.POSITIVE_INFINITY);
    expect(expFloat32(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(expFloat32(Number.NaN))).toBe(true);
  });

  it('is what exp uses for float32 arrays; float64 arrays keep Math.exp exactly', () => {
    const values = [-103.9, -20.5, -1, 0, 0.3, 7, 88.7];
    const f32 = exp(NDArray.fromStorage(Float32Array.from(values), [values.length]));
    const f64 = unary('exp', NDArray.fromStorage(Float64Array.from(values), [values.length]));
    for (const [i, v] of Float32Array.from(values).entries()) {
      expect(f32.data[i]).toBe(Math.fround(expFloat32(v)));
    }
    expect(Array.from(f64.data)).toEqual(values.map(Math.exp));
  });
});
