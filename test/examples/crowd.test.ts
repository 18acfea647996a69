/**
 * Smoke test of examples/crowd.ts on its quick run: Dawid–Skene recovers the true digits of
 * the crowd-labelled images far better than majority vote, estimates the annotators'
 * confusion matrices, and a model trained on its soft labels beats one trained on the votes.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/crowd.js';

describe('examples/crowd.ts --quick', () => {
  it('Dawid–Skene soft labels beat hard majority labels', async () => {
    const result = await main({ quick: true, chart: false });
    expect(result.labelAccuracy.dawidSkene).toBeGreaterThan(result.labelAccuracy.majorityVote + 0.1);
    expect(result.confusionError).toBeLessThan(0.03);
    expect(result.testAccuracy.dawidSkene).toBeGreaterThan(result.testAccuracy.majorityVote + 0.02);
    expect(result.testAccuracy.dawidSkene).toBeGreaterThan(result.testAccuracy.truth - 0.03);
  }, 120_000);
});
