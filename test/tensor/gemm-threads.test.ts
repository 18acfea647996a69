import { execFileSync } from 'node:child_process';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { gemm } from '../../packages/tensor/src/kernels/gemm.ts';
import {
  gemmThreadsProducts,
  gemmThreadsState,
  THREAD_MIN_WORK,
} from '../../packages/tensor/src/kernels/gemm-threads.ts';
import { gemmWasm } from '../../packages/tensor/src/kernels/gemm-wasm.ts';
import { WORKER_SOURCE } from '../../packages/tensor/src/kernels/gemm-worker.ts';

function filled(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = state / 1073741824 - 1;
  }
  return data;
}

/** Polls until the worker has instantiated the kernel (it starts when the kernel first loads). */
async function workerReady(): Promise<void> {
  gemmWasm(1, 1, 1, new Float32Array(1), 0, 1, 1, new Float32Array(1), 0, 1, 1, new Float32Array(1), 0);
  for (let waited = 0; gemmThreadsState() === 'starting' && waited < 20_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('wasm gemm on two threads', () => {
  // A worker that fails to parse would only ever be seen as "never ready": check it compiles.
  it('has a worker source that is valid JavaScript', () => {
    expect(() => new Script(WORKER_SOURCE)).not.toThrow();
  });

  it('splits large products with the worker and gets the TypeScript gemm’s numbers', async () => {
    await workerReady();
    expect(gemmThreadsState()).toBe('ready');
    const before = gemmThreadsProducts();
    // Odd sizes (rows not a multiple of the split), every layout, with and without accumulate.
    const shapes = [
      [203, 231, 97],
      [130, 300, 257],
      [517, 65, 129],
    ];
    let seed = 1;
    for (const [m, n, k] of shapes) {
      expect(m * n * k).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
      for (const [transA, transB] of [
        [false, false],
        [false, true],
        [true, false],
      ]) {
        for (const accumulate of [false, true]) {
          const a = filled(m * k, seed++);
          const b = filled(k * n, seed++);
          const initial = filled(m * n, seed++);
          const [aRow, aCol] = transA ? [1, m] : [k, 1];
          const [bRow, bCol] = transB ? [1, k] : [n, 1];
          const expected = Float64Array.from(initial);
          gemm(
            m,
            n,
            k,
            Float64Array.from(a),
            0,
            aRow,
            aCol,
            Float64Array.from(b),
            0,
            bRow,
            bCol,
            expected,
            0,
            accumulate,
          );
          const actual = initial.slice();
          gemmWasm(m, n, k, a, 0, aRow, aCol, b, 0, bRow, bCol, actual, 0, accumulate);
          let worst = 0;
          for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
          // Terms are below 1 in magnitude, so k·2⁻²³-ish rounding bounds the float32 error.
          expect(worst).toBeLessThan(k * 1e-6);
        }
      }
    }
    // The worker joins a product only if it wakes before the caller has claimed every chunk.
    expect(gemmThreadsProducts()).toBeGreaterThan(before);
    expect(gemmThreadsState()).toBe('ready');
  });

  it('stays exact over many back-to-back products of changing shapes (no stale job state)', async () => {
    await workerReady();
    const before = gemmThreadsProducts();
    const shapes = [
      [176, 190, 200],
      [260, 168, 161],
      [164, 333, 170],
    ];
    let seed = 100;
    let worst = 0;
    for (let round = 0; round < 30; round++) {
      const [m, n, k] = shapes[round % shapes.length];
      const accumulate = round % 4 === 3;
      const a = filled(m * k, seed++);
      const b = filled(k * n, seed++);
      const initial = filled(m * n, seed++);
      const expected = Float64Array.from(initial);
      gemm(m, n, k, Float64Array.from(a), 0, k, 1, Float64Array.from(b), 0, 1, k, expected, 0, accumulate);
      const actual = initial.slice();
      gemmWasm(m, n, k, a, 0, k, 1, b, 0, 1, k, actual, 0, accumulate);
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / k);
    }
    expect(worst).toBeLessThan(1e-6);
    expect(gemmThreadsProducts()).toBeGreaterThan(before);
    expect(gemmThreadsState()).toBe('ready');
  });

  it('splits float64 products too (pack64 / gemm64 on both threads)', async () => {
    await workerReady();
    const before = gemmThreadsProducts();
    let seed = 500;
    let worst = 0;
    for (const [m, n, k] of [
      [203, 231, 97],
      [130, 300, 257],
    ]) {
      for (const accumulate of [false, true]) {
        const a = Float64Array.from(filled(m * k, seed++));
        const b = Float64Array.from(filled(k * n, seed++));
        const initial = Float64Array.from(filled(m * n, seed++));
        const expected = initial.slice();
        gemm(m, n, k, a, 0, 1, m, b, 0, n, 1, expected, 0, accumulate);
        const actual = initial.slice();
        gemmWasm(m, n, k, a, 0, 1, m, b, 0, n, 1, actual, 0, accumulate);
        for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / k);
      }
    }
    expect(worst).toBeLessThan(1e-14);
    expect(gemmThreadsProducts()).toBeGreaterThan(before);
    expect(gemmThreadsState()).toBe('ready');
  });

  it('does not keep a process alive: a script that used the worker exits on its own', () => {
    const kernel = new URL('../../packages/tensor/src/kernels/gemm-wasm.ts', import.meta.url).pathname;
    const threads = new URL('../../packages/tensor/src/kernels/gemm-threads.ts', import.meta.url).pathname;
    const script = `
      import { gemmWasm } from '${kernel}';
      import { gemmThreadsProducts, gemmThreadsState } from '${threads}';
      const n = 768, a = new Float32Array(n * n).fill(1), c = new Float32Array(n * n);
      gemmWasm(n, n, n, a, 0, n, 1, a, 0, n, 1, c, 0);
      for (let i = 0; i < 400 && gemmThreadsState() !== 'ready'; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      gemmWasm(n, n, n, a, 0, n, 1, a, 0, n, 1, c, 0);
      console.log(gemmThreadsProducts(), c[0]);
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    // One product shared with the worker, and C = 768 everywhere; then the process ended by itself.
    expect(output.trim()).toBe('1 768');
  });
});
