import { ValueError } from '@xent/tensor';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link LinearWarmup}; defaults are PyTorch's `LinearLR`. */
export interface LinearWarmupOptions {
  /** Factor of the base lr at epoch 0 (default 1/3). */
  startFactor?: number;
  /** Factor from `totalIters` on (default 1). */
  endFactor?: number;
  /** Epochs of the linear ramp (default 5). */
  totalIters?: number;
}

/**
 * lr = base · f, f linear from `startFactor` at epoch 0 to `endFactor` at `totalIters`,
 * constant after (PyTorch's `LinearLR`; a warm-up with the defaults).
 */
export class LinearWarmup extends LRScheduler {
  /** Multiplier of the base lr at epoch 0, in (0, 1]. */
  readonly startFactor: number;
  /** Multiplier of the base lr from epoch `totalIters` on, in [0, 1]. */
  readonly endFactor: number;
  /** Epochs over which the multiplier moves linearly from `startFactor` to `endFactor`. */
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearWarmupOptions = {}) {
    super(optimizer);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.startFactor > 0 && this.startFactor <= 1))
      throw new ValueError(`LinearWarmup: startFactor must be in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1))
      throw new ValueError(`LinearWarmup: endFactor must be in [0, 1], got ${this.endFactor}`);
    if (!Number.isInteger(this.totalIters) || this.totalIters < 1)
      throw new ValueError(`LinearWarmup: totalIters must be a positive integer, got ${this.totalIters}`);
    this.start();
  }

  protected override lrAt(epoch: number, baseLr: number): number {
    const progress = Math.min(epoch, this.totalIters) / this.totalIters;
    return baseLr * (this.startFactor + (this.endFactor - this.startFactor) * progress);
  }
}
