/** gradcheck and gradgradcheck catch wrong gradients and say where. */
import { GradcheckError, gradcheck, gradgradcheck, type Tensor, tensor } from '@xent/autograd';
import { describe, expect, it } from 'vitest';
import { randomInput } from '../helpers/gradients.js';

describe('gradcheck', () => {
  it('passes a right gradient, with several inputs and outputs', () => {
    const a = randomInput([2, 3], { seed: 1 });
    const b = randomInput([3], { seed: 2 });
    expect(gradcheck((x, y) => [x.mul(y), x.exp().sum()], [a, b])).toBe(true);
  });

  it('throws naming the input, the element, the analytic and the numeric value', () => {
    // x · detach(x) has value x² but analytic gradient x: half the true 2x.
    const x = tensor([0.5, 2], { dtype: 'float64', requiresGrad: true });
    const c = tensor([1], { dtype: 'float64' });
    const check = () => gradcheck((constant, t) => t.mul(t.detach()).add(constant.sum()), [c, x]);
    expect(check).toThrow(GradcheckError);
    expect(check).toThrow(/input 1 \(shape \[2\]\) element \[0\]: analytic -?[\d.e-]+ vs numeric -?[\d.e-]+/);
  });

  it('names the worst element, not the first one that fails', () => {
    // Gradient off by 1e-2 relative at element 0 and by 50% at element 2 (both fail).
    const x = tensor([1, 1, 1], { dtype: 'float64', requiresGrad: true });
    const error = tensor([1e-2, 0, 0.5], { dtype: 'float64' });
    const wrong = (t: Tensor) => t.mul(t).sub(t.mul(t.detach()).mul(error));
    expect(() => gradcheck(wrong, [x])).toThrow(/input 0 \(shape \[3\]\) element \[2\]: analytic /);
    expect(() => gradcheck(wrong, [x])).toThrow(GradcheckError);
    // A NaN is the worst of all: √t · 0 at t = 0 has gradient 0 · ∞.
    const y = tensor([0, 1, 1], { dtype: 'float64', requiresGrad: true });
    const withNaN = (t: Tensor) => wrong(t).add(t.pow(0.5).mul(0));
    expect(() => gradcheck(withNaN, [y])).toThrow(/element \[0\]: analytic NaN/);
  });

  it('ignores inputs that do not require grad, and needs at least one that does', () => {
    const constant = randomInput([2], { requiresGrad: false });
    expect(() => gradcheck((t) => t.exp(), [constant])).toThrow(/no input requires grad/);
  });

  it('needs float64 inputs', () => {
    const single = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((t) => t.exp(), [single])).toThrow(
      /input 0 is float32; finite differences need float64/,
    );
  });

  it('respects atol / rtol', () => {
    // A gradient off by 1e-4 relative passes at rtol 1e-3 and fails at rtol 1e-6, atol 0.
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    const slightlyWrong = (t: Tensor) =>
      t.mul(t).add(t.detach().mul(t.detach()).mul(1e-4)).sub(t.mul(t.detach()).mul(1e-4));
    expect(gradcheck(slightlyWrong, [x])).toBe(true);
    expect(() => gradcheck(slightlyWrong, [x], { rtol: 1e-6, atol: 0 })).toThrow(GradcheckError);
  });
});

describe('gradgradcheck', () => {
  it('passes a right second derivative', () => {
    expect(gradgradcheck((t) => t.tanh().mul(t), [randomInput([4], { seed: 3 })])).toBe(true);
  });

  it('catches a backward that is right to first order but not differentiable', () => {
    // x̄² + 2 x̄ (x − x̄), x̄ = detach(x): value x², gradient 2x̄ (right), second derivative 0 (wrong: 2).
    const x = tensor([0.5, -1], { dtype: 'float64', requiresGrad: true });
    const detachedSquare = (t: Tensor) => {
      const fixed = t.detach();
      return fixed.mul(fixed).add(fixed.mul(2).mul(t.sub(fixed)));
    };
    expect(gradcheck(detachedSquare, [x])).toBe(true);
    expect(() => gradgradcheck(detachedSquare, [x])).toThrow(
      /gradgradcheck: input 0 \(shape \[2\]\) element \[0\]: analytic 0 vs numeric -?[\d.]+ /,
    );
  });
});

describe('to(dtype)', () => {
  it('is differentiable between float dtypes and casts the gradient back', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.to('float32').mul(3).sum();
    expect(y.dtype).toBe('float32');
    y.backward();
    expect(x.grad?.dtype).toBe('float64');
    expect(Array.from(x.grad?.data.values() ?? [])).toEqual([3, 3]);
    expect(x.to('int32').requiresGrad).toBe(false);
  });
});
