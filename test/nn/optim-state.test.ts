/**
 * Optimizer checkpoints: stateDict() then loadStateDict() into a fresh optimizer over copies of
 * the parameters resumes training exactly (bit for bit, every optimizer and option that keeps
 * state), copies both ways, restores the group options, and refuses a state that does not fit.
 */
import { tensor } from '@xent/autograd';
import { Adagrad, Adam, AdamW, type OptimizerStateDict, Parameter, RMSprop, SGD, StepLR } from '@xent/nn';
import { NDArray, ShapeError, ValueError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

type AnyOptimizer = {
  step(): void;
  stateDict(): OptimizerStateDict;
  loadStateDict(sd: OptimizerStateDict): void;
  paramGroups: { lr: number }[];
};

const makers: Array<[string, (params: Parameter[]) => AnyOptimizer]> = [
  [
    'SGD momentum, Nesterov',
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  ],
  ['SGD momentum, dampening', (p) => new SGD(p, { lr: 0.1, momentum: 0.5, dampening: 0.3 })],
  ['Adam', (p) => new Adam(p, { lr: 0.05, weightDecay: 0.01 })],
  ['Adam amsgrad', (p) => new Adam(p, { lr: 0.05, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05, weightDecay: 0.1 })],
  ['RMSprop centered, momentum', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.9 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
];

/** Two float64 parameters, a [2, 3] matrix and a [3] vector. */
function parameters(): Parameter[] {
  return [
    new Parameter(
      tensor(
        [
          [0.5, -1, 2],
          [1.5, 0.25, -0.75],
        ],
        { dtype: 'float64' },
      ),
    ),
    new Parameter(tensor([0.1, -0.2, 0.3], { dtype: 'float64' })),
  ];
}

/** Copies of the parameters' current values, as new leaves. */
function copies(params: Parameter[]): Parameter[] {
  return params.map((p) => new Parameter(tensor(p.data.values(), { dtype: 'float64' }).reshape(p.shape)));
}

/** A step-dependent gradient for each parameter (the same for both optimizers). */
function setGrads(params: Parameter[], step: number): void {
  for (const [i, p] of params.entries()) {
    const values = Array.from(p.data.values(), (v, j) => Math.sin(1 + step * 0.7 + j + 3 * i) + 0.1 * v);
    p.grad = tensor(values, { dtype: 'float64' }).reshape(p.shape);
  }
}

function run(optimizer: AnyOptimizer, params: Parameter[], from: number, steps: number): void {
  for (let step = from; step < from + steps; step++) {
    setGrads(params, step);
    optimizer.step();
  }
}

describe('optimizer stateDict / loadStateDict', () => {
  for (const [name, make] of makers) {
    it(`${name}: a fresh optimizer loaded from the state continues bit for bit`, () => {
      const params = parameters();
      const original = make(params);
      run(original, params, 0, 3);
      const resumedParams = copies(params);
      const resumed = make(resumedParams);
      resumed.loadStateDict(original.stateDict());
      run(original, params, 3, 4);
      run(resumed, resumedParams, 3, 4);
      for (const [i, p] of params.entries()) expect(resumedParams[i].data.values()).toEqual(p.data.values());
      // Without the state, the same steps give different parameters (the test can fail).
      const coldParams = copies(resumedParams);
      const cold = make(coldParams);
      run(cold, coldParams, 7, 1);
      run(resumed, resumedParams, 7, 1);
      expect(coldParams[0].data.values()).not.toEqual(resumedParams[0].data.values());
    });
  }

  it('copies out and in: neither the saved state nor the optimizer sees later changes of the other', () => {
    const params = parameters();
    const adam = new Adam(params, { lr: 0.05 });
    run(adam, params, 0, 2);
    const saved = adam.stateDict();
    const expAvg = (saved.state[0].expAvg as NDArray).values().slice();
    run(adam, params, 2, 1);
    expect((saved.state[0].expAvg as NDArray).values()).toEqual(expAvg);
    expect(saved.state[0].step).toBe(2);

    const otherParams = copies(params);
    const other = new Adam(otherParams, { lr: 0.05 });
    other.loadStateDict(saved);
    (saved.state[0].expAvg as NDArray).data.fill(1e6);
    expect((other.stateDict().state[0].expAvg as NDArray).values()).toEqual(expAvg);
  });

  it('lays out state by position and groups with their options, like PyTorch', () => {
    const [a, b] = parameters();
    const sgd = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    setGrads([a], 0);
    sgd.step(); // only a has a gradient: b has no state yet
    const saved = sgd.stateDict();
    expect(Object.keys(saved.state)).toEqual(['0']);
    expect((saved.state[0].momentumBuffer as NDArray).shape).toEqual([2, 3]);
    expect(saved.paramGroups.map((g) => [g.params, g.lr, g.momentum])).toEqual([
      [[0], 0.1, 0.9],
      [[1], 0.5, 0.9],
    ]);
  });

  it('restores the group options in place, so a scheduler attached to the groups keeps working', () => {
    const params = parameters();
    const source = new Adam(params, { lr: 0.01, betas: [0.8, 0.9] });
    const target = new Adam(copies(params), { lr: 0.5 });
    const scheduler = new StepLR(target, { stepSize: 1, gamma: 0.5 });
    const group = target.paramGroups[0];
    target.loadStateDict(source.stateDict());
    expect(target.paramGroups[0]).toBe(group);
    expect(target.paramGroups[0]).toMatchObject({ lr: 0.01, betas: [0.8, 0.9] });
    scheduler.step();
    expect(target.paramGroups[0].lr).not.toBe(0.01);
  });

  it('refuses a state that does not fit, and changes nothing then', () => {
    const params = parameters();
    const adam = new Adam(params, { lr: 0.05 });
    run(adam, params, 0, 1);
    const good = adam.stateDict();
    const target = new Adam(copies(params), { lr: 0.2 });
    const fresh = (): OptimizerStateDict => adam.stateDict();

    expect(() => new Adam([params[0]], { lr: 0.2 }).loadStateDict(good)).toThrow(
      "Adam.loadStateDict: group 0 has 2 parameters; this optimizer's has 1",
    );
    const twoGroups = new Adam([{ params: [copies(params)[0]] }, { params: [copies(params)[1]] }]);
    expect(() => twoGroups.loadStateDict(good)).toThrow(
      'the state has 1 parameter groups; this optimizer has 2',
    );

    const wrongShape = fresh();
    wrongShape.state[1].expAvg = NDArray.empty([4], 'float64');
    expect(() => target.loadStateDict(wrongShape)).toThrow(ShapeError);
    expect(() => target.loadStateDict(wrongShape)).toThrow(
      "state[1].expAvg has shape [4]; expected the parameter's [3]",
    );

    const extraField = fresh();
    extraField.state[0].velocity = 1;
    expect(() => target.loadStateDict(extraField)).toThrow(
      'state[0] has fields [step, expAvg, expAvgSq, maxExpAvgSq, velocity]; expected [step, expAvg, expAvgSq, maxExpAvgSq]',
    );

    const badStep = fresh();
    badStep.state[0].step = Number.NaN;
    expect(() => target.loadStateDict(badStep)).toThrow('state[0].step is NaN; expected a finite number');

    const missingBuffer = fresh();
    missingBuffer.state[0].expAvg = null;
    expect(() => target.loadStateDict(missingBuffer)).toThrow('state[0].expAvg is null; expected an NDArray');

    const unlisted = fresh();
    unlisted.state[7] = {};
    expect(() => target.loadStateDict(unlisted)).toThrow('state has entries [7] that no group lists');

    const badOption = fresh();
    badOption.paramGroups[0].lr = -1;
    expect(() => target.loadStateDict(badOption)).toThrow(ValueError);

    expect(() => target.loadStateDict({} as OptimizerStateDict)).toThrow(
      'Adam.loadStateDict: expected { state, paramGroups } as stateDict() returns',
    );
    // Nothing above was applied.
    expect(target.paramGroups[0].lr).toBe(0.2);
    expect(Object.keys(target.stateDict().state)).toEqual([]);
  });
});

describe('optimizer step', () => {
  it('refuses a parameter whose data was replaced by a strided view after construction', () => {
    const [matrix] = parameters();
    const sgd = new SGD([matrix], { lr: 0.1 });
    matrix.data = matrix.data.transpose();
    matrix.grad = tensor(
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      { dtype: 'float64' },
    );
    expect(() => sgd.step()).toThrow(
      "SGD: parameters must be contiguous (a parameter's data is now a strided view)",
    );
  });
});
