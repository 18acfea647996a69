import { tensor, zeros } from '@xent/autograd';
import { Embedding, init, Linear } from '@xent/nn';
import { DTypeError, Generator } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

function stats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length), min, max };
}

const n = 200 * 300;
// A uniform U(−b, b) has std b/√3; a sample of 60 000 has the std within 2% and the mean
// within 4 standard errors.
const uniformStd = (bound: number) => bound / Math.sqrt(3);

describe('init', () => {
  it('zeros, ones, constant', () => {
    const t = zeros([2, 2]);
    expect(init.ones(t).toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(init.constant(t, 3).data.values()).toEqual(new Float32Array([3, 3, 3, 3]));
    expect(init.zeros(t).data.values()).toEqual(new Float32Array(4));
  });

  it('uniform and normal have the requested moments and are seeded', () => {
    const u = init.uniform(zeros([n], { dtype: 'float64' }), -2, 4, { generator: new Generator(1) });
    const s = stats(u.data.values());
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(4);
    expect(Math.abs(s.mean - 1)).toBeLessThan((4 * uniformStd(3)) / Math.sqrt(n));
    const g = init.normal(zeros([n], { dtype: 'float64' }), 1, 0.5, { generator: new Generator(2) });
    const t = stats(g.data.values());
    expect(Math.abs(t.mean - 1)).toBeLessThan((4 * 0.5) / Math.sqrt(n));
    expect(t.std).toBeCloseTo(0.5, 2);
    const again = init.normal(zeros([n], { dtype: 'float64' }), 1, 0.5, { generator: new Generator(2) });
    expect(again.data.values()).toEqual(g.data.values());
  });

  it('xavier and kaiming use PyTorch fans and gains', () => {
    const shape = [200, 300]; // fanOut 200, fanIn 300
    const xu = stats(init.xavierUniform(zeros(shape, { dtype: 'float64' }), 2).data.values());
    const xavierBound = 2 * Math.sqrt(6 / 500);
    expect(xu.max).toBeLessThanOrEqual(xavierBound);
    expect(xu.std / uniformStd(xavierBound)).toBeCloseTo(1, 1);
    const xn = stats(init.xavierNormal(zeros(shape, { dtype: 'float64' })).data.values());
    expect(xn.std / Math.sqrt(2 / 500)).toBeCloseTo(1, 1);
    const ku = stats(
      init.kaimingUniform(zeros(shape, { dtype: 'float64' }), { nonlinearity: 'relu' }).data.values(),
    );
    const kaimingBound = Math.sqrt(2) * Math.sqrt(3 / 300);
    expect(ku.max).toBeLessThanOrEqual(kaimingBound);
    expect(ku.std / uniformStd(kaimingBound)).toBeCloseTo(1, 1);
    const kn = stats(
      init.kaimingNormal(zeros(shape, { dtype: 'float64' }), { mode: 'fanOut' }).data.values(),
    );
    expect(kn.std / (Math.SQRT2 / Math.sqrt(200))).toBeCloseTo(1, 1);
    expect(init.calculateFans(zeros([8, 4, 3, 3]))).toEqual([36, 72]);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(() => init.xavierUniform(zeros([3]))).toThrow(/at least 2 dimensions, got 1/);
    // Random values stored into int32 would be truncated to (mostly) 0: refused, as in PyTorch.
    const ints = zeros([4, 4], { dtype: 'int32' });
    expect(() => init.uniform(ints, -5, 5)).toThrow(
      new DTypeError(
        'uniform: expected a float32 or float64 tensor, got int32 (random values would be truncated toward zero)',
      ),
    );
    for (const [name, fn] of [
      ['normal', () => init.normal(ints)],
      ['xavierUniform', () => init.xavierUniform(ints)],
      ['xavierNormal', () => init.xavierNormal(ints)],
      ['kaimingUniform', () => init.kaimingUniform(ints)],
      ['kaimingNormal', () => init.kaimingNormal(ints)],
    ] as const) {
      expect(fn).toThrow(new RegExp(`^${name}: expected a float32 or float64 tensor, got int32`));
    }
    expect(init.constant(ints, 3).toArray()).toEqual([...new Array(4)].map(() => [3, 3, 3, 3]));
  });

  it('Linear defaults to PyTorch: weight and bias in U(−1/√in, 1/√in)', () => {
    const linear = new Linear(400, 300, { dtype: 'float64', generator: new Generator(3) });
    const bound = 1 / Math.sqrt(400);
    const w = stats(linear.weight.data.values());
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.std / uniformStd(bound)).toBeCloseTo(1, 1);
    const b = stats((linear.bias ?? tensor([0])).data.values());
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    // Same generator seed, same weights.
    const twin = new Linear(400, 300, { dtype: 'float64', generator: new Generator(3) });
    expect(twin.weight.data.values()).toEqual(linear.weight.data.values());
  });

  it('Embedding defaults to N(0, 1)', () => {
    const embedding = new Embedding(300, 200, { dtype: 'float64', generator: new Generator(4) });
    const s = stats(embedding.weight.data.values());
    expect(Math.abs(s.mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(s.std).toBeCloseTo(1, 1);
  });
});
