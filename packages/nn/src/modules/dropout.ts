import { Tensor } from '@xent/autograd';
import {
  DTypeError,
  formatShape,
  type Generator,
  getDefaultGenerator,
  NDArray,
  ValueError,
} from '@xent/tensor';
import { Module } from './module.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Source of the masks; the default generator (read at each call) when omitted. */
  generator?: Generator;
}

/**
 * In training mode, zeroes each element with probability `p` and scales the survivors by
 * 1 / (1 − p) so the expectation is unchanged (PyTorch's `nn.Dropout`); the identity in
 * eval mode. The mask is a constant factor, so the gradient is masked the same way.
 */
export class Dropout extends Module {
  private readonly generator: Generator | undefined;

  constructor(
    /** Probability in [0, 1] that an element is zeroed in training mode (default 0.5). */
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1], got ${p}`);
    this.generator = options.generator;
  }

  override forward(input: Tensor): Tensor {
    if (!this.training || this.p === 0) return input;
    if (input.dtype === 'int32') {
      // An int32 mask would truncate the 1 / (1 − p) scale (1.43 → 1), as PyTorch refuses too.
      throw new DTypeError(
        `Dropout: input must be float32 or float64, got int32 with shape ${formatShape(input.shape)}`,
      );
    }
    const generator = this.generator ?? getDefaultGenerator();
    const mask = NDArray.empty(input.shape, input.dtype);
    const keep = 1 - this.p;
    const scale = keep > 0 ? 1 / keep : 0;
    const values = mask.data;
    for (let i = 0; i < values.length; i++) values[i] = generator.next() < keep ? scale : 0;
    return input.mul(new Tensor(mask));
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
