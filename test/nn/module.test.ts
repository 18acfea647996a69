import { type Tensor, tensor } from '@xent/autograd';
import {
  Dropout,
  Flatten,
  LayerNorm,
  Linear,
  Module,
  Parameter,
  ReLU,
  Sequential,
  type StateDict,
} from '@xent/nn';
import { Generator, NDArray, ShapeError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

class Block extends Module {
  readonly norm = new LayerNorm(4);
  readonly layers = [new Linear(4, 4, { bias: false }), new Linear(4, 2)];
  readonly scale = new Parameter(tensor([1]));
  readonly dropout = new Dropout(0.5);

  override forward(x: Tensor): Tensor {
    return this.layers[1].forward(this.layers[0].forward(this.norm.forward(x))).mul(this.scale);
  }
}

describe('Module', () => {
  it('names parameters recursively, in declaration order, like PyTorch', () => {
    const model = new Sequential(new Linear(3, 4), new ReLU(), new Block());
    expect(model.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ['0.weight', [4, 3]],
      ['0.bias', [4]],
      ['2.scale', [1]],
      ['2.norm.weight', [4]],
      ['2.norm.bias', [4]],
      ['2.layers.0.weight', [4, 4]],
      ['2.layers.1.weight', [2, 4]],
      ['2.layers.1.bias', [2]],
    ]);
    expect(model.parameters()).toHaveLength(8);
    expect(model.parameters().every((p) => p.requiresGrad && p.isLeaf)).toBe(true);
  });

  it('Sequential refuses a layer that is not a Module when built, not at forward', () => {
    const identity = (x: Tensor) => x;
    expect(() => new Sequential(new Linear(2, 2), identity as unknown as Module)).toThrow(
      'Sequential: layer 1 is a function; expected a Module',
    );
  });

  it('lists a shared parameter once', () => {
    const shared = new Linear(2, 2);
    const model = new Sequential(shared, new ReLU(), shared);
    expect(model.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias']);
  });

  it('train() and eval() reach every descendant', () => {
    const model = new Sequential(new Block(), new Dropout());
    model.eval();
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad clears the gradients that backward filled', () => {
    const model = new Linear(3, 2);
    model
      .forward(tensor([[1, 2, 3]]))
      .sum()
      .backward();
    expect(model.weight.grad?.shape).toEqual([2, 3]);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('round-trips a state dict into a fresh model', () => {
    const source = new Sequential(
      new Linear(3, 4, { generator: new Generator(1) }),
      new ReLU(),
      new Linear(4, 2),
    );
    const target = new Sequential(
      new Linear(3, 4, { generator: new Generator(2) }),
      new ReLU(),
      new Linear(4, 2),
    );
    const x = tensor([[0.5, -1, 2]]);
    expect(target.forward(x).toArray()).not.toEqual(source.forward(x).toArray());
    const result = target.loadStateDict(source.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(target.forward(x).toArray()).toEqual(source.forward(x).toArray());
    // A copy, not the same storage.
    expect(target.parameters()[0].data.data).not.toBe(source.parameters()[0].data.data);
  });

  it('strict loading names the key and both shapes, and loads nothing', () => {
    const model = new Sequential(new Linear(3, 4), new Linear(4, 2));
    const before = model.parameters().map((p) => p.toArray());
    const bad: StateDict = { ...new Sequential(new Linear(3, 4), new Linear(4, 2)).stateDict() };
    bad['1.weight'] = tensor([[1, 2, 3]]);
    expect(() => model.loadStateDict(bad)).toThrow(ShapeError);
    expect(() => model.loadStateDict(bad)).toThrow(
      /'1\.weight': the state dict has shape \[1, 3\], the module \[2, 4\]/,
    );
    expect(model.parameters().map((p) => p.toArray())).toEqual(before);

    const missing = { ...model.stateDict() };
    delete missing['0.bias'];
    expect(() => model.loadStateDict(missing)).toThrow(
      /'0\.bias': missing from the state dict \(module shape \[4\]\)/,
    );
    const extra = { ...model.stateDict(), 'head.weight': tensor([[1]]) };
    expect(() => model.loadStateDict(extra)).toThrow(
      /'head\.weight': unexpected \(state dict shape \[1, 1\]/,
    );
    // Non-strict: reports instead of throwing, still loads the rest.
    expect(model.loadStateDict(missing, { strict: false })).toEqual({
      missingKeys: ['0.bias'],
      unexpectedKeys: [],
    });
    expect(model.loadStateDict(extra, { strict: false }).unexpectedKeys).toEqual(['head.weight']);
  });

  it('loads NDArrays as well as tensors, and names a value that is neither', () => {
    const model = new Linear(2, 1);
    const weight = NDArray.fromStorage(new Float64Array([3, 4]), [1, 2]);
    model.loadStateDict({ weight, bias: tensor([5]) });
    expect(model.weight.toArray()).toEqual([[3, 4]]);
    expect(model.weight.dtype).toBe('float32');
    const before = model.weight.toArray();
    const bad = { weight: [[1, 2]], bias: tensor([0]) } as unknown as StateDict;
    expect(() => model.loadStateDict(bad)).toThrow(
      "loadStateDict: nothing loaded; 'weight': expected a Tensor or an NDArray, got a plain array of 1 elements (wrap it with tensor())",
    );
    expect(() => model.loadStateDict({ ...model.stateDict(), extra: null } as unknown as StateDict)).toThrow(
      "'extra': unexpected (null, not in the module)",
    );
    expect(model.weight.toArray()).toEqual(before);
    expect(model.bias?.toArray()).toEqual([5]);
  });

  it('reads every source before writing: a state dict of swapped views loads as a swap', () => {
    const model = new Sequential(new Linear(2, 2, { bias: false }), new Linear(2, 2, { bias: false }));
    const [first, second] = model.parameters().map((p) => p.toArray());
    const own = model.stateDict();
    model.loadStateDict({ '0.weight': own['1.weight'], '1.weight': own['0.weight'] });
    expect(model.parameters().map((p) => p.toArray())).toEqual([second, first]);
  });

  it('saves and loads registered buffers', () => {
    class WithBuffer extends Module {
      readonly linear = new Linear(2, 2);
      constructor() {
        super();
        this.registerBuffer('runningMean', tensor([0, 0]));
      }
      override forward(x: Tensor): Tensor {
        return this.linear.forward(x);
      }
    }
    const model = new WithBuffer();
    expect(Object.keys(model.stateDict())).toEqual(['linear.weight', 'linear.bias', 'runningMean']);
    expect(model.parameters()).toHaveLength(2);
    const sd = { ...model.stateDict(), runningMean: tensor([3, 4]) };
    model.loadStateDict(sd);
    expect(model.stateDict().runningMean.toArray()).toEqual([3, 4]);
  });

  it('prints a summary with parameter counts', () => {
    const model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Flatten(startDim=1, endDim=-1)',
        '  (1): Linear(inFeatures=784, outFeatures=128, bias=true)  # 100,480 parameters',
        '  (2): ReLU()',
        '  (3): Linear(inFeatures=128, outFeatures=10, bias=true)  # 1,290 parameters',
        ')',
        'Total parameters: 101,770',
      ].join('\n'),
    );
  });
});
