/**
 * The gpu backend against the js backend on random float32 inputs: every op gpu.js runs
 * (matmul in every layout, elementwise, reductions, softmax) agrees within 1e-4 relative.
 * XENT_GPU_MIN_WORK=0 sends every eligible op to gpu.js, however small.
 */
process.env.XENT_GPU_MIN_WORK = '0';

import {
  type BinaryOp,
  binary,
  getBackend,
  gpuInfo,
  loadBackend,
  logSoftmax,
  logsumexp,
  matmul,
  type NDArray,
  setBackend,
  softmax,
  sum,
  type UnaryOp,
  unary,
} from '@xent/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementwiseRelativeError, gpuAvailable, random, relativeError } from './helpers.js';

/** Runs `compute` on js and on gpu; returns both results. */
function onBoth(compute: () => NDArray): { js: NDArray; gpu: NDArray } {
  setBackend('js');
  const js = compute();
  setBackend('gpu');
  const gpu = compute();
  return { js, gpu };
}

beforeAll(async () => {
  await loadBackend('gpu');
});
afterAll(() => {
  setBackend('js');
});

describe('gpu backend availability', () => {
  it('loads gpu.js when it is installed, else warns once and falls back to js', () => {
    const info = gpuInfo();
    if (gpuAvailable) {
      expect(getBackend().name).toBe('gpu');
      expect(info?.mode).toBe(process.env.XENT_GPU_MODE ?? 'webasm');
    } else {
      expect(getBackend().name).toBe('js');
      expect(info).toBeNull();
    }
  });
});

describe('matmul on gpu equals js', () => {
  const layouts: Array<[string, (x: NDArray) => NDArray, (x: NDArray) => NDArray]> = [
    ['a @ b', (x) => x, (x) => x],
    ['a @ bᵀ', (x) => x, (x) => x.transpose(-1, -2).contiguous().transpose(-1, -2)],
    ['aᵀ @ b', (x) => x.transpose(-1, -2).contiguous().transpose(-1, -2), (x) => x],
    [
      'aᵀ @ bᵀ',
      (x) => x.transpose(-1, -2).contiguous().transpose(-1, -2),
      (x) => x.transpose(-1, -2).contiguous().transpose(-1, -2),
    ],
  ];
  for (const [name, left, right] of layouts) {
    for (const [m, k, n] of [
      [1, 1, 1],
      [7, 5, 3],
      [33, 17, 65],
      [128, 96, 64],
    ]) {
      it(`${name} for [${m}, ${k}] @ [${k}, ${n}]`, () => {
        const a = random([m, k]);
        const b = random([k, n]);
        const { js, gpu } = onBoth(() => matmul(left(a), right(b)));
        expect(relativeError(gpu, js)).toBeLessThan(1e-4);
      });
    }
  }
  it('batched, with a broadcast batch axis and a sliced operand', () => {
    const a = random([3, 2, 9, 6]);
    const b = random([2, 6, 11]);
    const c = random([6, 20]).slice(null, [2, 13]);
    const { js, gpu } = onBoth(() => matmul(a, b));
    expect(relativeError(gpu, js)).toBeLessThan(1e-4);
    const sliced = onBoth(() => matmul(a, c));
    expect(relativeError(sliced.gpu, sliced.js)).toBeLessThan(1e-4);
  });
  it('matrix @ vector and vector @ matrix', () => {
    const a = random([40, 30]);
    const v = random([30]);
    const w = random([40]);
    const mv = onBoth(() => matmul(a, v));
    const vm = onBoth(() => matmul(w, a));
    expect(relativeError(mv.gpu, mv.js)).toBeLessThan(1e-4);
    expect(relativeError(vm.gpu, vm.js)).toBeLessThan(1e-4);
  });
});

describe('elementwise on gpu equals js', () => {
  const unaryOps: Array<[UnaryOp, (x: NDArray) => NDArray]> = [
    ['neg', (x) => x],
    ['exp', (x) => x],
    ['log', (x) => unary('abs', x)],
    ['log1p', (x) => unary('abs', x)],
    ['expm1', (x) => x],
    ['sqrt', (x) => unary('abs', x)],
    ['abs', (x) => x],
    ['tanh', (x) => x],
    ['sigmoid', (x) => binary('mul', x, 30)],
    ['relu', (x) => x],
    ['softplus', (x) => binary('mul', x, 30)],
    ['logSigmoid', (x) => binary('mul', x, 30)],
    ['reciprocal', (x) => binary('add', unary('abs', x), 0.5)],
    ['square', (x) => x],
    ['leakyRelu', (x) => x],
  ];
  for (const [op, domain] of unaryOps) {
    it(`${op}`, () => {
      const x = domain(random([300, 17]));
      const { js, gpu } = onBoth(() => unary(op, x, 0.01));
      expect(elementwiseRelativeError(gpu, js)).toBeLessThan(1e-4);
    });
  }
  const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
  for (const op of binaryOps) {
    it(`${op} (same shape, scalar right, scalar left)`, () => {
      const a = random([64, 65]);
      const b = binary('add', unary('abs', random([64, 65])), 0.25);
      for (const [x, y] of [
        [a, b],
        [a, 1.5],
        [2.5, b],
      ] as Array<[NDArray | number, NDArray | number]>) {
        const before = gpuInfo()?.routes.gpu.binary ?? 0;
        const { js, gpu } = onBoth(() => binary(op, x, y));
        expect(elementwiseRelativeError(gpu, js)).toBeLessThan(1e-4);
        // A JS number is a float64 scalar; the float32 result still runs on gpu.js.
        if (gpuAvailable) expect(gpuInfo()!.routes.gpu.binary).toBe(before + 1);
      }
    });
  }
});

describe('reductions and softmax on gpu equal js', () => {
  it('sum over each axis, all axes, and with keepDims', () => {
    const x = random([37, 53, 4]);
    for (const axis of [0, 1, 2, [0, 2], undefined]) {
      const { js, gpu } = onBoth(() => sum(x, { axis, keepDims: true }));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
    }
  });
  it('a long sum keeps float32 accuracy (compensated summation)', () => {
    const x = binary('add', random([1 << 18]), 1);
    const { js, gpu } = onBoth(() => sum(x));
    expect(relativeError(gpu, js)).toBeLessThan(1e-5);
  });
  it('logsumexp, softmax and logSoftmax, including logits of ±1e4', () => {
    const x = binary('mul', random([50, 77]), 1e4);
    for (const f of [(a: NDArray) => logsumexp(a, { axis: 1 }), softmax, logSoftmax]) {
      const { js, gpu } = onBoth(() => f(x));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
      expect(gpu.data.every((v) => Number.isFinite(v))).toBe(true);
    }
    const y = random([6, 40, 5]);
    const inner = onBoth(() => softmax(y, 1));
    expect(relativeError(inner.gpu, inner.js)).toBeLessThan(1e-4);
  });
});

describe('routing', () => {
  it('sends float32 ops to gpu and float64 / int32 ops to js', () => {
    if (!gpuAvailable) {
      expect(gpuInfo()).toBeNull();
      return;
    }
    setBackend('gpu');
    const before = structuredClone(gpuInfo()!.routes);
    matmul(random([8, 8]), random([8, 8]));
    matmul(random([8, 8]).astype('float64'), random([8, 8]).astype('float64'));
    const after = gpuInfo()!.routes;
    expect(after.gpu.matmul - before.gpu.matmul).toBe(1);
    expect(after.js.matmul - before.js.matmul).toBe(1);
  });
  it('passes reductions over leading axes through to js reduceMiddle (no permute-and-copy)', () => {
    for (const name of ['gpu', 'auto']) {
      const backend = setBackend(name);
      if (!gpuAvailable) {
        expect(backend.name).toBe('js');
        continue;
      }
      expect(backend.reduceMiddle).toBeTypeOf('function');
      const x = random([64, 48]);
      const before = structuredClone(gpuInfo()!.routes);
      const got = sum(x, { axis: 0 }); // the bias gradient's shape of reduction
      const after = gpuInfo()!.routes;
      expect(after.js.reduce - before.js.reduce).toBe(1);
      expect(after.gpu.reduce - before.gpu.reduce).toBe(0);
      setBackend('js');
      expect(relativeError(got, sum(x, { axis: 0 }))).toBeLessThan(1e-6);
    }
  });
});
