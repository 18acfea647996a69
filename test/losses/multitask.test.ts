import { type Tensor, tensor } from '@xent/autograd';
import { gradientCosine, pcgrad, taskGradients, UncertaintyWeighting } from '@xent/losses';
import * as nd from '@xent/tensor';
import { Generator, ShapeError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';
import { type Json, losses2Cases, maxError } from './losses2-fixtures.js';

const f64 = (data: number[] | number[][], requiresGrad = false) =>
  tensor(data, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null): number[] => Array.from((t as Tensor).data.values());
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const maxDifference = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length ? Math.max(...a.map((v, i) => Math.abs(v - b[i]))) : Number.POSITIVE_INFINITY;

describe('UncertaintyWeighting', () => {
  it.each(losses2Cases('uncertaintyWeighting'))('matches PyTorch: %s', (_, c) => {
    const logVars = c.inputs.logVars as number[];
    const losses = f64(c.inputs.losses as number[], true);
    const weighting = new UncertaintyWeighting(logVars.length, { initLogVars: logVars, dtype: 'float64' });
    const combined = weighting.combine(losses);
    expect(maxError(combined.item(), c.value)).toBeLessThan(1e-10);
    combined.backward();
    expect(maxError(values(losses.grad), c.grads.losses)).toBeLessThan(1e-10);
    expect(maxError(values(weighting.logVars.grad), c.grads.logVars as Json)).toBeLessThan(1e-10);
  });

  it('computes Σ exp(−s) L + s from a list of scalar losses too', () => {
    const weighting = new UncertaintyWeighting(2, { initLogVars: [0.5, -1], dtype: 'float64' });
    const combined = weighting.combine([f64([3]).reshape([]), f64([[0.25]])]);
    expect(combined.item()).toBeCloseTo(Math.exp(-0.5) * 3 + 0.5 + Math.exp(1) * 0.25 - 1, 14);
    expect(weighting.weights()).toEqual([Math.exp(-0.5), Math.exp(1)]);
  });

  it('has a float32 leaf logVars (zeros by default) as its only parameter, not aliasing initLogVars', () => {
    const weighting = new UncertaintyWeighting(3);
    expect(weighting.logVars.dtype).toBe('float32');
    expect(weighting.logVars.isLeaf).toBe(true);
    expect(weighting.logVars.requiresGrad).toBe(true);
    expect(values(weighting.logVars)).toEqual([0, 0, 0]);
    expect(weighting.parameters()).toEqual([weighting.logVars]);
    const init = nd.array([1, 2], { dtype: 'float32' });
    const copy = new UncertaintyWeighting(2, { initLogVars: init });
    copy.logVars.data.set([0], 5);
    expect(init.get(0)).toBe(1);
  });

  it('learns s_i = log L_i with any optimizer stepping parameters() (here plain SGD)', () => {
    const weighting = new UncertaintyWeighting(2, { dtype: 'float64' });
    const taskLosses = [2, 0.5];
    for (let step = 0; step < 300; step++) {
      for (const p of weighting.parameters()) p.grad = null;
      weighting.combine(f64(taskLosses)).backward();
      for (const p of weighting.parameters()) {
        p.data = nd.sub(p.data, nd.mul((p.grad as Tensor).data, 0.2));
      }
    }
    // d/ds (e^{−s} L + s) = 0  ⇔  s = log L
    const learned = values(weighting.logVars);
    expect(learned[0]).toBeCloseTo(Math.log(2), 6);
    expect(learned[1]).toBeCloseTo(Math.log(0.5), 6);
  });

  it('combines float64 losses with float32 logVars (promoted to float64)', () => {
    const weighting = new UncertaintyWeighting(2, { initLogVars: [0, Math.log(2)] });
    const combined = weighting.combine(f64([1, 4], true));
    expect(combined.dtype).toBe('float64');
    expect(combined.item()).toBeCloseTo(1 + 2 + Math.fround(Math.log(2)), 6);
    combined.backward();
    expect(weighting.logVars.grad?.dtype).toBe('float32');
  });

  it('passes gradcheck and gradgradcheck in the losses and logVars', () => {
    const weighting = new UncertaintyWeighting(3, { initLogVars: [0.3, -0.2, 1.1], dtype: 'float64' });
    // gradcheck perturbs logVars in place, so passing the leaf itself checks d/ds.
    checkGradients(
      (losses) => weighting.combine(losses),
      [randomInput([3], { seed: 2, positive: true }), weighting.logVars],
    );
  });

  it('rejects mismatched task counts, naming the argument', () => {
    const weighting = new UncertaintyWeighting(3, { dtype: 'float64' });
    expect(() => weighting.combine([f64([1]), f64([2])])).toThrow(ShapeError);
    expect(() => weighting.combine([f64([1]), f64([2])])).toThrow(
      /UncertaintyWeighting.combine: got 2 losses, expected 3 \(numTasks\)/,
    );
    expect(() => weighting.combine(f64([1, 2, 3, 4]))).toThrow(
      /losses has shape \[4\], expected \[3\] \(one loss per task\)/,
    );
    expect(() => weighting.combine([f64([1]), f64([2, 3]), f64([4])])).toThrow(
      /losses\[1\] has shape \[2\], expected a one-element loss/,
    );
    expect(() => new UncertaintyWeighting(3, { initLogVars: [0, 0] })).toThrow(
      /UncertaintyWeighting: initLogVars has shape \[2\], expected one value per task \[3\]/,
    );
    expect(() => weighting.combine([f64([1]), f64([Number.NaN]), f64([2])])).toThrow(
      /UncertaintyWeighting.combine: losses\[1\] contains NaN at index \[0\]; expected finite values/,
    );
    expect(() => weighting.combine(f64([1, Number.POSITIVE_INFINITY, 2]))).toThrow(
      /UncertaintyWeighting.combine: losses contains Infinity at index \[1\]; expected finite values/,
    );
    expect(() => new UncertaintyWeighting(0)).toThrow(
      /UncertaintyWeighting: numTasks is 0, expected an integer ≥ 1/,
    );
  });
});

describe('taskGradients and gradientCosine', () => {
  it('returns ∂L_i/∂θ_j for every task and parameter, zeros where unused, and keeps the graph', () => {
    const a = f64([1, 2], true);
    const b = f64([3], true);
    const shared = a.mul(b); // [3, 6]
    const first = shared.sum(); // ∂/∂a = b, ∂/∂b = Σ a
    const second = a.mul(a).sum(); // ∂/∂a = 2a, ∂/∂b unused
    const [g1, g2] = taskGradients([first, second], [a, b]);
    expect(values(g1[0])).toEqual([3, 3]);
    expect(values(g1[1])).toEqual([3]);
    expect(values(g2[0])).toEqual([2, 4]);
    expect(values(g2[1])).toEqual([0]);
    expect(a.grad).toBeNull();
    first.add(second).backward(); // the graph survived
    expect(values(a.grad)).toEqual([5, 7]);
  });

  it('measures conflict by the cosine of flattened gradients', () => {
    expect(gradientCosine(f64([1, 0]), f64([0, 1]))).toBe(0);
    expect(gradientCosine(f64([1, 2]), f64([-2, -4]))).toBeCloseTo(-1, 15);
    // Lists of per-parameter gradients are concatenated: (1, 1, 0) · (1, 0, 1) = 1, norms √2.
    expect(gradientCosine([f64([1, 1]), f64([0])], [f64([1, 0]), f64([1])])).toBeCloseTo(0.5, 15);
    expect(gradientCosine(f64([0, 0]), f64([1, 1]))).toBe(0);
  });

  it('rejects mismatched gradients and bad task lists', () => {
    expect(() => gradientCosine([f64([1, 2])], [f64([1, 2]), f64([1])])).toThrow(
      /gradientCosine: a has shapes \[2\] but b has \[2\], \[1\]/,
    );
    // Same number of elements, different parameters: not comparable (was a silent cosine of 1).
    expect(() => gradientCosine(f64([[1, 2]]), f64([1, 2]))).toThrow(
      /gradientCosine: a has shapes \[1, 2\] but b has \[2\]; expected the same parameters/,
    );
    const p = f64([1], true);
    expect(() => taskGradients([], [p])).toThrow(/taskGradients: losses is empty/);
    expect(() => taskGradients([p.mul(2)], [f64([1])])).toThrow(
      /taskGradients: params\[0\] does not require grad/,
    );
    expect(() => pcgrad([p.mul(f64([1, 2]))], [p])).toThrow(
      /pcgrad: losses\[0\] has shape \[2\], expected a one-element loss/,
    );
  });
});

describe('pcgrad', () => {
  /** PCGrad of two tasks in closed form: each projected onto the other's normal plane if they conflict. */
  function closedForm(g1: number[], g2: number[]): number[] {
    const overlap = dot(g1, g2);
    if (overlap >= 0) return g1.map((v, i) => v + g2[i]);
    const p1 = g1.map((v, i) => v - (overlap / dot(g2, g2)) * g2[i]);
    const p2 = g2.map((v, i) => v - (overlap / dot(g1, g1)) * g1[i]);
    return p1.map((v, i) => v + p2[i]);
  }

  it('projects two conflicting gradients to a non-negative dot product and sums them into .grad', () => {
    // Over θ = (first, second): L1 = ½‖θ − u‖² (g1 = θ − u), L2 = −‖first‖² + 3 Σ second
    // (g2 = (−2 first, 3)); both gradients come from autograd through graphs sharing θ.
    const theta = [0.3, 2.5, -1.2];
    const u = [-1, 0.4, 0.2];
    const first = f64(theta.slice(0, 2), true);
    const second = f64(theta.slice(2), true);
    const l1 = first
      .sub(f64(u.slice(0, 2)))
      .pow(2)
      .sum()
      .add(
        second
          .sub(f64(u.slice(2)))
          .pow(2)
          .sum(),
      )
      .mul(0.5);
    const l2 = first.mul(first).sum().mul(-1).add(second.mul(3).sum());
    const g1 = theta.map((t, i) => t - u[i]);
    const g2 = [-2 * theta[0], -2 * theta[1], 3];
    expect(dot(g1, g2)).toBeLessThan(0);

    const result = pcgrad([l1, l2], [first, second], { seed: 0 });
    expect(result.conflicts).toBe(2);
    const p1 = result.projected[0].flatMap(values);
    const p2 = result.projected[1].flatMap(values);
    expect(dot(p1, p2)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(dot(p1, g2))).toBeLessThan(1e-12); // p1 ⊥ g2
    expect(Math.abs(dot(p2, g1))).toBeLessThan(1e-12); // p2 ⊥ g1
    const expected = closedForm(g1, g2);
    const written = [...values(first.grad), ...values(second.grad)];
    expect(maxDifference(written, expected)).toBeLessThan(1e-12);
    expect(maxDifference(result.grads.flatMap(values), expected)).toBeLessThan(1e-12);
  });

  it('gives a non-negative dot product for random conflicting pairs', () => {
    const generator = new Generator(5);
    for (let trial = 0; trial < 20; trial++) {
      const c1 = Array.from({ length: 6 }, () => generator.normal());
      const c2 = Array.from({ length: 6 }, () => generator.normal());
      const theta = f64(new Array(6).fill(0), true);
      const result = pcgrad([theta.mul(f64(c1)).sum(), theta.mul(f64(c2)).sum()], [theta], { seed: trial });
      const p1 = values(result.projected[0][0]);
      const p2 = values(result.projected[1][0]);
      expect(dot(p1, p2)).toBeGreaterThanOrEqual(-1e-12);
      expect(result.conflicts).toBe(dot(c1, c2) < 0 ? 2 : 0);
      expect(maxDifference(values(result.grads[0]), closedForm(c1, c2))).toBeLessThan(1e-12);
    }
  });

  it('equals the plain sum without conflict, and adds to an existing .grad like backward', () => {
    const theta = f64([1, 2], true);
    const l1 = theta.mul(f64([1, 0])).sum();
    const l2 = theta.mul(f64([1, 1])).sum();
    const result = pcgrad([l1, l2], [theta]);
    expect(result.conflicts).toBe(0);
    expect(values(theta.grad)).toEqual([2, 1]);
    const again = theta.mul(f64([1, 0])).sum();
    pcgrad([again], [theta]);
    expect(values(theta.grad)).toEqual([3, 1]);
  });

  it('draws the task order from the seed: same seed, same result; the order matters with three tasks', () => {
    const outcomes = new Set<string>();
    const run = (seed: number): number[] => {
      const theta = f64([0, 0], true);
      const tasks = [
        [1, 0],
        [-0.5, 1],
        [-0.5, -1.2],
      ].map((c) => theta.mul(f64(c)).sum());
      return values(pcgrad(tasks, [theta], { seed }).grads[0]);
    };
    for (let seed = 0; seed < 8; seed++) {
      expect(run(seed)).toEqual(run(seed));
      outcomes.add(
        run(seed)
          .map((v) => v.toFixed(12))
          .join(','),
      );
    }
    expect(outcomes.size).toBeGreaterThan(1);
    const fromGenerator = (() => {
      const theta = f64([0, 0], true);
      const tasks = [
        [1, 0],
        [-0.5, 1],
        [-0.5, -1.2],
      ].map((c) => theta.mul(f64(c)).sum());
      return values(pcgrad(tasks, [theta], { generator: new Generator(3) }).grads[0]);
    })();
    expect(fromGenerator).toEqual(run(3));
  });

  it("writes .grad in the parameter's dtype", () => {
    const theta = tensor([1, -1], { dtype: 'float32', requiresGrad: true });
    pcgrad([theta.sum(), theta.mul(theta).sum()], [theta], { seed: 1 });
    expect(theta.grad?.dtype).toBe('float32');
  });
});
