/**
 * Smoke test of examples/calibration.ts on its quick run: the over-fitted MLP is
 * over-confident (T > 1), and the temperature fitted on the validation split lowers the test
 * ECE and NLL while leaving the accuracy exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/calibration.js';

describe('examples/calibration.ts --quick', () => {
  it('temperature scaling lowers test ECE and NLL without changing accuracy', async () => {
    const { temperature, before, after } = await main({ quick: true, chart: false });
    expect(temperature).toBeGreaterThan(1.2);
    expect(before.meanConfidence).toBeGreaterThan(before.accuracy); // over-confident
    expect(after.ece).toBeLessThan(0.75 * before.ece);
    expect(after.nll).toBeLessThan(before.nll);
    expect(after.accuracy).toBe(before.accuracy);
    expect(before.accuracy).toBeGreaterThan(0.85);
  }, 90_000);
});
