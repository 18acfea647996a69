/**
 * The gpu backend in mode `webgpu`: gpu.js's WebGPU kernels on Dawn (the `webgpu` package, a
 * devDependency here) behind the bridge worker, so the ops stay synchronous. On a machine without
 * a Vulkan GPU, Dawn's OpenGL ES backend on Mesa's software renderer is the adapter. Results
 * agree with the js backend within 1e-4 relative (the bound for gpu backends), stay
 * finite at ±1e4 logits, and an MLP training step matches js. XENT_GPU_MIN_WORK=0 sends every
 * eligible op to gpu.js.
 */
process.env.XENT_GPU_MIN_WORK = '0';

import { Tensor } from '@xent/autograd';
import { crossEntropy } from '@xent/losses';
import { Linear, ReLU, Sequential } from '@xent/nn';
import {
  type BinaryOp,
  binary,
  configureGpu,
  full,
  gpuInfo,
  loadBackend,
  logSoftmax,
  logsumexp,
  manualSeed,
  matmul,
  type NDArray,
  setBackend,
  softmax,
  sum,
  type UnaryOp,
  unary,
} from '@xent/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementwiseRelativeError, random, relativeError } from './helpers.js';

const transposed = (x: NDArray) => x.transpose(-1, -2).contiguous().transpose(-1, -2);

function onBoth<T>(compute: () => T): { js: T; gpu: T } {
  setBackend('js');
  const js = compute();
  setBackend('gpu');
  const gpu = compute();
  return { js, gpu };
}

beforeAll(async () => {
  configureGpu({ mode: 'webgpu' });
  await loadBackend('gpu');
  // The first op starts Dawn and compiles a pipeline; give it its own, longer budget.
  setBackend('gpu');
  matmul(random([4, 4]), random([4, 4]));
}, 60_000);
afterAll(() => {
  setBackend('js');
});

describe('webgpu backend', () => {
  it('runs behind the bridge on a Dawn adapter', () => {
    const info = gpuInfo();
    expect(info).toMatchObject({ mode: 'webgpu', async: true });
    expect(info!.adapter.length).toBeGreaterThan(0);
    expect(info!.routes.gpu.matmul).toBeGreaterThan(0);
  });

  it('matmul in every layout, batched and broadcast, equals js', () => {
    const layouts: Array<[(x: NDArray) => NDArray, (x: NDArray) => NDArray]> = [
      [(x) => x, (x) => x],
      [(x) => x, transposed],
      [transposed, (x) => x],
    ];
    for (const [left, right] of layouts) {
      const a = left(random([37, 29]));
      const b = right(random([29, 41]));
      const { js, gpu } = onBoth(() => matmul(a, b));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
    }
    const a = random([3, 9, 17]);
    const b = random([17, 5]);
    const { js, gpu } = onBoth(() => matmul(a, b));
    expect(relativeError(gpu, js)).toBeLessThan(1e-4);
  });

  it('unary ops equal js within 1e-4 relative', () => {
    const ops: Array<[UnaryOp, (x: NDArray) => NDArray]> = [
      ['neg', (x) => x],
      ['exp', (x) => x],
      ['log', (x) => unary('abs', x)],
      ['sqrt', (x) => unary('abs', x)],
      ['tanh', (x) => x],
      ['sigmoid', (x) => binary('mul', x, 20)],
      ['relu', (x) => x],
      ['softplus', (x) => binary('mul', x, 20)],
      ['logSigmoid', (x) => binary('mul', x, 20)],
      ['square', (x) => x],
    ];
    for (const [op, domain] of ops) {
      setBackend('js');
      const x = binary('add', domain(random([50, 21])), op === 'log' || op === 'sqrt' ? 0.1 : 0);
      const { js, gpu } = onBoth(() => unary(op, x));
      expect(elementwiseRelativeError(gpu, js), op).toBeLessThan(1e-4);
    }
  });

  it('binary ops, with a scalar on either side, equal js', () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
    const a = random([30, 33]);
    setBackend('js');
    const b = binary('add', unary('abs', random([30, 33])), 0.25);
    for (const op of ops) {
      for (const [x, y] of [
        [a, b],
        [a, 1.5],
        [2.5, b],
      ] as Array<[NDArray | number, NDArray | number]>) {
        const { js, gpu } = onBoth(() => binary(op, x, y));
        expect(elementwiseRelativeError(gpu, js), op).toBeLessThan(1e-4);
      }
    }
  });

  it('sum, logsumexp, softmax and logSoftmax equal js, and stay finite at ±1e4 logits', () => {
    const x = random([24, 70]);
    for (const compute of [
      () => sum(x, { axis: -1 }),
      () => logsumexp(x, { axis: -1 }),
      () => softmax(x, -1),
      () => logSoftmax(x, -1),
    ]) {
      const { js, gpu } = onBoth(compute);
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
    }
    setBackend('js');
    const extreme = binary('mul', random([8, 30]), 1e4);
    const { js, gpu } = onBoth(() => logSoftmax(extreme, -1));
    expect(gpu.values().every(Number.isFinite)).toBe(true);
    expect(relativeError(gpu, js)).toBeLessThan(1e-4);
  });

  it('keeps at most 48 kernels alive however many shapes run (evicted ones are destroyed)', () => {
    setBackend('gpu');
    const before = gpuInfo()!.kernels;
    for (let n = 1; n <= 60; n++) unary('neg', random([n, 3]));
    const after = gpuInfo()!.kernels;
    expect(after.live).toBeLessThanOrEqual(48);
    expect(after.compiled - before.compiled).toBeGreaterThanOrEqual(60);
    expect(after.destroyed - before.destroyed).toBeGreaterThanOrEqual(after.compiled - 48);
  }, 60_000);

  it('an MLP training step gives the js loss and gradients', () => {
    const step = () => {
      manualSeed(7);
      const model = new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 5));
      const x = new Tensor(random([32, 20]));
      const target = new Tensor(full([32], 3, { dtype: 'int32' }));
      const loss = crossEntropy(model.forward(x), target);
      loss.backward();
      return { loss: loss.item(), grads: model.parameters().map((p) => p.grad!.data) };
    };
    const { js, gpu } = onBoth(step);
    expect(Math.abs(gpu.loss - js.loss) / Math.abs(js.loss)).toBeLessThan(1e-4);
    for (let i = 0; i < js.grads.length; i++)
      expect(relativeError(gpu.grads[i], js.grads[i])).toBeLessThan(1e-4);
  });
});
