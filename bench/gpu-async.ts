/**
 * matmul on the js backend, on gpu.js webasm run synchronously, and on gpu.js webasm `asyncMode`
 * through the bridge worker (configureGpu({ async: true })), interleaved in one process so that
 * a noisy machine slows all three alike; plus the bridge's round trip on a tiny op. Run by hand:
 * `pnpm exec tsx bench/gpu-async.ts [sizes…]` (default 256 512 1024); bench/NOTES.md has the
 * figures.
 */
import { loadavg } from 'node:os';
import { NDArray } from '@xent/tensor';
import { BridgeKernelRunner } from '../packages/tensor/src/backends/gpu/bridge.js';
import { type GpuInstance, loadGpuJsSync } from '../packages/tensor/src/backends/gpu/gpujs.js';
import { GpuKernels } from '../packages/tensor/src/backends/gpu/kernels.js';
import { LocalKernelRunner } from '../packages/tensor/src/backends/gpu/runner.js';
import { jsBackend } from '../packages/tensor/src/backends/js.js';

function random(shape: number[]): NDArray {
  const x = NDArray.empty(shape, 'float32');
  for (let i = 0; i < x.data.length; i++) x.data[i] = Math.random() - 0.5;
  return x;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Prints median ms and GFLOP/s per size for js, webasm sync and webasm async. */
export function benchGpuAsync(sizes: number[], repeats = 5): void {
  const gpujs = loadGpuJsSync();
  if (!gpujs) {
    console.log('gpu-async: gpu.js is unavailable here');
    return;
  }
  const sync = new GpuKernels(
    new LocalKernelRunner(new gpujs.GPU({ mode: 'webasm' }) as GpuInstance, 'webasm'),
  );
  const bridged = new GpuKernels(new BridgeKernelRunner());
  const runners: Array<[string, (a: NDArray, b: NDArray, out: NDArray) => void]> = [
    ['js', (a, b, out) => jsBackend.matmul(a, b, out)],
    ['webasm sync', (a, b, out) => sync.matmul(a, b, out)],
    ['webasm async', (a, b, out) => bridged.matmul(a, b, out)],
  ];
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(`median of ${repeats} calls after a compiling warm-up, interleaved`);
  for (const n of sizes) {
    const a = random([1, n, n]);
    const b = random([1, n, n]);
    const outs = runners.map(() => NDArray.empty([1, n, n]));
    // Warm-up: JIT, module compile, pool start.
    runners.forEach(([, run], i) => {
      run(a, b, outs[i]);
    });
    const times: number[][] = runners.map(() => []);
    for (let r = 0; r < repeats; r++) {
      runners.forEach(([, run], i) => {
        const start = performance.now();
        run(a, b, outs[i]);
        times[i].push(performance.now() - start);
      });
    }
    const cells = runners.map(([name], i) => {
      const ms = median(times[i]);
      return `${name} ${ms.toFixed(1)} ms (${((2 * n ** 3) / ms / 1e6).toFixed(2)} GFLOP/s)`;
    });
    let worst = 0;
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(outs[2].data[i] - outs[0].data[i]));
    console.log(`${n}: ${cells.join(' | ')} | max |async − js| ${worst.toExponential(1)}`);
  }
  // Round trip of the bridge on an op too small to be split: 8×8×8.
  const a = random([1, 8, 8]);
  const out = NDArray.empty([1, 8, 8]);
  for (const [name, kernels] of [
    ['sync', sync],
    ['async', bridged],
  ] as const) {
    kernels.matmul(a, a, out);
    const times: number[] = [];
    for (let r = 0; r < 200; r++) {
      const start = performance.now();
      kernels.matmul(a, a, out);
      times.push(performance.now() - start);
    }
    console.log(`8×8×8 on webasm ${name}: ${(median(times) * 1000).toFixed(0)} µs per call (median of 200)`);
  }
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  sync.dispose();
  bridged.dispose();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  benchGpuAsync(sizes.length > 0 ? sizes : [256, 512, 1024]);
}
