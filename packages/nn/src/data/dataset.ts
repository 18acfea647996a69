import type { Tensor } from '@xent/autograd';

/**
 * A map-style dataset (PyTorch's `Dataset`): `length` items, item i from `get(i)`.
 * A dataset may also offer `getBatch(indices)` to build a whole batch at once; the
 * {@link DataLoader} uses it when no custom `collate` is given.
 */
export interface Dataset<T> {
  /** Number of items (PyTorch's `__len__`). */
  readonly length: number;
  /** Item `index`, 0 ≤ index < length (PyTorch's `__getitem__`). */
  get(index: number): T;
  /** Optional fast path: the collated batch of `indices`. */
  getBatch?(indices: readonly number[]): T;
}

/** A sample or a batch of a {@link TensorDataset}: one tensor per source tensor. */
export type TensorSample = Tensor[];
