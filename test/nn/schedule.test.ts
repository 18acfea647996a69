import { readFileSync } from 'node:fs';
import { tensor } from '@xent/autograd';
import {
  Adagrad,
  Adam,
  CosineAnnealingLR,
  ExponentialLR,
  LinearWarmup,
  type LRScheduler,
  OneCycleLR,
  Parameter,
  SGD,
  StepLR,
} from '@xent/nn';
import { describe, expect, it } from 'vitest';

interface ScheduleCase {
  name: string;
  kind: 'schedule';
  fn: string;
  baseLr: number;
  options: Record<string, number>;
  torchExtra: Record<string, unknown>;
  lrs: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/optim.json', import.meta.url), 'utf8')) as {
  cases: { kind: string }[];
};
const cases = fixture.cases.filter((c): c is ScheduleCase => c.kind === 'schedule');

function makeScheduler(c: ScheduleCase, optimizer: SGD): LRScheduler {
  const o = c.options;
  switch (c.fn) {
    case 'StepLR':
      return new StepLR(optimizer, { stepSize: o.stepSize, gamma: o.gamma });
    case 'ExponentialLR':
      return new ExponentialLR(optimizer, { gamma: o.gamma });
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, { tMax: o.tMax, etaMin: o.etaMin });
    case 'LinearWarmup':
      return new LinearWarmup(optimizer, o);
    case 'OneCycleLR':
      return new OneCycleLR(optimizer, {
        maxLr: o.maxLr,
        totalSteps: o.totalSteps,
        pctStart: o.pctStart,
        divFactor: o.divFactor,
        finalDivFactor: o.finalDivFactor,
        cycleMomentum: c.torchExtra.cycleMomentum as boolean,
        annealStrategy: c.torchExtra.annealStrategy as 'cos',
      });
    default:
      throw new Error(`unknown schedule ${c.fn}`);
  }
}

describe('lr schedules match torch.optim.lr_scheduler (26 values)', () => {
  it('covers every schedule', () => {
    expect(new Set(cases.map((c) => c.fn))).toEqual(
      new Set(['StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearWarmup', 'OneCycleLR']),
    );
  });

  for (const c of cases) {
    it(c.name, () => {
      const optimizer = new SGD([new Parameter(tensor([0], { dtype: 'float64' }))], { lr: c.baseLr });
      const scheduler = makeScheduler(c, optimizer);
      const lrs = [optimizer.paramGroups[0].lr];
      for (let i = 1; i < c.lrs.length; i++) {
        scheduler.step();
        lrs.push(scheduler.getLastLr()[0]);
      }
      expect(lrs).toHaveLength(26);
      lrs.forEach((lr, i) => {
        if (Math.abs(lr - c.lrs[i]) > 1e-12)
          throw new Error(`${c.name}: lr ${i} is ${lr}, torch ${c.lrs[i]}`);
      });
    });
  }

  it('OneCycleLR cycles Adam beta1 inversely to the lr by default, and throws past totalSteps', () => {
    const optimizer = new Adam([new Parameter(tensor([0]))], { lr: 1 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    expect(optimizer.paramGroups[0].betas[0]).toBeCloseTo(0.95, 12);
    for (let i = 0; i < 2; i++) scheduler.step();
    // Step 2 = pctStart · totalSteps − 1: the peak lr and the lowest momentum.
    expect(optimizer.paramGroups[0].lr).toBeCloseTo(0.1, 12);
    expect(optimizer.paramGroups[0].betas[0]).toBeCloseTo(0.85, 12);
    for (let i = 2; i < 10; i++) scheduler.step();
    expect(() => scheduler.step()).toThrow(/stepped 11 times but totalSteps is 10/);
  });

  it('scales every parameter group from its own base lr', () => {
    const a = new Parameter(tensor([0]));
    const b = new Parameter(tensor([0]));
    const optimizer = new SGD([
      { params: [a], lr: 1 },
      { params: [b], lr: 0.1 },
    ]);
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([0.5, 0.05]);
  });

  it('rejects options that would write NaN or negative lrs, and leaves the optimizer untouched', () => {
    const optimizer = new SGD([new Parameter(tensor([0]))], { lr: 0.5, momentum: 0.9 });
    const cases: [() => unknown, string][] = [
      [
        () => new ExponentialLR(optimizer, { gamma: Number.NaN }),
        'ExponentialLR: gamma must be a finite number > 0, got NaN',
      ],
      [
        () => new ExponentialLR(optimizer, {} as never),
        'ExponentialLR: gamma must be a finite number > 0, got undefined',
      ],
      [
        () => new StepLR(optimizer, { stepSize: 2, gamma: -0.5 }),
        'StepLR: gamma must be a finite number > 0, got -0.5',
      ],
      [
        () => new CosineAnnealingLR(optimizer, { tMax: 10, etaMin: Number.NaN }),
        'CosineAnnealingLR: etaMin must be a finite number >= 0, got NaN',
      ],
      [
        () => new OneCycleLR(optimizer, { maxLr: Number.NaN, totalSteps: 10 }),
        'OneCycleLR: maxLr must be a finite number > 0, got NaN',
      ],
      [
        () => new OneCycleLR(optimizer, { maxLr: 1, totalSteps: 10, divFactor: 0 }),
        'OneCycleLR: divFactor must be a finite number > 0, got 0',
      ],
      [
        () => new OneCycleLR(optimizer, { maxLr: 1, totalSteps: 1 }),
        'OneCycleLR: totalSteps must be an integer >= 2, got 1',
      ],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(message);
      expect(optimizer.paramGroups[0].lr).toBe(0.5);
      expect(optimizer.paramGroups[0].momentum).toBe(0.9);
    }
    const plain = new Adagrad([new Parameter(tensor([0]))], { lr: 0.5 });
    expect(() => new OneCycleLR(plain, { maxLr: 1, totalSteps: 10 })).toThrow(
      /cycleMomentum needs an optimizer/,
    );
    expect(plain.paramGroups[0].lr).toBe(0.5);
  });
});
