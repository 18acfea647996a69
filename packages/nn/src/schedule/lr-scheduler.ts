import { ValueError } from '@xent/tensor';

/**
 * What a scheduler drives: any optimizer (its parameter groups' `lr`, and for
 * {@link OneCycleLR}'s momentum cycling, SGD's `momentum` or Adam's `betas`).
 */
export interface SchedulableOptimizer {
  /** The groups whose options the scheduler rewrites. */
  readonly paramGroups: { lr: number; momentum?: number; betas?: [number, number] }[];
}

/** Throws unless `value` is a finite number above `low` (or at least `low`, when `inclusive`). */
export function checkFinite(op: string, name: string, value: number, low: number, inclusive = false): void {
  const ok = Number.isFinite(value) && (inclusive ? value >= low : value > low);
  if (!ok) {
    throw new ValueError(
      `${op}: ${name} must be a finite number ${inclusive ? '>=' : '>'} ${low}, got ${value}`,
    );
  }
}

/**
 * Base of the learning-rate schedules (PyTorch's `LRScheduler`). Construction sets each
 * group's lr to the schedule's value at epoch 0; each `step()` advances one epoch (or one
 * batch, as you call it) and sets the next. Every schedule is written in closed form,
 * lr(epoch), which equals PyTorch's recursive updates to rounding.
 */
export abstract class LRScheduler {
  /** The lr of each group when the scheduler was created. */
  readonly baseLrs: number[];
  /** Number of `step()` calls so far (PyTorch's `last_epoch`). */
  lastEpoch = 0;

  /** @param optimizer The optimizer whose param groups' `lr` (and momentum, for 1cycle) this schedule sets. */
  constructor(readonly optimizer: SchedulableOptimizer) {
    this.baseLrs = optimizer.paramGroups.map((group) => group.lr);
  }

  /** Subclasses call this at the end of their constructor to set the epoch-0 lrs. */
  protected start(): void {
    this.apply();
  }

  /** The lr of group `group` (base lr `baseLr`) at `epoch`. */
  protected abstract lrAt(epoch: number, baseLr: number, group: number): number;

  /** Advances one epoch and writes the new lrs into the optimizer. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** The lrs currently set, one per group (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }

  private apply(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = this.lrAt(this.lastEpoch, this.baseLrs[i], i);
    });
  }
}
