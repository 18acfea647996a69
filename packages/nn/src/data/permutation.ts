import type { Generator } from '@xent/tensor';

/** A uniformly random permutation of 0..n−1 (Fisher–Yates) drawn from `generator`. */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.integer(0, i + 1);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}
