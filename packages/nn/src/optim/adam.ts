import { ValueError } from '@xent/tensor';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamView,
  stateBuffer,
} from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}; defaults are PyTorch's. */
export interface AdamOptions extends BaseOptions {
  /** Decay rates (β1, β2) of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 0.01). */
  weightDecay: number;
  /** Use the running maximum of the second moment (default false). */
  amsgrad: boolean;
}

interface AdamState {
  step: number;
  expAvg: Float32Array | Float64Array;
  expAvgSq: Float32Array | Float64Array;
  maxExpAvgSq: Float32Array | Float64Array | null;
}

/**
 * Adam (PyTorch's `torch.optim.Adam`): with g = ∇ + λθ,
 * m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g²,
 * θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  override get name(): string {
    return 'Adam';
  }

  /** AdamW decays the weights directly instead of adding λθ to the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...options });
  }

  protected override validate(group: ParamGroup<AdamOptions>): void {
    super.validate(group);
    const [beta1, beta2] = group.betas;
    for (const [name, beta] of [
      ['betas[0]', beta1],
      ['betas[1]', beta2],
    ] as const) {
      if (!(beta >= 0 && beta < 1))
        throw new ValueError(`${this.name}: ${name} must be in [0, 1), got ${beta}`);
    }
    if (!(group.eps >= 0)) throw new ValueError(`${this.name}: eps must be >= 0, got ${group.eps}`);
    if (!(group.weightDecay >= 0))
      throw new ValueError(`${this.name}: weightDecay must be >= 0, got ${group.weightDecay}`);
  }

  protected override initState(param: ParamView, group: ParamGroup<AdamOptions>): AdamState {
    return {
      step: 0,
      expAvg: stateBuffer(param.values, param.size),
      expAvgSq: stateBuffer(param.values, param.size),
      maxExpAvgSq: group.amsgrad ? stateBuffer(param.values, param.size) : null,
    };
  }

  protected override update(param: ParamView, group: ParamGroup<AdamOptions>, state: AdamState): void {
    const { values, offset, grad, size } = param;
    const { lr, eps, weightDecay, amsgrad } = group;
    const [beta1, beta2] = group.betas;
    state.step += 1;
    const stepSize = lr / (1 - beta1 ** state.step);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    const l2 = this.decoupled ? 0 : weightDecay;
    const decay = this.decoupled ? 1 - lr * weightDecay : 1;
    const { expAvg, expAvgSq } = state;
    if (amsgrad && !state.maxExpAvgSq) state.maxExpAvgSq = stateBuffer(values, size);
    const maxExpAvgSq = state.maxExpAvgSq;
    if (decay !== 1) for (let i = 0; i < size; i++) values[offset + i] *= decay;
    const oneMinusBeta1 = 1 - beta1;
    const oneMinusBeta2 = 1 - beta2;
    // 1/√(1 − β2ᵗ) as a multiplier rather than a second division per element: the loop is bound
    // by its sqrt and division (a last-bit difference in float64; timings in bench/NOTES.md).
    const inverseCorrection2 = 1 / correction2Sqrt;
    if (l2 === 0 && maxExpAvgSq === null) {
      // Fast path for the default options: V8 compiles this loop ~1.5× faster than the general one
      // below, whose amsgrad branch alone costs a third of the step (bench/NOTES.md).
      for (let i = 0; i < size; i++) {
        const g = grad[i];
        expAvg[i] = beta1 * expAvg[i] + oneMinusBeta1 * g;
        expAvgSq[i] = beta2 * expAvgSq[i] + oneMinusBeta2 * g * g;
        values[offset + i] -= (stepSize * expAvg[i]) / (Math.sqrt(expAvgSq[i]) * inverseCorrection2 + eps);
      }
      return;
    }
    for (let i = 0; i < size; i++) {
      const p = offset + i;
      const g = grad[i] + l2 * values[p];
      expAvg[i] = beta1 * expAvg[i] + oneMinusBeta1 * g;
      expAvgSq[i] = beta2 * expAvgSq[i] + oneMinusBeta2 * g * g;
      let second = expAvgSq[i];
      if (maxExpAvgSq !== null) {
        if (second > maxExpAvgSq[i]) maxExpAvgSq[i] = second;
        second = maxExpAvgSq[i];
      }
      values[p] -= (stepSize * expAvg[i]) / (Math.sqrt(second) * inverseCorrection2 + eps);
    }
  }
}

/**
 * AdamW (PyTorch's `torch.optim.AdamW`): Adam with decoupled weight decay,
 * θ ← θ(1 − lr·λ) before the Adam step, and λ defaulting to 0.01.
 */
export class AdamW extends Adam {
  override get name(): string {
    return 'AdamW';
  }

  protected override get decoupled(): boolean {
    return true;
  }

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 0.01, ...options });
  }
}
