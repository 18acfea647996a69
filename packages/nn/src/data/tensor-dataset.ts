import { Tensor } from '@xent/autograd';
import { formatShape, NDArray, ShapeError } from '@xent/tensor';
import type { Dataset, TensorSample } from './dataset.js';

/**
 * Tensors that share their first dimension, item i being row i of each (PyTorch's
 * `TensorDataset`): `new TensorDataset(images, labels)` gives `[image, label]` items, and
 * batches `[images[batch], labels[batch]]` gathered in one `indexSelect` per tensor.
 */
export class TensorDataset implements Dataset<TensorSample> {
  /** The source tensors. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ShapeError('TensorDataset: needs at least one tensor');
    const first = tensors[0].shape[0];
    for (const [i, t] of tensors.entries()) {
      if (t.ndim === 0 || t.shape[0] !== first) {
        throw new ShapeError(
          `TensorDataset: tensor ${i} has shape ${formatShape(t.shape)} but every tensor needs first dimension ${first} (that of tensor 0)`,
        );
      }
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): TensorSample {
    return this.tensors.map((t) => new Tensor(t.data.select(0, index)));
  }

  getBatch(indices: readonly number[]): TensorSample {
    const list = NDArray.fromStorage(Int32Array.from(indices), [indices.length]);
    return this.tensors.map((t) => t.detach().indexSelect(0, list));
  }
}
