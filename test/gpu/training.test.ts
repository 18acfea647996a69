/**
 * Training on the gpu backend: gradients of a small softmax-regression loss agree with the js
 * backend and with float32 central differences (eps 1e-3), and a 1 000-step loop keeps
 * gpu.js allocations bounded (kernels compiled once, then reused).
 */
process.env.XENT_GPU_MIN_WORK = '0';

import { logSoftmax, matmul, mean, mul, sum, type Tensor, tensor } from '@xent/autograd';
import { gpuInfo, loadBackend, mul as mulArrays, type NDArray, setBackend, sub } from '@xent/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuAvailable, random, relativeError } from './helpers.js';

beforeAll(async () => {
  await loadBackend('gpu');
});
afterAll(() => {
  setBackend('js');
});

/** Mean negative log-likelihood of soft targets under softmax(x W). */
function loss(x: Tensor, w: Tensor, targets: Tensor): Tensor {
  return mean(mul(sum(mul(logSoftmax(matmul(x, w)), targets), 1), -1));
}

function problem(): { x: NDArray; w: NDArray; targets: NDArray } {
  const x = random([32, 20]);
  const w = random([20, 8]);
  const logits = random([32, 8]);
  const targets = logits.data.map(Math.exp);
  for (let row = 0; row < 32; row++) {
    let total = 0;
    for (let j = 0; j < 8; j++) total += targets[row * 8 + j];
    for (let j = 0; j < 8; j++) targets[row * 8 + j] /= total;
  }
  logits.data.set(targets);
  return { x, w, targets: logits };
}

function gradient(backend: string, p: ReturnType<typeof problem>): { value: number; grad: NDArray } {
  setBackend(backend);
  const w = tensor(p.w, { requiresGrad: true });
  const value = loss(tensor(p.x), w, tensor(p.targets));
  value.backward();
  return { value: value.item(), grad: w.grad!.data };
}

describe('training on the gpu backend', () => {
  it('gradients equal the js backend within 1e-4 and float32 central differences', () => {
    const p = problem();
    const js = gradient('js', p);
    const gpu = gradient(gpuAvailable ? 'gpu' : 'js', p);
    expect(Math.abs(gpu.value - js.value) / Math.abs(js.value)).toBeLessThan(1e-4);
    expect(relativeError(gpu.grad, js.grad)).toBeLessThan(1e-4);
    // Central differences in float32 on the same backend, eps 1e-3, on a few entries.
    const eps = 1e-3;
    for (const index of [0, 17, 63, 159]) {
      const shifted = (delta: number) => {
        const w = p.w.clone();
        w.data[index] += delta;
        return loss(tensor(p.x), tensor(w), tensor(p.targets)).item();
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      expect(Math.abs(numeric - gpu.grad.data[index])).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
  });

  it('1 000 steps compile each kernel once and keep gpu-side allocations bounded', () => {
    const p = problem();
    setBackend(gpuAvailable ? 'gpu' : 'js');
    let w = tensor(p.w, { requiresGrad: true });
    const x = tensor(p.x);
    const targets = tensor(p.targets);
    // Plain SGD: each step builds a fresh leaf from the updated weights.
    const step = () => {
      const value = loss(x, w, targets);
      value.backward();
      w = tensor(sub(w.data, mulArrays(w.grad!.data, 0.5)), { requiresGrad: true });
      return value.item();
    };
    const first = step();
    for (let i = 0; i < 99; i++) step();
    const warm = gpuInfo()?.kernels;
    const rssWarm = process.memoryUsage().rss;
    let last = first;
    for (let i = 0; i < 900; i++) last = step();
    expect(last).toBeLessThan(first);
    const rssGrowth = process.memoryUsage().rss - rssWarm;
    expect(rssGrowth).toBeLessThan(64 * 2 ** 20);
    if (!gpuAvailable) {
      expect(gpuInfo()).toBeNull();
      return;
    }
    const done = gpuInfo()!.kernels;
    expect(done.compiled).toBe(warm!.compiled);
    expect(done.live).toBeLessThanOrEqual(48);
    // Two matmuls a step: x·w forward and xᵀ·g backward (autograd skips the gradient of the constant x).
    expect(gpuInfo()!.routes.gpu.matmul).toBeGreaterThanOrEqual(2000);
  });

  it('a sweep over 200 shapes evicts and destroys old kernels (bounded live kernels)', () => {
    if (!gpuAvailable) {
      expect(gpuInfo()).toBeNull();
      return;
    }
    setBackend('gpu');
    const before = gpuInfo()!.kernels;
    for (let n = 1; n <= 200; n++) matmul(tensor(random([n, 3])), tensor(random([3, 2])));
    const after = gpuInfo()!.kernels;
    expect(after.compiled - before.compiled).toBe(200);
    expect(after.live).toBeLessThanOrEqual(48);
    expect(after.compiled - after.destroyed).toBe(after.live);
  });
});
