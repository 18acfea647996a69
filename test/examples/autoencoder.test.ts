/**
 * Smoke test of examples/autoencoder.ts on its quick run: through a two-number code, the
 * mixed-type autoencoder reconstructs held-out continuous, binary and categorical columns far
 * better than predicting the training mean / mode.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/autoencoder.js';

describe('examples/autoencoder.ts --quick', () => {
  it('beats the mean / mode baseline on every column type', async () => {
    const { results, categoricalColumns } = await main({ quick: true, chart: false });
    expect(results.map((r) => r.type)).toEqual([
      'continuous (MSE)',
      'binary (error rate)',
      'categorical (error rate)',
    ]);
    for (const r of results) expect(r.autoencoder, r.type).toBeLessThan(0.5 * r.baseline);
    // Standardised columns: predicting the mean costs about one unit of variance.
    expect(results[0].baseline).toBeGreaterThan(0.9);
    for (const c of categoricalColumns) expect(c.autoencoder, c.column).toBeLessThan(c.baseline);
  }, 60_000);
});
