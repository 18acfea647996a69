import { ValueError } from '@xent/tensor';
import { checkFinite, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link OneCycleLR}; defaults are PyTorch's. */
export interface OneCycleLROptions {
  /** Peak lr. */
  maxLr: number;
  /** Number of `step()` calls the cycle lasts (the last lr is at totalSteps − 1). */
  totalSteps: number;
  /** Fraction of the steps spent rising (default 0.3). */
  pctStart?: number;
  /** Starting lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = starting lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** `'cos'` (default) or `'linear'` interpolation within each phase. */
  annealStrategy?: 'cos' | 'linear';
  /**
   * Cycle momentum inversely to the lr, between `maxMomentum` and `baseMomentum`, in SGD's
   * `momentum` or Adam's `betas[0]` (default true, as in PyTorch: note that this switches
   * momentum on for a plain SGD).
   */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr (default 0.85). */
  baseMomentum?: number;
  /** Momentum at the start and the end (default 0.95). */
  maxMomentum?: number;
}

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`, two phases): from maxLr / divFactor up to
 * maxLr over the first `pctStart · totalSteps − 1` steps, then down to
 * maxLr / (divFactor · finalDivFactor) at step totalSteps − 1. The optimizer's own lr is
 * ignored. Stepping more than `totalSteps` times throws, as in PyTorch.
 */
export class OneCycleLR extends LRScheduler {
  /** Length of the cycle in steps; stepping more than this many times throws, as in PyTorch. */
  readonly totalSteps: number;
  private readonly phases: {
    endStep: number;
    startLr: number;
    endLr: number;
    startMomentum: number;
    endMomentum: number;
  }[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly cycleMomentum: boolean;

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const { maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
    // Checked before the optimizer's lrs are touched, so a bad option leaves them as they were.
    if (!Number.isInteger(totalSteps) || totalSteps < 2)
      throw new ValueError(`OneCycleLR: totalSteps must be an integer >= 2, got ${totalSteps}`);
    if (!(pctStart > 0 && pctStart < 1))
      throw new ValueError(`OneCycleLR: pctStart must be in (0, 1), got ${pctStart}`);
    checkFinite('OneCycleLR', 'maxLr', maxLr, 0);
    checkFinite('OneCycleLR', 'divFactor', divFactor, 0);
    checkFinite('OneCycleLR', 'finalDivFactor', finalDivFactor, 0);
    const cycleMomentum = options.cycleMomentum ?? true;
    if (cycleMomentum) {
      for (const group of optimizer.paramGroups) {
        if (group.momentum === undefined && group.betas === undefined)
          throw new ValueError('OneCycleLR: cycleMomentum needs an optimizer with momentum or betas');
      }
    }
    for (const group of optimizer.paramGroups) group.lr = maxLr / divFactor;
    super(optimizer);
    this.totalSteps = totalSteps;
    const initialLr = maxLr / divFactor;
    const { baseMomentum = 0.85, maxMomentum = 0.95 } = options;
    this.phases = [
      {
        endStep: pctStart * totalSteps - 1,
        startLr: initialLr,
        endLr: maxLr,
        startMomentum: maxMomentum,
        endMomentum: baseMomentum,
      },
      {
        endStep: totalSteps - 1,
        startLr: maxLr,
        endLr: initialLr / finalDivFactor,
        startMomentum: baseMomentum,
        endMomentum: maxMomentum,
      },
    ];
    this.anneal =
      (options.annealStrategy ?? 'cos') === 'cos'
        ? (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
        : (start, end, pct) => (end - start) * pct + start;
    this.cycleMomentum = cycleMomentum;
    this.start();
  }

  protected override lrAt(epoch: number, _baseLr: number, group: number): number {
    if (epoch > this.totalSteps) {
      throw new ValueError(`OneCycleLR: stepped ${epoch} times but totalSteps is ${this.totalSteps}`);
    }
    let startStep = 0;
    for (const [i, phase] of this.phases.entries()) {
      if (epoch <= phase.endStep || i === this.phases.length - 1) {
        const pct = (epoch - startStep) / (phase.endStep - startStep);
        if (this.cycleMomentum)
          this.setMomentum(group, this.anneal(phase.startMomentum, phase.endMomentum, pct));
        return this.anneal(phase.startLr, phase.endLr, pct);
      }
      startStep = phase.endStep;
    }
    return Number.NaN; // unreachable: the last phase always matches
  }

  private setMomentum(index: number, momentum: number): void {
    const group = this.optimizer.paramGroups[index];
    if (group.betas !== undefined) group.betas = [momentum, group.betas[1]];
    else group.momentum = momentum;
  }
}
