/**
 * The gpu backend with `configureGpu({ async: true })`: kernels run in gpu.js's `asyncMode`
 * (webasm, outputs of ≥ 4096 cells split over gpu.js's worker pool) in the bridge worker, and
 * the ops stay synchronous. Results agree with the js backend within 1e-4 relative, and with
 * the same kernels run synchronously on this thread; shapes are chosen so that the pool really
 * runs (gpuInfo().threadedRuns grows). XENT_GPU_MIN_WORK=0 sends every eligible op to gpu.js.
 */
process.env.XENT_GPU_MIN_WORK = '0';

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type BinaryOp,
  binary,
  configureGpu,
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
import { BridgeKernelRunner } from '../../packages/tensor/src/backends/gpu/bridge.js';
import type { GpuInstance } from '../../packages/tensor/src/backends/gpu/gpujs.js';
import { LocalKernelRunner } from '../../packages/tensor/src/backends/gpu/runner.js';
import { elementwiseRelativeError, gpuAvailable, random, relativeError } from './helpers.js';

const transposed = (x: NDArray) => x.transpose(-1, -2).contiguous().transpose(-1, -2);

/** Runs `compute` on js and on the async gpu backend; also returns how many runs took gpu.js's pool. */
function onBoth(compute: () => NDArray): { js: NDArray; gpu: NDArray; threaded: number } {
  setBackend('js');
  const js = compute();
  setBackend('gpu');
  const before = gpuInfo()?.threadedRuns ?? 0;
  const gpu = compute();
  return { js, gpu, threaded: (gpuInfo()?.threadedRuns ?? 0) - before };
}

beforeAll(async () => {
  configureGpu({ async: true });
  await loadBackend('gpu');
});
afterAll(() => {
  setBackend('js');
});

describe('async gpu backend', () => {
  it('runs webasm kernels in asyncMode when gpu.js is installed, else falls back to js', () => {
    if (!gpuAvailable) {
      expect(getBackend().name).toBe('js');
      expect(gpuInfo()).toBeNull();
      return;
    }
    expect(getBackend().name).toBe('gpu');
    expect(gpuInfo()).toMatchObject({ mode: 'webasm', async: true });
  });
});

describe('async matmul equals js and the synchronous kernels', () => {
  // [128, 96] @ [96, 128]: the kernel's output is 128 columns × 32 four-row strips = 4096 cells,
  // gpu.js's floor for splitting a run over its pool.
  const layouts: Array<[string, (x: NDArray) => NDArray, (x: NDArray) => NDArray]> = [
    ['a @ b', (x) => x, (x) => x],
    ['a @ bᵀ', (x) => x, transposed],
    ['aᵀ @ b', transposed, (x) => x],
    ['aᵀ @ bᵀ', transposed, transposed],
  ];
  for (const [name, left, right] of layouts) {
    it(`${name} for [128, 96] @ [96, 128] runs threaded; [7, 5] @ [5, 3] does not`, () => {
      if (!gpuAvailable) return;
      const a = random([128, 96]);
      const b = random([96, 128]);
      const large = onBoth(() => matmul(left(a), right(b)));
      expect(relativeError(large.gpu, large.js)).toBeLessThan(1e-4);
      expect(large.threaded).toBe(1);
      const c = random([7, 5]);
      const d = random([5, 3]);
      const small = onBoth(() => matmul(left(c), right(d)));
      expect(relativeError(small.gpu, small.js)).toBeLessThan(1e-4);
      expect(small.threaded).toBe(0);
    });
  }
  it('batched, and with a broadcast batch axis: every product threaded', () => {
    if (!gpuAvailable) return;
    for (const [a, b] of [
      [random([4, 128, 16]), random([4, 16, 128])],
      [random([3, 2, 128, 16]), random([2, 16, 128])],
    ]) {
      const products = gpuInfo()!.routes.gpu.matmul;
      const { js, gpu, threaded } = onBoth(() => matmul(a, b));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
      expect(threaded).toBeGreaterThan(0);
      expect(threaded).toBe(gpuInfo()!.routes.gpu.matmul - products);
    }
  });
  it('gives the synchronous kernels’ results (same wasm, cells split over threads)', () => {
    if (!gpuAvailable) return;
    const { GPU } = createRequire(import.meta.url)('gpu.js') as {
      GPU: new (s: { mode: string }) => GpuInstance;
    };
    const sync = new LocalKernelRunner(new GPU({ mode: 'webasm' }), 'webasm');
    const bridge = new BridgeKernelRunner();
    const source = 'function (a) { return Math.exp(a[this.thread.y * 80 + this.thread.x]) - 1; }';
    const input = random([80 * 80]).data as Float32Array;
    const want = sync.run('expm1', source, { output: [80, 80] }, 6400, [input]);
    const got = bridge.run('expm1', source, { output: [80, 80] }, 6400, [input]);
    expect(bridge.stats()).toEqual({ live: 1, compiled: 1, destroyed: 0, threaded: 1 });
    expect(got).toEqual(want);
    sync.dispose();
    bridge.dispose();
  });
});

describe('async elementwise, reductions and softmax equal js', () => {
  const unaryOps: Array<[UnaryOp, (x: NDArray) => NDArray]> = [
    ['exp', (x) => x],
    ['log', (x) => unary('abs', x)],
    ['sigmoid', (x) => binary('mul', x, 30)],
    ['softplus', (x) => binary('mul', x, 30)],
    ['leakyRelu', (x) => x],
  ];
  for (const [op, domain] of unaryOps) {
    it(`${op} over 5100 elements (threaded)`, () => {
      if (!gpuAvailable) return;
      const x = domain(random([300, 17]));
      const { js, gpu, threaded } = onBoth(() => unary(op, x, 0.01));
      expect(elementwiseRelativeError(gpu, js)).toBeLessThan(1e-4);
      expect(threaded).toBe(1);
    });
  }
  const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
  it('add, sub, mul, div, maximum, minimum (same shape, float32 scalar right, scalar left)', () => {
    if (!gpuAvailable) return;
    const a = random([64, 65]);
    const b = binary('add', unary('abs', random([64, 65])), 0.25);
    // Broadcast float32 [1] arrays: a plain number is a float64 0-d array, which stays on js.
    const scalar = binary('add', unary('abs', random([1])), 0.5);
    for (const op of binaryOps) {
      for (const [x, y] of [
        [a, b],
        [a, scalar],
        [scalar, b],
      ]) {
        const { js, gpu, threaded } = onBoth(() => binary(op, x, y));
        expect(elementwiseRelativeError(gpu, js)).toBeLessThan(1e-4);
        expect(threaded).toBe(1);
      }
    }
  });

  it('sum and logsumexp over the last axis, of 5000 rows (threaded) and of one long row', () => {
    if (!gpuAvailable) return;
    const rows = random([5000, 7]);
    for (const f of [(x: NDArray) => sum(x, { axis: 1 }), (x: NDArray) => logsumexp(x, { axis: 1 })]) {
      const { js, gpu, threaded } = onBoth(() => f(rows));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
      expect(threaded).toBe(1);
    }
    const long = binary('add', random([1 << 16]), 1);
    const total = onBoth(() => sum(long));
    expect(relativeError(total.gpu, total.js)).toBeLessThan(1e-5);
  });
  it('softmax and logSoftmax of [64, 80] logits of ±1e4', () => {
    if (!gpuAvailable) return;
    const x = binary('mul', random([64, 80]), 1e4);
    for (const f of [softmax, logSoftmax]) {
      const { js, gpu, threaded } = onBoth(() => f(x));
      expect(relativeError(gpu, js)).toBeLessThan(1e-4);
      expect(gpu.data.every((v) => Number.isFinite(v))).toBe(true);
      // Row max and row sum have 64 cells each; only the [64, 80] normalization is split.
      expect(threaded).toBe(1);
    }
  });
});

/** Threads of this process (Linux), or null where /proc is unavailable. */
function threadCount(): number | null {
  if (!existsSync('/proc/self/status')) return null;
  const match = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : null;
}

describe('async bridge resources and errors', () => {
  it('keeps 48 kernels and one pool of threads over 60 shapes', () => {
    if (!gpuAvailable) return;
    setBackend('gpu');
    unary('exp', random([4096]));
    const threadsBefore = threadCount();
    const before = gpuInfo()!;
    for (let i = 1; i <= 60; i++) unary('exp', random([4096 + 4 * i]));
    const after = gpuInfo()!;
    expect(after.kernels.compiled - before.kernels.compiled).toBe(60);
    expect(after.kernels.live).toBe(48);
    expect(after.kernels.compiled - after.kernels.destroyed).toBe(after.kernels.live);
    expect(after.threadedRuns - before.threadedRuns).toBe(60);
    // gpu.js alone would start a pool (a thread per core) for every kernel: 120 more threads.
    const threadsAfter = threadCount();
    if (threadsBefore !== null && threadsAfter !== null)
      expect(threadsAfter - threadsBefore).toBeLessThanOrEqual(2);
  });

  it('rethrows gpu.js errors on the calling thread, then keeps working; dispose ends its threads', async () => {
    if (!gpuAvailable) return;
    const { GPU } = createRequire(import.meta.url)('gpu.js') as {
      GPU: new (s: { mode: string }) => GpuInstance;
    };
    const sync = new LocalKernelRunner(new GPU({ mode: 'webasm' }), 'webasm');
    const threadsBefore = threadCount();
    const bridge = new BridgeKernelRunner();
    const args = [new Float32Array([1, 2, 3, 4])];
    for (const source of [
      'function (a) { return a[this.thread.x] +; }',
      'function (a) { return undefinedHelper(a[this.thread.x]); }',
    ]) {
      let syncMessage = '';
      try {
        sync.run(source, source, { output: [4] }, 4, args);
      } catch (error) {
        syncMessage = (error as Error).message;
      }
      expect(syncMessage).not.toBe('');
      expect(() => bridge.run(source, source, { output: [4] }, 4, args)).toThrow(
        `gpu.js (async bridge worker): ${syncMessage}`,
      );
    }
    const good = 'function (a) { return a[this.thread.x] * 2; }';
    expect(bridge.run('twice', good, { output: [4] }, 4, args)).toEqual(new Float32Array([2, 4, 6, 8]));
    expect(() => bridge.run('twice', good, { output: [4] }, 8, args)).toThrow(
      /kernel returned 4 values, expected 8/,
    );
    // A threaded run: the bridge worker and gpu.js's pool threads are running.
    const wide = bridge.run('wide', good, { output: [8192] }, 8192, [new Float32Array(8192).fill(1)]);
    expect(wide.every((v) => v === 2)).toBe(true);
    expect(bridge.stats().threaded).toBe(1);
    bridge.dispose();
    sync.dispose();
    expect(() => bridge.run('twice', good, { output: [4] }, 4, args)).toThrow(
      'gpu async bridge: the bridge was disposed',
    );
    if (threadsBefore === null) return;
    for (let i = 0; i < 100 && threadCount()! > threadsBefore; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(threadCount()).toBeLessThanOrEqual(threadsBefore);
  });

  it('does not keep a process alive: a script that ran threaded kernels exits on its own', () => {
    if (!gpuAvailable) return;
    const index = new URL('../../packages/tensor/src/index.ts', import.meta.url).pathname;
    const script = `
      import { gpuInfo, matmul, ones } from '${index}';
      const c = matmul(ones([128, 64]), ones([64, 128]));
      const info = gpuInfo();
      console.log(info.async, info.threadedRuns, c.data[0]);
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, XENT_BACKEND: 'gpu', XENT_GPU_ASYNC: '1', XENT_GPU_MIN_WORK: '0' },
    });
    // One threaded product, C = 64 everywhere; then the process ended by itself.
    expect(output.trim()).toBe('true 1 64');
  });
});
