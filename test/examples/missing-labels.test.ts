/**
 * Smoke test of examples/missing-labels.ts on its quick run: when A's positives are hidden
 * mostly where B is present, both masked BCE and unknowns-as-negatives lose the true positive
 * association of A with B, and unknowns-as-negatives turns it into a negative one.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/missing-labels.js';

describe('examples/missing-labels.ts --quick', () => {
  it('biased missingness teaches a spurious negative association', async () => {
    const result = await main({ quick: true, chart: false });
    expect(result.hidden.aPositiveBPresent).toBeGreaterThan(0.7);
    expect(result.truth.association).toBeGreaterThan(0.15);
    const byMethod = Object.fromEntries(result.scores.map((s) => [s.method, s]));
    expect(byMethod['full labels (reference)'].association).toBeGreaterThan(0.05);
    expect(byMethod['masked BCE'].association).toBeLessThan(result.truth.association - 0.15);
    expect(byMethod['unknown = negative'].association).toBeLessThan(byMethod['masked BCE'].association);
    expect(byMethod['unknown = negative'].association).toBeLessThan(0);
    expect(byMethod['masked BCE'].recallABoth).toBeLessThan(byMethod['full labels (reference)'].recallABoth);
  }, 120_000);
});
