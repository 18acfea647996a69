import { type Generator, getDefaultGenerator, ValueError } from '@xent/tensor';
import { randomPermutation } from './permutation.js';

/**
 * Yields dataset indices (PyTorch's `Sampler`). Each iteration is a fresh pass: a random
 * sampler draws new indices from its generator every time it is iterated, so the same
 * seed gives the same sequence of epochs.
 */
export interface Sampler extends Iterable<number> {
  /** Number of indices one pass yields. */
  readonly length: number;
}

/** Options shared by the random samplers. */
export interface SamplerOptions {
  /** Source of randomness; the default generator (read at each pass) when omitted. */
  generator?: Generator;
}

function checkCount(op: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${value}`);
}

/** 0, 1, …, length − 1 in order (PyTorch's `SequentialSampler`). */
export class SequentialSampler implements Sampler {
  constructor(readonly length: number) {
    checkCount('SequentialSampler', 'length', length);
  }

  /** One pass: the indices 0 … length − 1 in increasing order. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions extends SamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Indices per pass (default: the dataset size). Without replacement, more than the size
   * chains several permutations, as PyTorch does. */
  numSamples?: number;
}

/**
 * A random order of 0..size−1 (PyTorch's `RandomSampler`): a permutation per pass, or
 * with `replacement` `numSamples` independent uniform draws.
 */
export class RandomSampler implements Sampler {
  readonly length: number;
  private readonly replacement: boolean;
  private readonly generator: Generator | undefined;

  constructor(
    /** Dataset size: indices are drawn from 0 … size − 1. */
    readonly size: number,
    options: RandomSamplerOptions = {},
  ) {
    checkCount('RandomSampler', 'size', size);
    this.length = options.numSamples ?? size;
    checkCount('RandomSampler', 'numSamples', this.length);
    this.replacement = options.replacement ?? false;
    this.generator = options.generator;
  }

  /**
   * One pass of `length` indices: fresh permutations (chained when `numSamples` exceeds the
   * size), or uniform draws with `replacement`, from the generator as it is at this call.
   */
  *[Symbol.iterator](): Iterator<number> {
    const generator = this.generator ?? getDefaultGenerator();
    if (this.replacement) {
      for (let i = 0; i < this.length; i++) yield generator.integer(0, this.size);
      return;
    }
    let remaining = this.length;
    while (remaining > 0) {
      const order = randomPermutation(this.size, generator);
      const take = Math.min(remaining, this.size);
      for (let i = 0; i < take; i++) yield order[i];
      remaining -= take;
    }
  }
}
