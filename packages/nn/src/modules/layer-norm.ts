import type { Tensor } from '@xent/autograd';
import { type DType, formatShape, ones, ShapeError, ValueError, zeros } from '@xent/tensor';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5, PyTorch's). */
  eps?: number;
  /** Learn `weight` (init 1) and `bias` (init 0) of the normalised shape (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * (x − mean) / √(var + eps) · weight + bias over the last `normalizedShape.length` axes
 * (PyTorch's `nn.LayerNorm`; var is the biased variance, as in PyTorch).
 */
export class LayerNorm extends Module {
  /** The trailing shape normalised over. */
  readonly normalizedShape: number[];
  /** See {@link LayerNormOptions.eps}. */
  readonly eps: number;
  /** Scale, init 1; null without `elementwiseAffine`. */
  readonly weight: Parameter | null;
  /** Shift, init 0; null without `elementwiseAffine`. */
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (
      this.normalizedShape.length === 0 ||
      !this.normalizedShape.every((d) => Number.isInteger(d) && d > 0)
    ) {
      throw new ShapeError(
        `LayerNorm: normalizedShape ${formatShape(this.normalizedShape)} must be one or more positive integers`,
      );
    }
    this.eps = options.eps ?? 1e-5;
    if (!(this.eps >= 0 && Number.isFinite(this.eps)))
      throw new ValueError(`LayerNorm: eps must be a finite number >= 0, got ${this.eps}`);
    const dtype = options.dtype ?? 'float32';
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = affine ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  override forward(input: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const trailing = input.shape.slice(input.ndim - k);
    if (input.ndim < k || trailing.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(
        `LayerNorm: input has shape ${formatShape(input.shape)} but its last dimensions must be ${formatShape(this.normalizedShape)}`,
      );
    }
    const axes = Array.from({ length: k }, (_, i) => input.ndim - k + i);
    const centred = input.sub(input.mean(axes, true));
    const variance = centred.mul(centred).mean(axes, true);
    const normalised = centred.div(variance.add(this.eps).sqrt());
    const scaled = this.weight ? normalised.mul(this.weight) : normalised;
    return this.bias ? scaled.add(this.bias) : scaled;
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
