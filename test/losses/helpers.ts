/** Inputs shared by the loss tests. */
import { Tensor } from '@xent/autograd';
import { add, mul, sigmoid } from '@xent/tensor';
import { randomInput } from '../helpers/gradients.js';

/** A float64 leaf with values in (low, high): low + (high − low)·σ(normal samples). */
export function randomProbabilities(shape: number[], seed: number, low = 0.1, high = 0.9): Tensor {
  const normal = randomInput(shape, { seed, requiresGrad: false }).data;
  return new Tensor(add(mul(sigmoid(normal), high - low), low), { requiresGrad: true });
}

/** A float64 leaf whose rows (last axis) are probability distributions with no tiny entries. */
export function randomDistributions(shape: number[], seed: number): Tensor {
  const data = randomProbabilities(shape, seed, 0.2, 1).data.clone();
  const values = data.data as Float64Array;
  const width = shape[shape.length - 1];
  for (let row = 0; row < values.length; row += width) {
    let total = 0;
    for (let c = 0; c < width; c++) total += values[row + c];
    for (let c = 0; c < width; c++) values[row + c] /= total;
  }
  return new Tensor(data, { requiresGrad: true });
}

/** Every combination of the given option values: `{ a: [1, 2], b: [x] }` → `[{a: 1, b: x}, {a: 2, b: x}]`. */
export function combinations<T extends Record<string, readonly unknown[]>>(
  choices: T,
): { [K in keyof T]: T[K][number] }[] {
  let result: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(choices)) {
    result = result.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  }
  return result as { [K in keyof T]: T[K][number] }[];
}

/** A short label of an options object for test names. */
export function label(options: Record<string, unknown>): string {
  return (
    Object.entries(options)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? 'array' : String(v)}`)
      .join(' ') || 'defaults'
  );
}
