/**
 * Gradients where finite differences cannot decide: kinks, ties, zeros of a power and
 * zero-size dimensions. Each test states the convention (PyTorch's unless noted) and checks
 * the exact numbers in float64, so a float32 constant slipping into a backward shows up.
 */
import {
  concat,
  grad,
  linear,
  logSoftmax,
  matmul,
  norm,
  pow,
  softmax,
  type Tensor,
  tensor,
  where,
} from '@xent/autograd';
import { zeros } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';

const f64 = (values: number[] | number[][]) => tensor(values, { dtype: 'float64', requiresGrad: true });
const empty = (shape: number[]) => tensor(zeros(shape, { dtype: 'float64' }), { requiresGrad: true });
const gradientOf = (f: (x: Tensor) => Tensor, x: Tensor) => grad(f(x).sum(), x)[0].toArray();

describe('kinks', () => {
  it('relu has gradient 0 at 0; leakyRelu has the slope there (exactly, in float64)', () => {
    expect(gradientOf((x) => x.relu(), f64([-1, 0, 2]))).toEqual([0, 0, 1]);
    expect(gradientOf((x) => x.leakyRelu(0.01), f64([-1, 0, 2]))).toEqual([0.01, 0.01, 1]);
    expect(gradientOf((x) => x.leakyRelu(0.3), f64([-1, 0]))).toEqual([0.3, 0.3]);
  });

  it('abs has gradient 0 at 0, clamp 1 on its bounds, norm 0 at the zero vector', () => {
    expect(gradientOf((x) => x.abs(), f64([-2, 0, 3]))).toEqual([-1, 0, 1]);
    expect(gradientOf((x) => x.clamp(0, 1), f64([-0.5, 0, 1, 1.5]))).toEqual([0, 1, 1, 0]);
    expect(
      gradientOf(
        (x) => norm(x, -1),
        f64([
          [0, 0],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [0, 0],
      [0.6, 0.8],
    ]);
  });
});

describe('ties', () => {
  it('max and min split the gradient equally between tied extremes, exactly in float64', () => {
    expect(
      gradientOf(
        (x) => x.max(),
        f64([
          [5, 5],
          [5, 1],
        ]),
      ),
    ).toEqual([
      [1 / 3, 1 / 3],
      [1 / 3, 0],
    ]);
    expect(
      gradientOf(
        (x) => x.min(0),
        f64([
          [1, 2],
          [1, 3],
        ]),
      ),
    ).toEqual([
      [0.5, 1],
      [0.5, 0],
    ]);
    expect(
      gradientOf(
        (x) => x.max(1, true),
        f64([
          [1, 5],
          [5, 5],
        ]),
      ),
    ).toEqual([
      [0, 1],
      [0.5, 0.5],
    ]);
  });

  it('reductions over a broadcast view: copies tie, and their shares add back to 1', () => {
    // max over 4 stride-0 copies of each x: a 4-way tie per row, ¼ each, summed by expand's backward.
    const x = f64([[1], [-2], [3]]);
    expect(gradientOf((t) => t.expand([3, 4]).max(1), x)).toEqual([[1], [1], [1]]);
    expect(gradientOf((t) => t.expand([2, 3, 4]).min([0, 2]), x)).toEqual([[1], [1], [1]]);
    expect(gradientOf((t) => t.expand([3, 4]).sum(0), x)).toEqual([[4], [4], [4]]);
    // The copies move together under finite differences, so gradcheck applies despite the ties.
    checkGradients(
      (t) =>
        t
          .expand([2, 3, 4])
          .max(-1)
          .mul(t.expand([2, 3, 4]).logsumexp([0, 2])),
      [randomInput([3, 1], { seed: 5 })],
    );
  });

  it('maximum and minimum give half to each side of a tie', () => {
    const a = f64([1, 2]);
    const b = f64([1, 1]);
    const [ga, gb] = grad(a.maximum(b).sum(), [a, b]);
    expect([ga.toArray(), gb.toArray()]).toEqual([
      [0.5, 1],
      [0.5, 0],
    ]);
  });
});

describe('powers at zero', () => {
  it('x ** 0 has gradient 0 everywhere, 0 included (not 0 · ∞ = NaN)', () => {
    expect(gradientOf((x) => pow(x, 0), f64([0, 2]))).toEqual([0, 0]);
    const exponent = tensor([0, 2, 0], { dtype: 'float64' });
    expect(gradientOf((x) => pow(x, exponent), f64([0, 0, 3]))).toEqual([0, 0, 0]);
    // Away from zero exponents the rule is the usual b·xᵇ⁻¹, and stays twice differentiable.
    checkGradients(
      (x, e) => pow(x, e),
      [
        randomInput([4], { seed: 3, minAbs: 0.3, positive: true }),
        randomInput([4], { seed: 4, minAbs: 0.2 }),
      ],
    );
  });

  it("the exponent's gradient is 0 where the base is 0", () => {
    const base = f64([0, 2]);
    const exponent = f64([2, 3]);
    const [, gradExponent] = grad(pow(base, exponent).sum(), [base, exponent]);
    expect(gradExponent.toArray()).toEqual([0, 8 * Math.log(2)]);
  });
});

describe('zero-size dimensions give zero-size or zero gradients', () => {
  it('matmul with an empty inner or outer dimension', () => {
    const a = empty([2, 0]);
    const b = empty([0, 3]);
    const [ga, gb] = grad(matmul(a, b).sum(), [a, b]);
    expect([ga.shape, gb.shape]).toEqual([
      [2, 0],
      [0, 3],
    ]);
    const rows = empty([0, 2]);
    const weight = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const bias = f64([1, 2, 3]);
    const [gx, gw, gBias] = grad(linear(rows, weight, bias).sum(), [rows, weight, bias]);
    expect(gx.shape).toEqual([0, 2]);
    expect(gw.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(gBias.toArray()).toEqual([0, 0, 0]);
  });

  it('reductions, softmax, concat and where over empty axes', () => {
    const x = empty([0, 3]);
    expect(grad(x.sum(0).sum(), x)[0].shape).toEqual([0, 3]);
    expect(grad(softmax(x).sum(), x)[0].shape).toEqual([0, 3]);
    const noClasses = empty([2, 0]);
    expect(grad(logSoftmax(noClasses).sum(), noClasses)[0].shape).toEqual([2, 0]);
    const full = f64([[1, 2, 3]]);
    const [gEmpty, gFull] = grad(concat([x, full]).sum(), [x, full]);
    expect([gEmpty.shape, gFull.toArray()]).toEqual([[0, 3], [[1, 1, 1]]]);
    const row = f64([1, 2, 3]);
    expect(grad(where(zeros([0, 3], { dtype: 'int32' }), row, 0).sum(), row)[0].toArray()).toEqual([0, 0, 0]);
  });
});

describe('transpose of a 0-d or 1-d tensor is the tensor itself, but checks explicit axes', () => {
  it('returns the input, and throws for an axis that does not exist', () => {
    const v = f64([1, 2]);
    expect(v.transpose()).toBe(v);
    expect(v.transpose(0, -1)).toBe(v);
    expect(() => v.transpose(0, 2)).toThrow('transpose: axis 2 is out of range for an array of 1 dimensions');
  });
});

describe('linear checks its shapes before broadcasting can hide a mistake', () => {
  it('names the argument, the shape given and the shape expected', () => {
    const input = f64([[1, 2]]);
    const weight = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    // A [1] bias would broadcast in the forward and get a [3] gradient in the backward.
    expect(() => linear(input, weight, f64([1]))).toThrow(
      'linear: bias has shape [1] but weight [3, 2] needs [3]',
    );
    expect(() => linear(input, weight, f64([[1, 2, 3]]))).toThrow(
      'linear: bias has shape [1, 3] but weight [3, 2] needs [3]',
    );
    expect(() => linear(input, f64([1, 2]))).toThrow('linear: weight has shape [2]; expected [out, in]');
    expect(() => linear(f64([[1, 2, 3]]), weight)).toThrow(
      'linear: input has shape [1, 3] but weight [3, 2] needs [..., 2]',
    );
  });
});
