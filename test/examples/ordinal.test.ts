/**
 * Smoke test of examples/ordinal.ts on its quick run (2× 5-fold CV on iris): with training
 * ranks that are one off 30% of the time, ordinal smoothing makes the smallest rank errors
 * and has a lower held-out NLL than uniform smoothing.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/ordinal.js';

describe('examples/ordinal.ts --quick', () => {
  it('ordinal smoothing gives the lowest mean rank error and beats uniform smoothing on NLL', async () => {
    const { results } = await main({ quick: true, chart: false });
    const [oneHot, uniform, ordinal] = results;
    expect(results.map((r) => r.variant)).toEqual(['one-hot', 'uniform', 'ordinal']);
    expect(ordinal.meanAbsoluteError).toBeLessThan(oneHot.meanAbsoluteError);
    expect(ordinal.meanAbsoluteError).toBeLessThan(uniform.meanAbsoluteError);
    expect(ordinal.nll).toBeLessThan(uniform.nll);
    // The task is learnable at all: far better than always guessing the middle rank (MAE 1.5).
    expect(ordinal.meanAbsoluteError).toBeLessThan(0.6);
  }, 60_000);
});
