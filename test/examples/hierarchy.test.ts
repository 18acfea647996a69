/**
 * Smoke test of examples/hierarchy.ts on its quick run: hierarchical cross-entropy trains a
 * classifier as accurate as flat cross-entropy (within 4 points) at both levels of the tree,
 * and the coarse level is easier than the fine one for both.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/hierarchy.js';

describe('examples/hierarchy.ts --quick', () => {
  it('hierarchical CE matches flat CE at each level', async () => {
    const result = await main({ quick: true, chart: false });
    const [flat, hierarchical] = result.scores;
    expect(flat.method).toBe('flat CE');
    expect(hierarchical.method).toBe('hierarchical CE');
    for (const s of result.scores) {
      expect(s.digitAccuracy, s.method).toBeGreaterThan(0.85);
      expect(s.groupAccuracy, s.method).toBeGreaterThan(s.digitAccuracy);
    }
    expect(Math.abs(hierarchical.digitAccuracy - flat.digitAccuracy)).toBeLessThan(0.04);
    expect(Math.abs(hierarchical.groupAccuracy - flat.groupAccuracy)).toBeLessThan(0.04);
  }, 120_000);
});
