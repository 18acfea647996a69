import { ValueError } from '@xent/tensor';
import { checkFinite, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine from the base lr down to `etaMin`. */
  tMax: number;
  /** Lowest lr (default 0). */
  etaMin?: number;
}

/**
 * lr = etaMin + (base − etaMin)(1 + cos(π · epoch / tMax)) / 2 (PyTorch's
 * `CosineAnnealingLR`, without restarts). Past `tMax` the cosine goes on, back up
 * towards the base lr, as PyTorch's does.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Epochs from the base lr down to `etaMin` (half a cosine period). */
  readonly tMax: number;
  /** The lr reached at epoch `tMax`. */
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    if (!(options.tMax > 0)) throw new ValueError(`CosineAnnealingLR: tMax must be > 0, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    checkFinite('CosineAnnealingLR', 'etaMin', this.etaMin, 0, true);
    this.start();
  }

  protected override lrAt(epoch: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
