import { type Generator, getDefaultGenerator, ValueError } from '@xent/tensor';
import type { Sampler, SamplerOptions } from './sampler.js';

/** Options of {@link WeightedRandomSampler}. */
export interface WeightedRandomSamplerOptions extends SamplerOptions {
  /** Draw with replacement (default true, as PyTorch). */
  replacement?: boolean;
}

/**
 * `numSamples` indices drawn with probability proportional to `weights` (PyTorch's
 * `WeightedRandomSampler`, i.e. `torch.multinomial`). With replacement (the default) the
 * draws are independent. Without, it draws one index at a time among those not drawn yet,
 * proportionally to their weights, so `numSamples` may not exceed the number of positive
 * weights. Weights need not sum to 1; they must be finite and non-negative, with a
 * positive sum.
 */
export class WeightedRandomSampler implements Sampler {
  /** The weights, as float64. */
  readonly weights: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly replacement: boolean;
  private readonly generator: Generator | undefined;

  constructor(
    weights: ArrayLike<number>,
    readonly length: number,
    options: WeightedRandomSamplerOptions = {},
  ) {
    this.weights = Float64Array.from(weights);
    this.replacement = options.replacement ?? true;
    this.generator = options.generator;
    if (!Number.isInteger(length) || length < 0)
      throw new ValueError(`WeightedRandomSampler: numSamples must be a non-negative integer, got ${length}`);
    let positive = 0;
    this.cumulative = new Float64Array(this.weights.length);
    let total = 0;
    for (const [i, w] of this.weights.entries()) {
      if (!(Number.isFinite(w) && w >= 0))
        throw new ValueError(
          `WeightedRandomSampler: weights must be finite and >= 0, got ${w} at index ${i}`,
        );
      if (w > 0) positive += 1;
      total += w;
      this.cumulative[i] = total;
    }
    if (!(total > 0)) throw new ValueError('WeightedRandomSampler: the weights sum to 0');
    if (!this.replacement && length > positive) {
      throw new ValueError(
        `WeightedRandomSampler: cannot draw ${length} samples without replacement from ${positive} positive weights`,
      );
    }
  }

  /**
   * One pass of `length` indices drawn ∝ `weights` (independent draws, or distinct indices
   * without replacement), from the generator as it is at this call.
   */
  *[Symbol.iterator](): Iterator<number> {
    const generator = this.generator ?? getDefaultGenerator();
    if (this.replacement) {
      for (let i = 0; i < this.length; i++) yield searchCumulative(this.cumulative, generator.next());
      return;
    }
    // Sequential draws without replacement, equivalently the `length` largest keys
    // log(u) / w (Efraimidis–Spirakis): O(n log n) per pass instead of O(n · length).
    const keys: { index: number; key: number }[] = [];
    for (const [index, w] of this.weights.entries()) {
      if (w > 0) keys.push({ index, key: Math.log(1 - generator.next()) / w });
    }
    keys.sort((a, b) => b.key - a.key);
    for (let i = 0; i < this.length; i++) yield keys[i].index;
  }
}

/** The first index whose cumulative weight exceeds u · total (binary search). */
function searchCumulative(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}
