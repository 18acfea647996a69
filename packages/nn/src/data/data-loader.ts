import { type Generator, ValueError } from '@xent/tensor';
import { defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { RandomSampler, type Sampler, SequentialSampler } from './sampler.js';

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** A new random order every pass (default false). Exclusive with `sampler`. */
  shuffle?: boolean;
  /** Which indices to visit, in which order (default sequential, or random with `shuffle`). */
  sampler?: Sampler;
  /** Source of the shuffling; the default generator (read at each pass) when omitted. */
  generator?: Generator;
  /** Drop the last batch if it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /**
   * Builds a batch from a list of items. Default: the dataset's `getBatch` if it has one,
   * else {@link defaultCollate} (stack each field).
   */
  collate?: (samples: T[]) => B;
}

/**
 * Batches of a dataset (PyTorch's `DataLoader`, single process): iterate it with
 * `for (const [x, y] of loader)`. Each `for..of` is one epoch; with `shuffle` (or a random
 * sampler) each epoch draws a new order from the generator, so the same seed gives the
 * same batches epoch after epoch.
 */
export class DataLoader<T, B = T> implements Iterable<B> {
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether a short last batch is dropped. */
  readonly dropLast: boolean;
  /** The index order. */
  readonly sampler: Sampler;
  private readonly collate: (indices: number[]) => B;

  constructor(
    /** The dataset the batches are drawn from. */
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${this.batchSize}`);
    if (options.sampler && options.shuffle)
      throw new ValueError('DataLoader: sampler and shuffle are mutually exclusive');
    this.dropLast = options.dropLast ?? false;
    this.sampler =
      options.sampler ??
      (options.shuffle
        ? new RandomSampler(dataset.length, { generator: options.generator })
        : new SequentialSampler(dataset.length));
    const { collate } = options;
    if (collate) this.collate = (indices) => collate(indices.map((i) => dataset.get(i)));
    else if (dataset.getBatch) {
      const getBatch = dataset.getBatch.bind(dataset);
      this.collate = (indices) => getBatch(indices) as unknown as B;
    } else this.collate = (indices) => defaultCollate(indices.map((i) => dataset.get(i))) as unknown as B;
  }

  /** Batches per epoch. */
  get length(): number {
    const full = Math.floor(this.sampler.length / this.batchSize);
    return this.dropLast || this.sampler.length % this.batchSize === 0 ? full : full + 1;
  }

  /**
   * One epoch: the sampler's indices in chunks of `batchSize` (the short last chunk kept
   * unless `dropLast`), each collated into a batch. Throws if the sampler yields an index
   * outside the dataset.
   */
  *[Symbol.iterator](): Iterator<B> {
    let indices: number[] = [];
    for (const index of this.sampler) {
      if (!(Number.isInteger(index) && index >= 0 && index < this.dataset.length))
        throw new ValueError(
          `DataLoader: the sampler gave index ${index} for a dataset of length ${this.dataset.length}`,
        );
      indices.push(index);
      if (indices.length === this.batchSize) {
        yield this.collate(indices);
        indices = [];
      }
    }
    if (indices.length > 0 && !this.dropLast) yield this.collate(indices);
  }
}
