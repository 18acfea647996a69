/**
 * Higher-order gradients through `createGraph`, against closed forms: second derivatives of
 * exp, tanh, sigmoid, log-softmax and a matmul chain, and a Hessian-vector product.
 */
import { grad, type Tensor, tensor } from '@xent/autograd';
import { describe, expect, it } from 'vitest';
import { randomInput } from '../helpers/gradients.js';

const valuesOf = (t: Tensor) => Array.from(t.data.values());

function expectClose(actual: number[], expected: number[], tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    expect(Math.abs(value - expected[i]), `element ${i}: ${value} vs ${expected[i]}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  });
}

/** Elementwise second derivative of an elementwise f: d/dx Σ f'(x). */
function secondDerivative(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  const [first] = grad(f(x).sum(), x, { createGraph: true });
  const [second] = grad(first.sum(), x);
  return valuesOf(second);
}

/** The Hessian of a scalar function, row by row (one backward through the gradient per row). */
function hessian(f: (x: Tensor) => Tensor, x: Tensor): number[][] {
  const [gradient] = grad(f(x), x, { createGraph: true });
  const flat = gradient.reshape([-1]);
  return Array.from({ length: x.size }, (_, i) => {
    const [row] = grad(flat.slice([i, i + 1]).sum(), x, { retainGraph: true });
    return valuesOf(row);
  });
}

describe('second derivatives of elementwise functions', () => {
  const x = () => randomInput([7], { seed: 5, scale: 1.5 });

  it('exp: d²/dx² eˣ = eˣ', () => {
    const input = x();
    expectClose(
      secondDerivative((t) => t.exp(), input),
      valuesOf(input).map((v) => Math.exp(v)),
    );
  });

  it('tanh: d²/dx² tanh = −2 tanh (1 − tanh²)', () => {
    const input = x();
    expectClose(
      secondDerivative((t) => t.tanh(), input),
      valuesOf(input).map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
    );
  });

  it('sigmoid: d²/dx² σ = σ (1 − σ)(1 − 2σ)', () => {
    const input = x();
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(
      secondDerivative((t) => t.sigmoid(), input),
      valuesOf(input).map((v) => sigma(v) * (1 - sigma(v)) * (1 - 2 * sigma(v))),
    );
  });

  it('third derivatives: d³/dx³ eˣ = eˣ and d³/dx³ tanh = −2 (1 − tanh²)(1 − 3 tanh²)', () => {
    const input = x();
    const third = (f: (t: Tensor) => Tensor) => {
      const [first] = grad(f(input).sum(), input, { createGraph: true });
      const [second] = grad(first.sum(), input, { createGraph: true });
      return valuesOf(grad(second.sum(), input)[0]);
    };
    expectClose(
      third((t) => t.exp()),
      valuesOf(input).map((v) => Math.exp(v)),
    );
    expectClose(
      third((t) => t.tanh()),
      valuesOf(input).map((v) => -2 * (1 - Math.tanh(v) ** 2) * (1 - 3 * Math.tanh(v) ** 2)),
    );
  });

  it('backward with createGraph leaves a differentiable .grad', () => {
    const input = x();
    input.exp().sum().backward(undefined, { createGraph: true });
    const first = input.grad;
    if (first === null) throw new Error('expected a gradient');
    expect(first.gradFn).not.toBeNull();
    expectClose(
      valuesOf(grad(first.sum(), input)[0]),
      valuesOf(input).map((v) => Math.exp(v)),
    );
  });
});

describe('Hessians against closed forms', () => {
  it('log-softmax: ∇² log p_k = −(diag p − p pᵀ), for every k', () => {
    const logits = randomInput([4], { seed: 6, scale: 2 });
    const values = valuesOf(logits);
    const top = Math.max(...values);
    const weights = values.map((v) => Math.exp(v - top));
    const total = weights.reduce((a, b) => a + b, 0);
    const p = weights.map((w) => w / total);
    for (let k = 0; k < 4; k++) {
      const rows = hessian(
        (t) =>
          t
            .logSoftmax()
            .slice([k, k + 1])
            .sum(),
        logits,
      );
      rows.forEach((row, i) => {
        expectClose(
          row,
          p.map((pj, j) => -((i === j ? p[i] : 0) - p[i] * pj)),
        );
      });
    }
  });

  it('matmul chain: ∇² ½‖A B x‖² = (AB)ᵀ(AB)', () => {
    const a = randomInput([3, 4], { seed: 7, requiresGrad: false });
    const b = randomInput([4, 5], { seed: 8, requiresGrad: false, layout: 'transposed' });
    const x = randomInput([5], { seed: 9 });
    const rows = hessian((t) => {
      const y = a.matmul(b.matmul(t));
      return y.mul(y).sum().mul(0.5);
    }, x);
    const ab = a.matmul(b);
    const expected = ab.transpose().matmul(ab);
    expectClose(rows.flat(), valuesOf(expected), 1e-12);
  });

  it('matmul chain in the weights: mixed second derivative of sum(tanh(X W₁) W₂)', () => {
    // f = Σ tanh(X W₁) W₂ ⇒ ∂f/∂W₂[j] = Σ_n tanh(X W₁)[n, j] and
    // ∂²f/∂W₁[i, j]∂W₂[j] = Σ_n X[n, i] (1 − tanh²(X W₁)[n, j]).
    const inputs = randomInput([5, 3], { seed: 10, requiresGrad: false });
    const w1 = randomInput([3, 2], { seed: 11 });
    const w2 = randomInput([2, 1], { seed: 12 });
    const [dW2] = grad(inputs.matmul(w1).tanh().matmul(w2).sum(), w2, { createGraph: true });
    const [mixed] = grad(dW2.sum(), w1);
    const hiddenValues = inputs.matmul(w1).tanh().toArray() as number[][];
    const xs = inputs.toArray() as number[][];
    const expected = [0, 1, 2].flatMap((i) =>
      [0, 1].map((j) => xs.reduce((total, row, n) => total + row[i] * (1 - hiddenValues[n][j] ** 2), 0)),
    );
    expectClose(valuesOf(mixed), expected);
  });
});

describe('Hessian-vector product', () => {
  it('equals the explicit Hessian times v for f(x) = (a·x)² + Σ eˣ + x₀ x₁ x₂', () => {
    // f(x) = (a·x)² + Σ exp(x) + x₀ x₁ x₂ ⇒ H = 2 a aᵀ + diag(eˣ) + the x₀x₁x₂ cross terms.
    const a = [0.5, -1, 2, 0.25];
    const xValues = [0.3, -0.7, 1.1, 0.2];
    const v = [1, -2, 0.5, 3];
    const x = tensor(xValues, { dtype: 'float64', requiresGrad: true });
    const aTensor = tensor(a, { dtype: 'float64' });
    const f = (t: Tensor) =>
      t
        .mul(aTensor)
        .sum()
        .pow(2)
        .add(t.exp().sum())
        .add(
          t
            .slice([0, 1])
            .mul(t.slice([1, 2]))
            .mul(t.slice([2, 3]))
            .sum(),
        );
    const [gradient] = grad(f(x), x, { createGraph: true });
    const [hvp] = grad(gradient.mul(tensor(v, { dtype: 'float64' })).sum(), x);

    const [x0, x1, x2] = xValues;
    const H = a.map((ai, i) => a.map((aj, j) => 2 * ai * aj + (i === j ? Math.exp(xValues[i]) : 0)));
    const cross: [number, number, number][] = [
      [0, 1, x2],
      [0, 2, x1],
      [1, 2, x0],
    ];
    for (const [i, j, value] of cross) {
      H[i][j] += value;
      H[j][i] += value;
    }
    const expected = H.map((row) => row.reduce((total, h, j) => total + h * v[j], 0));
    expectClose(valuesOf(hvp), expected);
    // And the explicit Hessian itself, built row by row through the graph.
    expectClose(hessian(f, x).flat(), H.flat());
  });
});
