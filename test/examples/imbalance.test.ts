/**
 * Smoke test of examples/imbalance.ts on its quick run: on a 100:1 long tail, reweighting,
 * resampling and logit adjustment all beat plain cross-entropy on balanced accuracy and on
 * the recall of the rarest digits, and logit adjustment also lowers the test NLL.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/imbalance.js';

describe('examples/imbalance.ts --quick', () => {
  it('every correction beats plain CE on the rare classes', async () => {
    const result = await main({ quick: true, chart: false });
    expect(result.trainCounts[0] / result.trainCounts[9]).toBe(100);
    const byMethod = Object.fromEntries(result.scores.map((s) => [s.method, s]));
    const plain = byMethod['plain CE'];
    for (const method of [
      'plain CE + adjustLogits',
      'class-weighted CE',
      'WeightedRandomSampler',
      'logit-adjusted CE',
    ]) {
      expect(byMethod[method].balancedAccuracy, method).toBeGreaterThan(plain.balancedAccuracy + 0.03);
      expect(byMethod[method].minorityRecall, method).toBeGreaterThan(plain.minorityRecall + 0.1);
    }
    expect(byMethod['logit-adjusted CE'].nll).toBeLessThan(plain.nll);
    expect(byMethod['plain CE + adjustLogits'].nll).toBeLessThan(plain.nll);
  }, 120_000);
});
