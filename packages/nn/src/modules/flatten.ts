import type { Tensor } from '@xent/autograd';
import { formatShape, normalizeAxis, ValueError } from '@xent/tensor';
import { Module } from './module.js';

/**
 * Merges axes `startDim..endDim` into one (PyTorch's `nn.Flatten`, defaults 1 and −1, so a
 * batch `[N, C, H, W]` becomes `[N, C·H·W]`).
 */
export class Flatten extends Module {
  constructor(
    /** First axis merged (default 1, keeping the batch axis); negative counts from the end. */
    readonly startDim = 1,
    /** Last axis merged, inclusive (default −1, the last). */
    readonly endDim = -1,
  ) {
    super();
  }

  override forward(input: Tensor): Tensor {
    const shape = input.shape;
    const start = normalizeAxis('Flatten', this.startDim, shape.length);
    const end = normalizeAxis('Flatten', this.endDim, shape.length);
    if (start > end) {
      throw new ValueError(
        `Flatten: startDim ${this.startDim} (axis ${start}) comes after endDim ${this.endDim} (axis ${end}) for an input of shape ${formatShape(shape)}; expected startDim <= endDim`,
      );
    }
    const merged = shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
    return input.reshape([...shape.slice(0, start), merged, ...shape.slice(end + 1)]);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
