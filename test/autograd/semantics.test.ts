/** The engine's contract: accumulation, freeing, grad(), grad modes, leaves and broadcasting. */
import { enableGrad, grad, isGradEnabled, noGrad, ones, type Tensor, tensor, zeros } from '@xent/autograd';
import { XentError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';

const f64 = (values: number[] | number[][], requiresGrad = true) =>
  tensor(values, { dtype: 'float64', requiresGrad });

const valuesOf = (t: Tensor | null) => {
  if (t === null) throw new Error('expected a gradient, got null');
  return Array.from(t.data.values());
};

describe('backward', () => {
  it('accumulates gradients into leaves across calls', () => {
    const x = f64([1, 2, 3]);
    x.mul(x).sum().backward(); // 2x
    expect(valuesOf(x.grad)).toEqual([2, 4, 6]);
    x.mul(3).sum().backward(); // + 3
    expect(valuesOf(x.grad)).toEqual([5, 7, 9]);
  });

  it('sums the gradient of a leaf used several times in one graph', () => {
    const x = f64([2]);
    x.mul(x).add(x.mul(5)).sum().backward(); // d(x² + 5x) = 2x + 5
    expect(valuesOf(x.grad)).toEqual([9]);
  });

  it('gives each leaf its own gradient array (no aliasing through add or views)', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    a.add(b).sum().backward();
    expect(a.grad?.data.data).not.toBe(b.grad?.data.data);
    a.grad?.data.data.fill(0);
    expect(valuesOf(b.grad)).toEqual([1, 1]);
    const seed = f64([5, 6], false);
    const c = f64([1, 1]);
    c.reshape([2]).backward(seed);
    seed.data.data.fill(0);
    expect(valuesOf(c.grad)).toEqual([5, 6]);
  });

  it('with createGraph too: each leaf owns a contiguous .grad that stays differentiable', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    a.mul(a).add(b).sum().backward(undefined, { createGraph: true });
    expect(a.grad?.data.data).not.toBe(b.grad?.data.data);
    b.grad?.data.data.fill(0);
    expect(valuesOf(a.grad)).toEqual([2, 4]);
    // d/da Σ (2a) = 2: the copy is recorded, so the gradient is still differentiable.
    expect(valuesOf(grad((a.grad as Tensor).sum(), a)[0])).toEqual([2, 2]);
    // A leaf's gradient is the seed itself, or a broadcast (stride-0) view, before the copy.
    const seed = f64([5, 6], false);
    const c = f64([1, 1]);
    c.backward(seed, { createGraph: true });
    expect(c.grad).not.toBe(seed);
    seed.data.data.fill(0);
    expect(valuesOf(c.grad)).toEqual([5, 6]);
    const matrix = f64([
      [1, 2],
      [3, 4],
    ]);
    matrix.sum().backward(undefined, { createGraph: true });
    expect(matrix.grad?.data.isContiguous).toBe(true);
    expect(matrix.grad?.data.strides).toEqual([2, 1]);
  });

  it('throws a clear error on a second backward through a freed graph', () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/already freed.*retainGraph/);
    // ...also when the second backward reaches the freed part from a new output.
    const hidden = x.tanh();
    hidden.sum().backward();
    expect(() => hidden.mul(2).sum().backward()).toThrow(/'tanh' was already freed/);
  });

  it('retainGraph allows a second backward (and the gradients add up)', () => {
    const x = f64([1, 2]);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(valuesOf(x.grad)).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(/already freed/);
  });

  it('needs gradOutput for a non-scalar output, and checks its shape', () => {
    const x = f64([1, 2]);
    expect(() => x.mul(2).backward()).toThrow(
      /shape \[2\].*gradOutput can be omitted only for a one-element output/,
    );
    expect(() => x.mul(2).backward(f64([1, 2, 3], false))).toThrow(/gradOutput has shape \[3\].*\[2\]/);
    x.mul(2).backward(f64([1, 10], false));
    expect(valuesOf(x.grad)).toEqual([2, 20]);
    // A number is broadcast to the output's shape.
    x.mul(3).backward(1);
    expect(valuesOf(x.grad)).toEqual([5, 23]);
  });

  it('accepts non-contiguous and broadcast gradOutputs', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const transposed = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    ).transpose(); // [2, 3] view
    x.mul(2).backward(transposed);
    expect(x.grad?.toArray()).toEqual([
      [2, 6, 10],
      [4, 8, 12],
    ]);
    const y = f64([1, 2, 3]);
    y.mul(y).backward(tensor([0.5], { dtype: 'float64' }).expand([3])); // stride-0 view
    y.mul(y).backward(tensor([0.5], { dtype: 'float64' }).expand([3]));
    expect(valuesOf(y.grad)).toEqual([2, 4, 6]);
  });

  it('runs through a 20 000-op chain without overflowing the stack', () => {
    const x = f64([0.5]);
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(valuesOf(x.grad)[0]).toBeCloseTo(1.0001 ** 20_000, 8);
  });

  it('throws when nothing requires grad', () => {
    expect(() => f64([1], false).exp().backward()).toThrow(/does not require grad/);
  });

  it('sums broadcast gradients back to each input shape', () => {
    const a = tensor([[1], [2], [3]], { dtype: 'float64', requiresGrad: true }); // [3, 1]
    const b = f64([10, 20]); // [2]
    const c = tensor(4, { dtype: 'float64', requiresGrad: true }); // []
    a.mul(b).add(c).sum().backward();
    expect(a.grad?.shape).toEqual([3, 1]);
    expect(valuesOf(a.grad)).toEqual([30, 30, 30]);
    expect(b.grad?.shape).toEqual([2]);
    expect(valuesOf(b.grad)).toEqual([6, 6]);
    expect(c.grad?.shape).toEqual([]);
    expect(valuesOf(c.grad)).toEqual([6]);
  });

  it('gives float32 leaves float32 gradients, even next to float64 operands', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.mul(f64([3, 4], false))
      .sum()
      .backward(tensor(1, { dtype: 'float64' }));
    expect(w.grad?.dtype).toBe('float32');
    expect(valuesOf(w.grad)).toEqual([3, 4]);
  });

  it('accumulates leaf gradients without building a graph', () => {
    const x = f64([1, 2]);
    x.mul(x).sum().backward();
    x.mul(x).sum().backward();
    expect(x.grad?.gradFn).toBeNull();
    expect(x.grad?.requiresGrad).toBe(false);
  });

  it('skips the gradient of an input that does not require grad', () => {
    const constant = f64(
      [
        [1, 2],
        [3, 4],
      ],
      false,
    );
    const weight = f64([[1], [1]]);
    const product = constant.matmul(weight);
    const [gradConstant, gradWeight] = product.gradFn?.backward?.(f64([[1], [1]], false)) ?? [];
    expect(gradConstant).toBeNull();
    expect(gradWeight?.toArray()).toEqual([[4], [6]]);
    const scaled = weight.mul(constant.slice(null, [0, 1]));
    expect(scaled.gradFn?.backward?.(f64([[1], [1]], false))).toHaveLength(2);
    expect(scaled.gradFn?.backward?.(f64([[1], [1]], false))[1]).toBeNull();
  });

  it('runs backward closures under noGrad unless createGraph', () => {
    const x = f64([0.5]);
    const modes: boolean[] = [];
    const spy = (t: Tensor) => {
      const out = t.mul(1);
      const node = out.gradFn;
      if (node === null) throw new Error('expected a gradFn');
      const inner = node.backward;
      node.backward = (g) => {
        modes.push(isGradEnabled());
        return inner ? inner(g) : [];
      };
      return out;
    };
    spy(x).sum().backward();
    spy(x).sum().backward(undefined, { createGraph: true });
    expect(modes).toEqual([false, true]);
    // Without createGraph the gradient is a plain tensor; with it, it has a graph.
    expect(grad(x.exp().sum(), x)[0].gradFn).toBeNull();
    expect(grad(x.exp().sum(), x, { createGraph: true })[0].gradFn?.name).toBe('mul');
  });
});

describe('grad()', () => {
  it('returns the gradients and leaves .grad untouched', () => {
    const x = f64([1, 2]);
    const [dx] = grad(x.mul(x).sum(), x);
    expect(valuesOf(dx)).toEqual([2, 4]);
    expect(x.grad).toBeNull();
    x.sum().backward();
    grad(x.mul(x).sum(), [x]);
    expect(valuesOf(x.grad)).toEqual([1, 1]);
  });

  it('handles several outputs and inputs, with gradOutputs', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    const product = a.mul(b); // [3, 8]
    const total = a.add(b).sum(); // 10
    const [da, db] = grad([product, total], [a, b], { gradOutputs: [f64([1, -1], false), 2] });
    // d/da: b ⊙ [1, −1] + 2 = [5, −2]; d/db: a ⊙ [1, −1] + 2 = [3, 0]
    expect(valuesOf(da)).toEqual([5, -2]);
    expect(valuesOf(db)).toEqual([3, 0]);
  });

  it('needs gradOutputs for non-scalar outputs, one per output', () => {
    const a = f64([1, 2]);
    expect(() => grad(a.mul(2), a)).toThrow(/gradOutput can be omitted only for a one-element output/);
    expect(() => grad([a.sum(), a.mul(2).sum()], a, { gradOutputs: [3] })).toThrow(
      'grad: 1 gradOutputs given for 2 outputs; expected one per output',
    );
    expect(() => grad(a.sum(), a, { gradOutputs: [1, 2] })).toThrow(/2 gradOutputs given for 1 outputs/);
  });

  it('throws for an unused input unless allowUnused, which gives zeros', () => {
    const a = f64([1, 2]);
    const unused = f64([[1, 2, 3]]);
    expect(() => grad(a.sum(), [a, unused])).toThrow(/input 1 was not used.*allowUnused/);
    const [da, dUnused] = grad(a.sum(), [a, unused], { allowUnused: true });
    expect(valuesOf(da)).toEqual([1, 1]);
    expect(dUnused.shape).toEqual([1, 3]);
    expect(valuesOf(dUnused)).toEqual([0, 0, 0]);
  });

  it('differentiates with respect to non-leaf inputs', () => {
    const x = f64([1, 2]);
    const hidden = x.mul(3);
    const out = hidden.mul(hidden).sum(); // d/dhidden = 2 hidden
    const [dHidden, dx] = grad(out, [hidden, x]);
    expect(valuesOf(dHidden)).toEqual([6, 12]);
    expect(valuesOf(dx)).toEqual([18, 36]);
  });

  it('runs only the part of the graph between the outputs and the inputs', () => {
    const x = f64([1, 2]);
    const hidden = x.exp();
    const out = hidden.sum();
    grad(out, hidden);
    // The exp node below `hidden` did not run, so it was not freed: backward still works.
    expect(hidden.gradFn?.backward).not.toBeNull();
    hidden.sum().backward();
    expect(valuesOf(x.grad)).toEqual([Math.exp(1), Math.exp(2)]);
  });

  it('rejects inputs and outputs that do not require grad', () => {
    const a = f64([1, 2]);
    expect(() => grad(a.sum(), f64([1], false))).toThrow(/input 0 does not require grad/);
    expect(() => grad(f64([1], false), a)).toThrow(/output 0 does not require grad/);
  });

  it('frees the graph unless retainGraph', () => {
    const a = f64([1, 2]);
    const out = a.exp().sum();
    grad(out, a, { retainGraph: true });
    grad(out, a);
    expect(() => grad(out, a)).toThrow(/already freed/);
  });
});

describe('grad modes', () => {
  it('noGrad records nothing', () => {
    const x = f64([1, 2]);
    const y = noGrad(() => x.exp().mul(x).sum());
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.backward()).toThrow(/does not require grad.*noGrad/);
  });

  it('enableGrad records again inside noGrad, and modes restore after a throw', () => {
    const x = f64([1, 2]);
    const y = noGrad(() => enableGrad(() => x.mul(2)));
    expect(y.gradFn?.name).toBe('mul');
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => isGradEnabled())).toBe(false);
  });

  it('noGrad returns the callback value', () => {
    expect(noGrad(() => 42)).toBe(42);
  });
});

describe('tensors and leaves', () => {
  it('detach shares values but leaves the graph', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const detached = y.detach();
    expect(detached.requiresGrad).toBe(false);
    expect(detached.gradFn).toBeNull();
    expect(detached.data.data).toBe(y.data.data);
    x.mul(detached).sum().backward();
    expect(valuesOf(x.grad)).toEqual([2, 4]);
  });

  it('clone copies the values into new storage and stays in the graph', () => {
    const x = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const view = x.transpose();
    const copy = view.clone();
    expect(copy.data.data).not.toBe(x.data.data);
    expect(copy.data.isContiguous).toBe(true);
    expect(copy.toArray()).toEqual(view.toArray());
    expect(copy.gradFn?.name).toBe('clone');
    copy
      .mul(
        f64([
          [1, 10],
          [100, 1000],
          [1e4, 1e5],
        ]),
      )
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 100, 1e4],
      [10, 1000, 1e5],
    ]);
    checkGradients((t) => t.transpose().clone().mul(t.transpose()).sum(), [randomInput([3, 4])]);
  });

  it('int32 tensors cannot require grad', () => {
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(XentError);
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(/only float tensors.*int32/);
    expect(() => zeros([2], { dtype: 'int32' }).requiresGrad_()).toThrow(/only float tensors.*int32/);
  });

  it('isLeaf and gradFn names', () => {
    const x = f64([1, 2]);
    expect(x.isLeaf).toBe(true);
    expect(x.gradFn).toBeNull();
    const cases: [Tensor, string][] = [
      [x.add(1), 'add'],
      [x.exp(), 'exp'],
      [x.sum(), 'sum'],
      [x.reshape([2, 1]), 'reshape'],
      [x.tanh(), 'tanh'],
      [x.logSoftmax(), 'logSoftmax'],
      [x.mean(), 'div'], // mean is composed: Σ / n
    ];
    for (const [t, name] of cases) {
      expect(t.isLeaf).toBe(false);
      expect(t.gradFn?.name).toBe(name);
    }
    expect(ones([2]).add(1).isLeaf).toBe(true); // nothing required grad: nothing recorded
  });

  it('requiresGrad_ only on leaves', () => {
    const x = f64([1, 2]);
    expect(() => x.mul(2).requiresGrad_()).toThrow(/only leaf tensors/);
    const y = f64([1], false).requiresGrad_();
    expect(y.requiresGrad).toBe(true);
  });

  it('prints the grad status', () => {
    expect(f64([1]).toString()).toMatch(/requiresGrad=true/);
    expect(f64([1]).exp().toString()).toMatch(/gradFn=exp/);
  });
});
