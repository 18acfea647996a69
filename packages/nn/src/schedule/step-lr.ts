import { ValueError } from '@xent/tensor';
import { checkFinite, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative decay (default 0.1). */
  gamma?: number;
}

/** lr = base · γ^⌊epoch / stepSize⌋ (PyTorch's `StepLR`). */
export class StepLR extends LRScheduler {
  /** Epochs between two decays. */
  readonly stepSize: number;
  /** The factor γ the lr is multiplied by every `stepSize` epochs. */
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    super(optimizer);
    if (!Number.isInteger(options.stepSize) || options.stepSize < 1)
      throw new ValueError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    checkFinite('StepLR', 'gamma', this.gamma, 0);
    this.start();
  }

  protected override lrAt(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}
