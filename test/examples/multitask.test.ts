/**
 * Smoke test of examples/multitask.ts on its quick run: every strategy learns both tasks,
 * UncertaintyWeighting gives the clean digit task a larger weight than the noisy attribute
 * task, and the logged gradient cosines are real cosines (in [−1, 1], not all equal).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/multitask.js';

describe('examples/multitask.ts --quick', () => {
  it('trains all three strategies and uncertainty weighting down-weights the noisy task', async () => {
    const { results } = await main({ quick: true, chart: false });
    expect(results.map((r) => r.strategy)).toEqual(['equal weights', 'uncertainty', 'pcgrad']);
    for (const r of results) {
      expect(r.digitAccuracy, r.strategy).toBeGreaterThan(0.8);
      expect(r.attributeAccuracy, r.strategy).toBeGreaterThan(0.8);
      expect(r.cosines.length).toBeGreaterThan(5);
      for (const cosine of r.cosines) expect(Math.abs(cosine)).toBeLessThanOrEqual(1);
      expect(new Set(r.cosines).size).toBeGreaterThan(1);
    }
    const [digitWeight, attributeWeight] = results[1].weights;
    expect(digitWeight).toBeGreaterThan(1.1 * attributeWeight);
    expect(results[0].weights).toEqual([1, 1]);
    // The tasks do conflict at times, and PCGrad projects on those steps only.
    expect(results[0].conflictRate).toBeGreaterThan(0);
    expect(results[2].projectedRate).toBeGreaterThan(0);
    expect(results[2].projectedRate).toBeLessThan(1);
    expect(results[0].projectedRate).toBe(0);
  }, 90_000);
});
