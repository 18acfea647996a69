import { checkFinite, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative decay per epoch. */
  gamma: number;
}

/** lr = base · γ^epoch (PyTorch's `ExponentialLR`). */
export class ExponentialLR extends LRScheduler {
  /** The factor γ the lr is multiplied by each epoch. */
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    super(optimizer);
    // NaN, undefined or a negative γ would silently write NaN or negative lrs.
    checkFinite('ExponentialLR', 'gamma', options.gamma, 0);
    this.gamma = options.gamma;
    this.start();
  }

  protected override lrAt(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** epoch;
  }
}
