/**
 * Smoke test of the MNIST example: its `main({ quick: true })`, imported directly, must reach
 * a test accuracy of at least 0.85.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/mnist.js';

describe('examples/mnist.ts --quick', () => {
  it('trains an MLP to at least 0.85 test accuracy', async () => {
    const result = await main({ quick: true, chart: false });
    expect(result.epochs).toBe(2);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.85);
  }, 120_000);
});
