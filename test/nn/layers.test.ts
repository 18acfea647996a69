import { type Tensor, tensor } from '@xent/autograd';
import {
  Dropout,
  Embedding,
  Flatten,
  GELU,
  LayerNorm,
  LeakyReLU,
  Linear,
  type Module,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '@xent/nn';
import { DTypeError, Generator, IndexError, NDArray, ShapeError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';

/**
 * Checks d forward / d(input, parameters): the module's own float64 parameters are passed
 * to gradcheck as inputs, so it perturbs them in place and differentiates with respect to
 * them, while the checked function simply calls `forward`.
 */
function checkModule(module: Module, input: Tensor, secondOrder = true): void {
  const params = module.parameters();
  for (const p of params) {
    const values = p.data.data;
    const seeded = randomInput(p.shape, { seed: p.size + 7, requiresGrad: false }).data.values();
    values.set(seeded, p.data.offset);
  }
  checkGradients((x) => module.forward(x), [input, ...params], { secondOrder });
}

describe('module forwards are differentiable (gradcheck, float64)', () => {
  it('Linear, with and without bias, batched 3-D input', () => {
    for (const bias of [true, false]) {
      checkModule(new Linear(3, 4, { bias, dtype: 'float64' }), randomInput([2, 5, 3]));
    }
  });

  it('LayerNorm over one and two trailing axes', () => {
    checkModule(new LayerNorm(4, { dtype: 'float64' }), randomInput([3, 4]));
    checkModule(new LayerNorm([2, 3], { dtype: 'float64', eps: 1e-3 }), randomInput([2, 2, 3], { seed: 3 }));
  });

  it('Embedding (the weight), with a padding row that gets no gradient', () => {
    const indices = tensor(new Int32Array([0, 3, 1, 3, 2, 0]), { shape: [2, 3] });
    const embedding = new Embedding(4, 3, { dtype: 'float64' });
    checkGradients(() => embedding.forward(indices), [embedding.weight]);
    const padded = new Embedding(4, 3, { dtype: 'float64', paddingIdx: 0 });
    expect(padded.weight.data.select(0, 0).toArray()).toEqual([0, 0, 0]);
    // By design the padding row's gradient is 0 although its values reach the output, so
    // finite differences do not apply to it: check the accumulated gradient directly.
    padded.forward(indices).sum().backward();
    expect(padded.weight.grad?.toArray()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it('GELU, Tanh, Sigmoid, Softmax, LeakyReLU, ReLU, Flatten', () => {
    const smooth: Module[] = [
      new GELU(),
      new Tanh(),
      new Sigmoid(),
      new Softmax(),
      new Softmax(0),
      new Flatten(),
    ];
    for (const module of smooth) checkGradients((x) => module.forward(x), [randomInput([2, 3, 2])]);
    for (const module of [new ReLU(), new LeakyReLU(0.2)]) {
      // Second order too: away from the kink the second derivative is 0 and ∂/∂v is the mask.
      checkGradients((x) => module.forward(x), [randomInput([3, 4], { minAbs: 0.1 })]);
    }
  });

  it('a Sequential MLP end to end', () => {
    const mlp = new Sequential(
      new Linear(4, 5, { dtype: 'float64' }),
      new Tanh(),
      new Linear(5, 3, { dtype: 'float64' }),
    );
    checkModule(mlp, randomInput([2, 4]));
  });
});

describe('module values', () => {
  it('Linear computes x Wᵀ + b', () => {
    const linear = new Linear(2, 3, { dtype: 'float64' });
    linear.weight.data = NDArray.fromStorage(new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    (linear.bias as Tensor).data = NDArray.fromStorage(new Float64Array([0.5, -0.5, 1]), [3]);
    expect(linear.forward(tensor([[1, -1]], { dtype: 'float64' })).toArray()).toEqual([[-0.5, -1.5, 0]]);
    expect(() => linear.forward(tensor([[1, 2, 3]]))).toThrow(
      /Linear: input has shape \[1, 3\] but the last dimension must be inFeatures = 2/,
    );
  });

  it('LayerNorm normalises to mean 0 and variance 1 (biased, with eps)', () => {
    const norm = new LayerNorm(4, { dtype: 'float64', eps: 0 });
    const out = norm.forward(tensor([[1, 2, 3, 4]], { dtype: 'float64' })).toArray() as number[][];
    const sd = Math.sqrt(1.25);
    [-1.5, -0.5, 0.5, 1.5].forEach((c, i) => {
      expect(out[0][i]).toBeCloseTo(c / sd, 12);
    });
    expect(() => norm.forward(tensor([[1, 2, 3]]))).toThrow(/LayerNorm: input has shape \[1, 3\]/);
  });

  it('Embedding returns the chosen rows and rejects bad indices', () => {
    const embedding = new Embedding(3, 2);
    const out = embedding.forward(tensor(new Int32Array([2, 0])));
    expect(out.shape).toEqual([2, 2]);
    expect(out.toArray()).toEqual([
      embedding.weight.data.select(0, 2).toArray(),
      embedding.weight.data.select(0, 0).toArray(),
    ]);
    expect(() => embedding.forward(tensor(new Int32Array([3])))).toThrow(
      /index 3 is out of range for 3 embeddings/,
    );
    expect(() => embedding.forward(tensor([1]))).toThrow(/indices must be int32/);
  });

  it('Dropout is seeded, scales survivors by 1/(1−p), and is the identity in eval', () => {
    const x = tensor(new Float64Array(10_000).fill(1));
    const a = new Dropout(0.3, { generator: new Generator(5) }).forward(x).toArray() as number[];
    const b = new Dropout(0.3, { generator: new Generator(5) }).forward(x).toArray() as number[];
    expect(a).toEqual(b);
    const kept = a.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([1 / 0.7]));
    // 10 000 Bernoulli(0.7) draws: the kept fraction is within 4 standard deviations of 0.7.
    expect(Math.abs(kept.length / 10_000 - 0.7)).toBeLessThan(4 * Math.sqrt((0.7 * 0.3) / 10_000));
    const dropout = new Dropout(0.3).eval();
    expect(dropout.forward(x)).toBe(x);
  });

  it('Dropout refuses int32 input in training mode (the 1 / (1 − p) scale would truncate)', () => {
    const ints = tensor([1, 2, 3], { dtype: 'int32' });
    expect(() => new Dropout(0.3).forward(ints)).toThrow(
      new DTypeError('Dropout: input must be float32 or float64, got int32 with shape [3]'),
    );
    expect(new Dropout(0.3).eval().forward(ints)).toBe(ints);
  });

  it('Dropout masks the gradient with the same mask', () => {
    const x = tensor(new Float64Array(20).fill(2), { requiresGrad: true });
    const out = new Dropout(0.5, { generator: new Generator(1) }).forward(x);
    out.sum().backward();
    expect(x.grad?.toArray()).toEqual((out.toArray() as number[]).map((v) => v / 2));
  });

  it('Flatten merges startDim..endDim', () => {
    const x = randomInput([2, 3, 4, 5], { requiresGrad: false });
    expect(new Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new Flatten(0, 1).forward(x).shape).toEqual([6, 4, 5]);
    expect(new Flatten(-2).forward(x).shape).toEqual([2, 3, 20]);
    // PyTorch refuses start_dim after end_dim rather than returning the input unchanged.
    expect(() => new Flatten(2, 0).forward(x)).toThrow(
      'Flatten: startDim 2 (axis 2) comes after endDim 0 (axis 0) for an input of shape [2, 3, 4, 5]; expected startDim <= endDim',
    );
  });

  it('constructors and forwards name the bad argument and its error class', () => {
    expect(() => new LayerNorm(2.5)).toThrow(
      new ShapeError('LayerNorm: normalizedShape [2.5] must be one or more positive integers'),
    );
    expect(() => new LayerNorm([])).toThrow(/LayerNorm: normalizedShape \[\] must be one or more/);
    expect(() => new LayerNorm(4, { eps: Number.NaN })).toThrow(
      'LayerNorm: eps must be a finite number >= 0, got NaN',
    );
    const embedding = new Embedding(3, 2);
    expect(() => embedding.forward(tensor([[1, 2]]))).toThrow(
      new DTypeError('Embedding: indices must be int32, got float32 with shape [1, 2]'),
    );
    expect(() => embedding.forward(tensor(new Int32Array([0, -1])))).toThrow(
      new IndexError(
        'Embedding: index -1 is out of range for 3 embeddings (expected 0 … 2; at flat position 1)',
      ),
    );
    expect(() => new Linear(2, 1).forward(tensor([1, 2, 3]))).toThrow(ShapeError);
  });
});
