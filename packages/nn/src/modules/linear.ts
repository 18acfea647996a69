import { linear, type Tensor } from '@xent/autograd';
import { type DType, formatShape, type Generator, NDArray, ShapeError, ValueError } from '@xent/tensor';
import { kaimingUniform, uniform } from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Source of the initial values; the default generator when omitted. */
  generator?: Generator;
}

/**
 * y = x Wᵀ + b (PyTorch's `nn.Linear`): `weight` is `[outFeatures, inFeatures]`, `bias`
 * `[outFeatures]`; `x` is `[..., inFeatures]`. Initialised as PyTorch does: W by
 * `kaimingUniform(a = √5)`, i.e. U(−1/√in, 1/√in), and b from the same U(−1/√in, 1/√in).
 */
export class Linear extends Module {
  /** `[outFeatures, inFeatures]`. */
  readonly weight: Parameter;
  /** `[outFeatures]`, or null without bias. */
  readonly bias: Parameter | null;

  constructor(
    /** Size of the input's last axis. */
    readonly inFeatures: number,
    /** Size of the output's last axis. */
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    for (const [name, value] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new ValueError(`Linear: ${name} must be a positive integer, got ${value}`);
    }
    const dtype = options.dtype ?? 'float32';
    const generator = options.generator;
    this.weight = new Parameter(NDArray.empty([outFeatures, inFeatures], dtype));
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    if (options.bias ?? true) {
      const bound = 1 / Math.sqrt(inFeatures);
      this.bias = new Parameter(NDArray.empty([outFeatures], dtype));
      uniform(this.bias, -bound, bound, { generator });
    } else this.bias = null;
  }

  override forward(input: Tensor): Tensor {
    const last = input.shape[input.ndim - 1];
    if (input.ndim === 0 || last !== this.inFeatures) {
      throw new ShapeError(
        `Linear: input has shape ${formatShape(input.shape)} but the last dimension must be inFeatures = ${this.inFeatures}`,
      );
    }
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
