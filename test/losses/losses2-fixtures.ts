/** Loads fixtures/losses2.json (PyTorch 1.13, float64) for the part-2 tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A nested JSON value of numbers, arrays and objects (the mixed loss nests objects). */
export type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

/** One case of fixtures/losses2.json; see fixtures/README.md for the schema. */
export interface Losses2Case {
  name: string;
  fn: string;
  inputs: Record<string, Json>;
  options: Record<string, Json>;
  value: Json;
  grads: Record<string, Json>;
}

const file = fileURLToPath(new URL('../../fixtures/losses2.json', import.meta.url));
const fixture = JSON.parse(readFileSync(file, 'utf8')) as { normalizeEps: number; cases: Losses2Case[] };

/** The normalisation ε the fixtures were generated with. */
export const FIXTURE_NORMALIZE_EPS = fixture.normalizeEps;

/** The cases of one function, as `[name, case]` pairs for `it.each`. */
export function losses2Cases(fn: string): (readonly [string, Losses2Case])[] {
  return fixture.cases.filter((c) => c.fn === fn).map((c) => [c.name, c] as const);
}

/** Largest |a − b| / max(1, |b|) over two nested number arrays of the same shape. */
export function maxError(actual: unknown, expected: Json): number {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return Number.POSITIVE_INFINITY;
    return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  }
  if (!Array.isArray(expected) || !Array.isArray(actual) || actual.length !== expected.length) {
    return Number.POSITIVE_INFINITY;
  }
  let worst = 0;
  expected.forEach((e, i) => {
    worst = Math.max(worst, maxError(actual[i], e));
  });
  return worst;
}
