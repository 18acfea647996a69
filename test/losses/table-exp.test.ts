import { describe, expect, it } from 'vitest';
import { expRowFloat32 } from '../../packages/losses/src/fused-cross-entropy.ts';

// The fused float32 cross-entropy replaces Math.exp with a table exponential; the brief allows
// that only if it is tested to well below float32's rounding (relative 2^-24 ≈ 6e-8).
describe('the table exponential of the fused float32 cross-entropy', () => {
  it('matches Math.exp to 1e-10 relative on a dense grid of x − max in [−103, 0]', () => {
    const count = 200_003;
    const x = new Float32Array(count);
    for (let i = 0; i < count; i++) x[i] = -103 * (i / (count - 1));
    const exps = new Float32Array(count);
    const sum = expRowFloat32(x, exps, 0, count, 0);
    let worst = 0;
    let exactSum = 0;
    for (let i = 0; i < count; i++) {
      const exact = Math.exp(x[i]);
      exactSum += exact;
      // exps is float32 storage: compare with the exact value rounded to float32, relative to it.
      const rounded = Math.fround(exact);
      if (rounded > 0) worst = Math.max(worst, Math.abs(exps[i] - rounded) / rounded);
    }
    // The result differs from fround(exp) by at most one float32 rounding step (ties can flip).
    expect(worst).toBeLessThanOrEqual(2 ** -23);
    // The running sum is accumulated in double from the unrounded values.
    expect(Math.abs(sum - exactSum) / exactSum).toBeLessThan(1e-9);
  });

  it('is exactly 1 at x = max and 0 far below (where float32 underflows too)', () => {
    const x = Float32Array.from([5, 5 - 200, 5 - 1e4]);
    const exps = new Float32Array(3);
    expRowFloat32(x, exps, 0, 3, 5);
    expect(Array.from(exps)).toEqual([1, 0, 0]);
  });

  it('agrees with Math.exp before rounding to 1e-10 relative (the polynomial itself)', () => {
    // Read the value back through a Float64Array-free path: compare sums of single elements.
    for (const v of [-1e-9, -0.003, -0.5, -1, -2.5, -10, -37.25, -80.5, -100]) {
      const x = Float32Array.from([v]);
      const exps = new Float32Array(1);
      const value = expRowFloat32(x, exps, 0, 1, 0); // the returned sum is the double value
      const exact = Math.exp(x[0]);
      expect(Math.abs(value - exact) / exact).toBeLessThan(1e-10);
    }
  });
});
