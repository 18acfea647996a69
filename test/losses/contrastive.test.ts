import { type Tensor, tensor } from '@xent/autograd';
import { infoNCE, NORMALIZE_EPS, ntXent } from '@xent/losses';
import { ShapeError, ValueError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';
import { FIXTURE_NORMALIZE_EPS, type Json, losses2Cases, maxError } from './losses2-fixtures.js';

const leaf = (data: Json) => tensor(data as number[][], { dtype: 'float64', requiresGrad: true });

describe('PyTorch fixtures (fixtures/losses2.json)', () => {
  it('were generated with the same normalisation ε', () => {
    expect(NORMALIZE_EPS).toBe(FIXTURE_NORMALIZE_EPS);
  });

  it.each(losses2Cases('infoNCE'))('%s', (_, c) => {
    const query = leaf(c.inputs.query);
    const keys = leaf(c.inputs.keys);
    const loss = infoNCE(query, keys, c.options);
    expect(maxError(loss.item(), c.value)).toBeLessThan(1e-10);
    loss.backward();
    expect(maxError(query.grad?.toArray(), c.grads.query)).toBeLessThan(1e-10);
    expect(maxError(keys.grad?.toArray(), c.grads.keys)).toBeLessThan(1e-10);
  });

  it.each(losses2Cases('ntXent'))('%s', (_, c) => {
    const z1 = leaf(c.inputs.z1);
    const z2 = leaf(c.inputs.z2);
    const loss = ntXent(z1, z2, c.options);
    expect(maxError(loss.item(), c.value)).toBeLessThan(1e-10);
    loss.backward();
    expect(maxError(z1.grad?.toArray(), c.grads.z1)).toBeLessThan(1e-10);
    expect(maxError(z2.grad?.toArray(), c.grads.z2)).toBeLessThan(1e-10);
  });
});

describe('infoNCE', () => {
  it('matches the closed form on orthonormal embeddings', () => {
    // q = k = I₃, τ = 1: every row has logit 1 on its positive and 0 on two negatives.
    const identity = [
      [1, 0, 0],
      [0, 2, 0], // norms do not matter
      [0, 0, 1],
    ];
    const loss = infoNCE(tensor(identity, { dtype: 'float64' }), tensor(identity, { dtype: 'float64' }), {
      temperature: 1,
    });
    expect(loss.item()).toBeCloseTo(-Math.log(Math.E / (Math.E + 2)), 14);
  });

  it('counts extra keys as negatives of every query', () => {
    const q = [[1, 0]];
    const k = [
      [1, 0],
      [0, 1],
      [-1, 0],
    ];
    const loss = infoNCE(tensor(q, { dtype: 'float64' }), tensor(k, { dtype: 'float64' }), {
      temperature: 0.5,
    });
    // logits 2, 0, −2 over τ = 0.5
    expect(loss.item()).toBeCloseTo(-2 + Math.log(Math.exp(2) + 1 + Math.exp(-2)), 14);
  });

  it('symmetric is the mean of both directions', () => {
    const q = randomInput([4, 3], { seed: 3 });
    const k = randomInput([4, 3], { seed: 4 });
    const forward = infoNCE(q, k, { temperature: 0.3 }).item();
    const backward = infoNCE(k, q, { temperature: 0.3 }).item();
    expect(infoNCE(q, k, { temperature: 0.3, symmetric: true }).item()).toBeCloseTo(
      (forward + backward) / 2,
      14,
    );
  });

  it('passes gradcheck and gradgradcheck (plain, symmetric, extra negatives, non-contiguous)', () => {
    const q = randomInput([3, 4], { seed: 5 });
    checkGradients((a, b) => infoNCE(a, b), [q, randomInput([3, 4], { seed: 6 })]);
    checkGradients(
      (a, b) => infoNCE(a, b, { temperature: 0.5, symmetric: true }),
      [q, randomInput([3, 4], { seed: 7, layout: 'transposed' })],
    );
    checkGradients(
      (a, b) => infoNCE(a, b, { temperature: 0.7 }),
      [q, randomInput([5, 4], { seed: 8, layout: 'sliced' })],
    );
  });

  it('gives a zero-norm embedding zero similarity (documented ε), finite values and gradients', () => {
    const q = tensor(
      [
        [0, 0],
        [1, 1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const k = tensor(
      [
        [1, 0],
        [0, 1],
        [1, -1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const loss = infoNCE(q, k, { temperature: 1 });
    // Row 0 has logits (0, 0, 0): −log(1/3). Row 1: cosines (1/√2, 1/√2, 0), positive is key 1.
    const row1 = -Math.SQRT1_2 + Math.log(2 * Math.exp(Math.SQRT1_2) + 1);
    expect(loss.item()).toBeCloseTo((Math.log(3) + row1) / 2, 14);
    loss.backward();
    for (const g of [q.grad, k.grad]) {
      for (const v of (g as Tensor).data.values()) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('rejects bad input, naming the argument', () => {
    const q = randomInput([3, 4], { seed: 1 });
    expect(() => infoNCE(q, randomInput([2, 4]))).toThrow(ShapeError);
    expect(() => infoNCE(q, randomInput([2, 4]))).toThrow(
      /infoNCE: keys has 2 rows but query has 3; expected M ≥ N/,
    );
    expect(() => infoNCE(q, randomInput([3, 5]))).toThrow(
      /infoNCE: keys has shape \[3, 5\] but query \[3, 4\] needs \[M, 4\]/,
    );
    expect(() => infoNCE(q, randomInput([4, 4]), { symmetric: true })).toThrow(
      /symmetric needs as many keys as queries/,
    );
    expect(() => infoNCE(q, q, { temperature: 0 })).toThrow(ValueError);
    expect(() => infoNCE(q, q, { temperature: -1 })).toThrow(
      /infoNCE: temperature is -1, expected a finite number > 0/,
    );
    expect(() => infoNCE(randomInput([4]), q)).toThrow(/infoNCE: query has shape \[4\], expected \[N, D\]/);
    const bad = tensor([[Number.NaN, 1]], { dtype: 'float64' });
    expect(() => infoNCE(bad, bad)).toThrow(/infoNCE: query contains NaN/);
  });
});

describe('ntXent', () => {
  it('matches the closed form for two orthogonal pairs', () => {
    // z1 = (e1, e2), z2 = (e1, e2): each anchor has logit 1/τ on its positive, 0 on two negatives.
    const views = [
      [1, 0],
      [0, 3],
    ];
    const loss = ntXent(tensor(views, { dtype: 'float64' }), tensor(views, { dtype: 'float64' }), {
      temperature: 0.5,
    });
    expect(loss.item()).toBeCloseTo(-2 + Math.log(Math.exp(2) + 2), 14);
  });

  it('is symmetric in its two views', () => {
    const z1 = randomInput([4, 3], { seed: 11 });
    const z2 = randomInput([4, 3], { seed: 12 });
    expect(ntXent(z1, z2).item()).toBeCloseTo(ntXent(z2, z1).item(), 14);
  });

  it('passes gradcheck and gradgradcheck', () => {
    checkGradients(
      (a, b) => ntXent(a, b),
      [randomInput([3, 4], { seed: 13 }), randomInput([3, 4], { seed: 14, layout: 'transposed' })],
    );
    checkGradients(
      (a, b) => ntXent(a, b, { temperature: 0.2 }),
      [randomInput([2, 3], { seed: 15 }), randomInput([2, 3], { seed: 16 })],
    );
  });

  it('stays finite with a zero-norm embedding', () => {
    const z1 = tensor(
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const z2 = randomInput([2, 3], { seed: 17 });
    const loss = ntXent(z1, z2);
    expect(Number.isFinite(loss.item())).toBe(true);
    loss.backward();
    for (const v of (z1.grad as Tensor).data.values()) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects mismatched views and bad temperatures', () => {
    const z1 = randomInput([3, 4]);
    expect(() => ntXent(z1, randomInput([2, 4]))).toThrow(
      /ntXent: z2 has shape \[2, 4\] but z1 \[3, 4\] needs the same shape/,
    );
    expect(() => ntXent(z1, z1, { temperature: Number.POSITIVE_INFINITY })).toThrow(
      /ntXent: temperature is Infinity/,
    );
  });
});
