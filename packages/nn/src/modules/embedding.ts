import { type Tensor, where } from '@xent/autograd';
import {
  type DType,
  DTypeError,
  equal,
  formatShape,
  type Generator,
  IndexError,
  NDArray,
  ValueError,
} from '@xent/tensor';
import { normal } from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** A row that stays zero and receives no gradient (PyTorch's `padding_idx`). */
  paddingIdx?: number;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Source of the initial values; the default generator when omitted. */
  generator?: Generator;
}

/**
 * A lookup table (PyTorch's `nn.Embedding`): int32 indices of any shape `[...]` give
 * `[..., embeddingDim]` rows of `weight` `[numEmbeddings, embeddingDim]`, initialised
 * N(0, 1) as in PyTorch (the `paddingIdx` row, if any, zero). Differentiable in `weight`:
 * the gradient of a row is the sum of the output gradients of every position that chose it.
 */
export class Embedding extends Module {
  /** `[numEmbeddings, embeddingDim]`. */
  readonly weight: Parameter;
  /** The row that gets no gradient, or null. */
  readonly paddingIdx: number | null;

  constructor(
    /** Number of rows of `weight`: valid indices are 0 … numEmbeddings − 1. */
    readonly numEmbeddings: number,
    /** Length of each embedding vector (columns of `weight`). */
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    for (const [name, value] of [
      ['numEmbeddings', numEmbeddings],
      ['embeddingDim', embeddingDim],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new ValueError(`Embedding: ${name} must be a positive integer, got ${value}`);
    }
    let padding = options.paddingIdx ?? null;
    if (padding !== null) {
      if (!Number.isInteger(padding) || padding < -numEmbeddings || padding >= numEmbeddings)
        throw new ValueError(
          `Embedding: paddingIdx must be in [-${numEmbeddings}, ${numEmbeddings}), got ${padding}`,
        );
      if (padding < 0) padding += numEmbeddings;
    }
    this.paddingIdx = padding;
    this.weight = new Parameter(NDArray.empty([numEmbeddings, embeddingDim], options.dtype ?? 'float32'));
    normal(this.weight, 0, 1, { generator: options.generator });
    if (padding !== null) this.weight.data.data.fill(0, padding * embeddingDim, (padding + 1) * embeddingDim);
  }

  override forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') {
      throw new DTypeError(
        `Embedding: indices must be int32, got ${indices.dtype} with shape ${formatShape(indices.shape)}`,
      );
    }
    const flat = indices.data.reshape([indices.size]);
    const values = flat.values();
    for (let i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= this.numEmbeddings)
        throw new IndexError(
          `Embedding: index ${values[i]} is out of range for ${this.numEmbeddings} embeddings (expected 0 … ${this.numEmbeddings - 1}; at flat position ${i})`,
        );
    }
    const rows = this.weight.indexSelect(0, flat);
    const shaped = rows.reshape([...indices.shape, this.embeddingDim]);
    if (this.paddingIdx === null) return shaped;
    // Same values, but positions that chose the padding row take them from a detached copy,
    // so that row never receives a gradient.
    const isPadding = equal(indices.data, this.paddingIdx).unsqueeze(-1);
    return where(isPadding, shaped.detach(), shaped);
  }

  override extraRepr(): string {
    const padding = this.paddingIdx === null ? '' : `, paddingIdx=${this.paddingIdx}`;
    return `${this.numEmbeddings}, ${this.embeddingDim}${padding}`;
  }
}
