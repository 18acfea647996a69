import { ValueError } from '@xent/tensor';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamView,
  stateBuffer,
} from './optimizer.js';

/** Options of {@link RMSprop}; defaults are PyTorch's. */
export interface RMSpropOptions extends BaseOptions {
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by the variance estimate v − ḡ² instead of v (default false). */
  centered: boolean;
}

interface RMSpropState {
  squareAvg: Float32Array | Float64Array;
  gradAvg: Float32Array | Float64Array | null;
  momentumBuffer: Float32Array | Float64Array | null;
}

/**
 * RMSprop (PyTorch's `torch.optim.RMSprop`): with g = ∇ + λθ, v ← αv + (1 − α)g²,
 * (centered: ḡ ← αḡ + (1 − α)g and v̂ = v − ḡ²), d = g / (√v̂ + eps);
 * with momentum b ← μb + d and θ ← θ − lr·b, otherwise θ ← θ − lr·d.
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      ...options,
    });
  }

  override get name(): string {
    return 'RMSprop';
  }

  protected override validate(group: ParamGroup<RMSpropOptions>): void {
    super.validate(group);
    if (!(group.alpha >= 0)) throw new ValueError(`RMSprop: alpha must be >= 0, got ${group.alpha}`);
    if (!(group.eps >= 0)) throw new ValueError(`RMSprop: eps must be >= 0, got ${group.eps}`);
    if (!(group.momentum >= 0)) throw new ValueError(`RMSprop: momentum must be >= 0, got ${group.momentum}`);
    if (!(group.weightDecay >= 0))
      throw new ValueError(`RMSprop: weightDecay must be >= 0, got ${group.weightDecay}`);
  }

  protected override initState(param: ParamView): RMSpropState {
    return { squareAvg: stateBuffer(param.values, param.size), gradAvg: null, momentumBuffer: null };
  }

  protected override update(param: ParamView, group: ParamGroup<RMSpropOptions>, state: RMSpropState): void {
    const { values, offset, grad, size } = param;
    const { lr, alpha, eps, weightDecay, momentum, centered } = group;
    const { squareAvg } = state;
    if (centered && !state.gradAvg) state.gradAvg = stateBuffer(values, size);
    if (momentum > 0 && !state.momentumBuffer) state.momentumBuffer = stateBuffer(values, size);
    const { gradAvg, momentumBuffer } = state;
    for (let i = 0; i < size; i++) {
      const p = offset + i;
      const g = grad[i] + weightDecay * values[p];
      squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g * g;
      let variance = squareAvg[i];
      if (centered && gradAvg) {
        gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g;
        variance -= gradAvg[i] * gradAvg[i];
      }
      const direction = g / (Math.sqrt(variance) + eps);
      if (momentum > 0 && momentumBuffer) {
        momentumBuffer[i] = momentum * momentumBuffer[i] + direction;
        values[p] -= lr * momentumBuffer[i];
      } else values[p] -= lr * direction;
    }
  }
}
