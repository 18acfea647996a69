/**
 * Smoke test of examples/multilabel.ts on its quick run: K sigmoids + BCE beat one softmax +
 * CE on Hamming loss and per-label calibration, and the softmax never predicts two labels.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/multilabel.js';

describe('examples/multilabel.ts --quick', () => {
  it('sigmoids express co-occurring labels; a softmax cannot', async () => {
    const result = await main({ quick: true, chart: false });
    expect(result.hamming.sigmoid).toBeLessThan(0.15);
    expect(result.hamming.sigmoid).toBeLessThan(result.hamming.softmax - 0.1);
    expect(result.meanEce.sigmoid).toBeLessThan(result.meanEce.softmax / 2);
    // Probabilities summing to 1 leave room for at most one above 0.5.
    expect(result.coOccurrenceRecall.softmax).toBe(0);
    expect(result.labelsPerImage.softmax).toBeLessThanOrEqual(1);
    expect(result.coOccurrenceRecall.sigmoid).toBeGreaterThan(0.5);
    expect(result.labelsPerImage.truth).toBeCloseTo(2.03, 1);
  }, 120_000);
});
