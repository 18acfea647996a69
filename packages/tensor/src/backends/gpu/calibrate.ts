/**
 * `auto` routing: for each kernel class, time a few sizes once per process on js and on
 * gpu.js, and route ops at or above the smallest size from which gpu stays faster.
 */
import type { Backend } from '../../backend.js';
import { NDArray } from '../../ndarray.js';
import { jsBackend } from '../js.js';
import type { GpuKernels } from './kernels.js';
import { type KernelClass, routedBackend, type Work } from './routing.js';

/** One timed size of one kernel class. */
export interface Timing {
  /** Human-readable size, e.g. `256×256×256`. */
  size: string;
  /** Work in routing units (see {@link Work}). */
  work: Work;
  /** Median milliseconds per call on the js backend. */
  jsMs: number;
  /** Median milliseconds per call on gpu.js (after a warm-up call that compiles). */
  gpuMs: number;
}

/** What calibration measured for one kernel class and the threshold it chose. */
export interface Calibration {
  kernel: KernelClass;
  timings: Timing[];
  /** Smallest work routed to gpu (Infinity: gpu never won). */
  threshold: number;
}

interface Probe {
  size: string;
  work: Work;
  run(backend: Backend): void;
}

function random(shape: number[], seed: number): NDArray {
  const out = NDArray.empty(shape, 'float32');
  const data = out.data;
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

function probes(kernel: KernelClass): Probe[] {
  switch (kernel) {
    case 'matmul':
      return [32, 64, 128, 256].map((n) => {
        const a = random([1, n, n], 1);
        const b = random([1, n, n], 2);
        const out = NDArray.empty([1, n, n]);
        return { size: `${n}×${n}×${n}`, work: n ** 3, run: (be) => be.matmul(a, b, out) };
      });
    case 'unary':
    case 'binary':
      return [2 ** 12, 2 ** 16, 2 ** 20].map((n) => {
        const a = random([n], 3);
        const b = random([n], 4);
        const out = NDArray.empty([n]);
        const run =
          kernel === 'unary'
            ? (be: Backend) => be.unary('exp', a, out, 0, 0)
            : (be: Backend) => be.binary('add', a, b, out);
        return { size: `${n}`, work: n, run };
      });
    case 'reduce':
    case 'softmax':
      return [64, 256, 1024].map((n) => {
        const a = random([n, n], 5);
        const out = NDArray.empty(kernel === 'reduce' ? [n] : [n, n]);
        const run =
          kernel === 'reduce'
            ? (be: Backend) => be.reduce('sum', a, n, n, out)
            : (be: Backend) => be.softmax(a, n, n, out, true);
        return { size: `${n}×${n}`, work: n * n, run };
      });
  }
}

function median(times: number[]): number {
  const sorted = [...times].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => void, repeats: number): number {
  run(); // warm-up: JIT on js, module compile on gpu.js
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Times `kernel` on js and on gpu (forced) and picks the crossover. */
export function calibrate(kernels: GpuKernels, kernel: KernelClass): Calibration {
  const forced = routedBackend('gpu-forced', kernels, () => 0, {
    gpu: { matmul: 0, unary: 0, binary: 0, reduce: 0, softmax: 0 },
    js: { matmul: 0, unary: 0, binary: 0, reduce: 0, softmax: 0 },
  });
  const timings = probes(kernel).map((probe) => ({
    size: probe.size,
    work: probe.work,
    jsMs: time(() => probe.run(jsBackend), 3),
    gpuMs: time(() => probe.run(forced), 3),
  }));
  // The smallest measured size from which gpu wins at every larger measured size.
  let threshold = Number.POSITIVE_INFINITY;
  for (let i = timings.length - 1; i >= 0 && timings[i].gpuMs < timings[i].jsMs; i--) {
    threshold = timings[i].work;
  }
  return { kernel, timings, threshold };
}
