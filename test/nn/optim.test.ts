import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@xent/autograd';
import {
  Adagrad,
  type AdagradOptions,
  Adam,
  type AdamOptions,
  AdamW,
  clipGradNorm,
  clipGradValue,
  Linear,
  Parameter,
  RMSprop,
  type RMSpropOptions,
  SGD,
  type SGDOptions,
} from '@xent/nn';
import type { NestedArray } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

interface OptimizerCase {
  name: string;
  kind: 'optimizer';
  fn: string;
  options: Record<string, unknown>;
  params: NestedArray[];
  steps: { grads: NestedArray[]; params: NestedArray[] }[];
}
interface ClipCase {
  name: string;
  kind: 'clip';
  fn: 'clipGradNorm' | 'clipGradValue';
  options: { maxNorm?: number; normType?: number | 'inf'; clipValue?: number };
  gradsBefore: NestedArray[];
  gradsAfter: NestedArray[];
  totalNorm: number | null;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/optim.json', import.meta.url), 'utf8')) as {
  cases: (OptimizerCase | ClipCase | { kind: 'schedule' })[];
};
const optimizerCases = fixture.cases.filter((c): c is OptimizerCase => c.kind === 'optimizer');
const clipCases = fixture.cases.filter((c): c is ClipCase => c.kind === 'clip');

type Options = Record<string, unknown>;
const constructors: Record<string, (params: Parameter[], options: Options) => { step(): void }> = {
  SGD: (params, options) => new SGD(params, options as Partial<SGDOptions>),
  Adam: (params, options) => new Adam(params, options as Partial<AdamOptions>),
  AdamW: (params, options) => new AdamW(params, options as Partial<AdamOptions>),
  RMSprop: (params, options) => new RMSprop(params, options as Partial<RMSpropOptions>),
  Adagrad: (params, options) => new Adagrad(params, options as Partial<AdagradOptions>),
};

function flat(value: NestedArray): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value];
}

function maxDifference(actual: Tensor, expected: NestedArray): number {
  const a = actual.data.values();
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  return e.reduce((worst, value, i) => Math.max(worst, Math.abs(a[i] - value)), 0);
}

describe('optimizers match torch.optim trajectories (float64, 10 steps)', () => {
  it('covers every optimizer', () => {
    expect(new Set(optimizerCases.map((c) => c.fn))).toEqual(new Set(Object.keys(constructors)));
  });

  for (const c of optimizerCases) {
    it(c.name, () => {
      const params = c.params.map((p) => new Parameter(tensor(p, { dtype: 'float64' })));
      const optimizer = constructors[c.fn](params, c.options);
      expect(c.steps).toHaveLength(10);
      for (const [s, step] of c.steps.entries()) {
        step.grads.forEach((g, i) => {
          params[i].grad = tensor(g, { dtype: 'float64' });
        });
        optimizer.step();
        step.params.forEach((expected, i) => {
          const difference = maxDifference(params[i], expected);
          if (difference > 1e-10)
            throw new Error(`${c.name}: step ${s + 1}, param ${i}: max |Δ| = ${difference}`);
        });
      }
    });
  }

  it('skips parameters without a gradient and clears gradients with zeroGrad', () => {
    const a = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const b = new Parameter(tensor([3], { dtype: 'float64' }));
    const optimizer = new SGD([a, b], { lr: 0.5 });
    a.grad = tensor([1, -1], { dtype: 'float64' });
    optimizer.step();
    expect(a.toArray()).toEqual([0.5, 2.5]);
    expect(b.toArray()).toEqual([3]);
    optimizer.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('supports parameter groups with their own options', () => {
    const a = new Parameter(tensor([1], { dtype: 'float64' }));
    const b = new Parameter(tensor([1], { dtype: 'float64' }));
    const optimizer = new SGD([{ params: [a] }, { params: [b], lr: 0.25 }], { lr: 0.5 });
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    optimizer.step();
    expect(a.item()).toBe(0.5);
    expect(b.item()).toBe(0.75);
  });

  it('updates in place without recording a graph', () => {
    const p = new Parameter(tensor([1, 2, 3]));
    const storage = p.data.data;
    const optimizer = new Adam([p], { lr: 0.1 });
    p.grad = tensor([1, 1, 1]);
    optimizer.step();
    expect(p.data.data).toBe(storage);
    expect(p.isLeaf).toBe(true);
    expect(p.gradFn).toBeNull();
  });

  it('rejects invalid options, naming them', () => {
    const p = new Parameter(tensor([1]));
    expect(() => new SGD([p], { lr: -1 })).toThrow(/SGD: lr must be >= 0, got -1/);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/nesterov/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/Adam: betas\[0\] must be in \[0, 1\), got 1/);
    expect(() => new AdamW([p], { eps: -1 })).toThrow(/AdamW: eps/);
    expect(() => new RMSprop([], {})).toThrow(/empty parameter list/);
    const q = new Parameter(tensor([1, 2]));
    q.grad = tensor([1]);
    expect(() => new Adagrad([q]).step()).toThrow(
      /Adagrad: gradient of shape \[1\] for a parameter of shape \[2\]/,
    );
  });

  it('names what it was given instead of tensors (a model for model.parameters(), numbers)', () => {
    const model = new Linear(2, 2);
    expect(() => new SGD(model as unknown as Parameter[], { lr: 1 })).toThrow(
      'SGD: expected an iterable of tensors (e.g. model.parameters()) or a list of { params } groups, got an object of class Linear',
    );
    expect(() => new Adam([1, 2] as unknown as Parameter[])).toThrow(
      'Adam: group 0, parameter 0 is number 1; expected a Tensor',
    );
    expect(() => new Adam([{ params: model.parameters() }, {} as { params: Parameter[] }])).toThrow(
      /Adam: expected an iterable of tensors .* got undefined/,
    );
  });

  it('rejects a tensor listed twice, which would be updated twice per step', () => {
    const a = new Parameter(tensor([1]));
    const b = new Parameter(tensor([2]));
    expect(() => new SGD([a, b, a], { lr: 1 })).toThrow(
      'SGD: the tensor at group 0, parameter 2 is already at group 0, parameter 0; each tensor may be listed once (it would be updated twice per step)',
    );
    expect(() => new Adam([{ params: [a] }, { params: [b, a], lr: 0.1 }])).toThrow(
      /Adam: the tensor at group 1, parameter 1 is already at group 0, parameter 0/,
    );
  });

  it('AdamW defaults to weightDecay 0.01 and Adam to 0', () => {
    const p = new Parameter(tensor([1]));
    expect(new AdamW([p]).defaults.weightDecay).toBe(0.01);
    expect(new Adam([p]).defaults.weightDecay).toBe(0);
  });
});

describe('gradient clipping matches torch.nn.utils', () => {
  for (const c of clipCases) {
    it(c.name, () => {
      const params = c.gradsBefore.map((g) => {
        const p = new Parameter(tensor(g, { dtype: 'float64' }));
        p.grad = tensor(g, { dtype: 'float64' });
        return p;
      });
      if (c.fn === 'clipGradNorm') {
        const total = clipGradNorm(params, c.options.maxNorm ?? 0, c.options.normType);
        expect(Math.abs(total - (c.totalNorm ?? Number.NaN))).toBeLessThan(1e-10);
      } else clipGradValue(params, c.options.clipValue ?? 0);
      c.gradsAfter.forEach((expected, i) => {
        expect(maxDifference(params[i].grad as Tensor, expected)).toBeLessThan(1e-10);
      });
    });
  }

  it('does not scale a gradient twice when two leaves share it', () => {
    const a = new Parameter(tensor([3], { dtype: 'float64' }));
    const b = new Parameter(tensor([4], { dtype: 'float64' }));
    const shared = tensor([3], { dtype: 'float64' });
    a.grad = shared;
    b.grad = shared;
    const total = clipGradNorm([a, b], 1);
    expect(total).toBeCloseTo(Math.sqrt(18), 12);
    expect((a.grad as Tensor).item()).toBeCloseTo(3 / (Math.sqrt(18) + 1e-6), 12);
    expect((b.grad as Tensor).item()).toBeCloseTo(3 / (Math.sqrt(18) + 1e-6), 12);
    expect(shared.item()).toBe(3);
  });
});

describe('Adam with amsgrad (no torch fixture: checked against the formula, float64)', () => {
  it('divides by the running maximum of the second moment', () => {
    // A large gradient then small ones: v falls, its running maximum does not.
    const grads = [
      [3, -2],
      [0.1, 0.2],
      [-0.05, 0.01],
      [0.2, -0.3],
    ];
    const [lr, beta1, beta2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const param = new Parameter(tensor([1, -1], { dtype: 'float64' }));
    const optimizer = new Adam([param], { lr, amsgrad: true });
    const expected = [1, -1];
    const m = [0, 0];
    const v = [0, 0];
    const vMax = [0, 0];
    grads.forEach((g, step) => {
      const t = step + 1;
      for (let i = 0; i < 2; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        vMax[i] = Math.max(vMax[i], v[i]);
        const denominator = Math.sqrt(vMax[i]) / Math.sqrt(1 - beta2 ** t) + eps;
        expected[i] -= ((lr / (1 - beta1 ** t)) * m[i]) / denominator;
      }
      param.grad = tensor(g, { dtype: 'float64' });
      optimizer.step();
      const actual = param.data.values();
      for (let i = 0; i < 2; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-12);
    });
  });
});
