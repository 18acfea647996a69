import { ValueError } from '@xent/tensor';
import type { Sampler, SamplerOptions } from './sampler.js';
import { WeightedRandomSampler } from './weighted-random-sampler.js';

/** Options of {@link ClassBalancedSampler}. */
export interface ClassBalancedSamplerOptions extends SamplerOptions {
  /** Indices per pass (default: the number of labels, one epoch's worth). */
  numSamples?: number;
}

/**
 * Rebalanced sampling: draws with replacement so that every class present in `labels` is
 * equally likely at each draw, and items within a class uniformly. This is a
 * {@link WeightedRandomSampler} with weight 1 / (count of the item's class), PyTorch's
 * usual recipe. The model then sees a uniform class prior; correct its outputs with the
 * true priors (e.g. logit adjustment) when predicting on the original distribution.
 */
export class ClassBalancedSampler implements Sampler {
  /** The per-item weights, 1 / n_class. */
  readonly weights: Float64Array;
  private readonly sampler: WeightedRandomSampler;

  constructor(labels: ArrayLike<number>, options: ClassBalancedSamplerOptions = {}) {
    if (labels.length === 0) throw new ValueError('ClassBalancedSampler: labels is empty');
    const counts = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      if (!Number.isInteger(label))
        throw new ValueError(`ClassBalancedSampler: label ${i} is ${label}, expected an integer`);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    this.weights = new Float64Array(labels.length);
    for (let i = 0; i < labels.length; i++) this.weights[i] = 1 / (counts.get(labels[i]) ?? 1);
    this.sampler = new WeightedRandomSampler(this.weights, options.numSamples ?? labels.length, {
      replacement: true,
      generator: options.generator,
    });
  }

  get length(): number {
    return this.sampler.length;
  }

  /** One pass of `length` class-balanced draws with replacement. */
  [Symbol.iterator](): Iterator<number> {
    return this.sampler[Symbol.iterator]();
  }
}
