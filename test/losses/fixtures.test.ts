/**
 * Every case of fixtures/losses.json (PyTorch 1.13, float64): value and every gradient at 1e-10.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Tensor, tensor } from '@xent/autograd';
import * as losses from '@xent/losses';
import type { NestedArray } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

interface FixtureCase {
  name: string;
  fn: string;
  inputs: Record<string, NestedArray>;
  options: Record<string, unknown>;
  gradOutput: NestedArray | null;
  value: NestedArray;
  grads: Record<string, NestedArray>;
}

const file = fileURLToPath(new URL('../../fixtures/losses.json', import.meta.url));
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: FixtureCase[] };

type LossFunction = (...args: unknown[]) => Tensor;
const functions = losses as unknown as Record<string, LossFunction>;

/** Largest |a − b| / max(1, |b|) over two nested arrays of the same shape. */
function maxError(actual: NestedArray, expected: NestedArray): number {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return Number.POSITIVE_INFINITY;
    return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  }
  if (!Array.isArray(actual) || actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  expected.forEach((e, i) => {
    worst = Math.max(worst, maxError(actual[i], e));
  });
  return worst;
}

describe('PyTorch fixtures (fixtures/losses.json)', () => {
  it('has the 267 part-1 cases', () => {
    expect(cases.length).toBe(267);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fn = functions[c.fn];
    expect(fn, `@xent/losses exports ${c.fn}`).toBeTypeOf('function');
    const leaves: Record<string, Tensor> = {};
    const args = Object.entries(c.inputs).map(([name, data]) => {
      if (!(name in c.grads)) return data; // integer targets and masks: plain arrays
      leaves[name] = tensor(data, { dtype: 'float64', requiresGrad: true });
      return leaves[name];
    });
    const out = fn(...args, c.options);
    expect(out.dtype).toBe('float64');
    expect(maxError(out.toArray(), c.value)).toBeLessThan(1e-10);
    if (c.gradOutput === null) out.backward();
    else out.backward(tensor(c.gradOutput, { dtype: 'float64' }));
    for (const [name, expected] of Object.entries(c.grads)) {
      const grad = leaves[name].grad;
      expect(grad, `grad of ${name}`).not.toBeNull();
      expect(maxError(grad?.toArray() ?? 0, expected), `grad of ${name}`).toBeLessThan(1e-10);
    }
  });
});
