import { ValueError } from '@xent/tensor';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamView,
  stateBuffer,
} from './optimizer.js';

/** Options of {@link SGD}; defaults are PyTorch's (lr 1e-3, as in torch ≥ 2). */
export interface SGDOptions extends BaseOptions {
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
}

interface SGDState {
  momentumBuffer: Float32Array | Float64Array | null;
}

/**
 * Stochastic gradient descent with momentum (PyTorch's `torch.optim.SGD`):
 * g ← ∇ + λθ; b ← g at the first step, else μb + (1 − τ)g; d ← g + μb (Nesterov) or b;
 * θ ← θ − lr·d.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...options });
  }

  override get name(): string {
    return 'SGD';
  }

  protected override validate(group: ParamGroup<SGDOptions>): void {
    super.validate(group);
    if (!(group.momentum >= 0)) throw new ValueError(`SGD: momentum must be >= 0, got ${group.momentum}`);
    if (!(group.weightDecay >= 0))
      throw new ValueError(`SGD: weightDecay must be >= 0, got ${group.weightDecay}`);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new ValueError('SGD: nesterov momentum needs momentum > 0 and dampening 0');
    }
  }

  protected override initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected override update(param: ParamView, group: ParamGroup<SGDOptions>, state: SGDState): void {
    const { values, offset, grad, size } = param;
    const { lr, momentum, dampening, nesterov, weightDecay } = group;
    if (momentum === 0) {
      for (let i = 0; i < size; i++) values[offset + i] -= lr * (grad[i] + weightDecay * values[offset + i]);
      return;
    }
    const first = state.momentumBuffer === null;
    const buffer = state.momentumBuffer ?? stateBuffer(values, size);
    state.momentumBuffer = buffer;
    for (let i = 0; i < size; i++) {
      const g = grad[i] + weightDecay * values[offset + i];
      // PyTorch starts the buffer at the first gradient itself, without dampening.
      buffer[i] = first ? g : momentum * buffer[i] + (1 - dampening) * g;
      values[offset + i] -= lr * (nesterov ? g + momentum * buffer[i] : buffer[i]);
    }
  }
}
