/**
 * Smoke test of examples/contrastive.ts on its quick run: after two epochs of contrastive
 * pretraining on unlabelled digits, a linear probe on the NT-Xent and on the InfoNCE
 * embeddings beats the same probe on the untrained encoder by a clear margin.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/contrastive.js';

describe('examples/contrastive.ts --quick', () => {
  it('contrastive embeddings beat a random encoder under a linear probe', async () => {
    const { results, curves } = await main({ quick: true, chart: false });
    const [random, ntXent, infoNCE] = results;
    expect(results.map((r) => r.encoder)).toEqual(['random (untrained)', 'NT-Xent', 'InfoNCE']);
    expect(ntXent.probeTestAccuracy).toBeGreaterThan(random.probeTestAccuracy + 0.03);
    expect(infoNCE.probeTestAccuracy).toBeGreaterThan(random.probeTestAccuracy + 0.03);
    // The contrastive losses fell from their first epoch to their second.
    for (const curve of Object.values(curves)) expect(curve[1]).toBeLessThan(curve[0]);
  }, 90_000);
});
