import { ValueError } from '@xent/tensor';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamView,
  stateBuffer,
} from './optimizer.js';

/** Options of {@link Adagrad}; defaults are PyTorch's. */
export interface AdagradOptions extends BaseOptions {
  /** The step t uses lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */
  eps: number;
}

interface AdagradState {
  step: number;
  sum: Float32Array | Float64Array;
}

/**
 * Adagrad (PyTorch's `torch.optim.Adagrad`): with g = ∇ + λθ, s ← s + g²,
 * θ ← θ − lr / (1 + (t − 1)·lrDecay) · g / (√s + eps).
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, {
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      ...options,
    });
  }

  override get name(): string {
    return 'Adagrad';
  }

  protected override validate(group: ParamGroup<AdagradOptions>): void {
    super.validate(group);
    if (!(group.lrDecay >= 0)) throw new ValueError(`Adagrad: lrDecay must be >= 0, got ${group.lrDecay}`);
    if (!(group.initialAccumulatorValue >= 0))
      throw new ValueError(
        `Adagrad: initialAccumulatorValue must be >= 0, got ${group.initialAccumulatorValue}`,
      );
    if (!(group.weightDecay >= 0))
      throw new ValueError(`Adagrad: weightDecay must be >= 0, got ${group.weightDecay}`);
  }

  protected override initState(param: ParamView, group: ParamGroup<AdagradOptions>): AdagradState {
    const sum = stateBuffer(param.values, param.size);
    sum.fill(group.initialAccumulatorValue);
    return { step: 0, sum };
  }

  protected override update(param: ParamView, group: ParamGroup<AdagradOptions>, state: AdagradState): void {
    const { values, offset, grad, size } = param;
    const { lr, lrDecay, weightDecay, eps } = group;
    state.step += 1;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    const { sum } = state;
    for (let i = 0; i < size; i++) {
      const p = offset + i;
      const g = grad[i] + weightDecay * values[p];
      sum[i] += g * g;
      values[p] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  }
}
