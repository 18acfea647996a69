/**
 * Guards for the gpu.js bugs listed in issue 9. xent's kernels are built so none of them can
 * bite: each test checks that design choice, and where gpu.js can run here, the behaviour
 * xent depends on.
 *
 * 1. `input()` then a pipeline texture on the same WebGL2 kernel throws → xent never uses
 *    `pipeline` and passes plain Float32Arrays, never `input()`.
 * 2. `dynamicOutput` growing past the built size silently keeps the old shape → xent never
 *    resizes a kernel: one kernel per shape, and every result's length is checked.
 * 3. gpu.js's types reject Float32Array in `Input` and type async results as plain values →
 *    xent types the surface itself (gpujs.ts) and refuses a Promise where a value is due.
 */
import { createRequire } from 'node:module';
import { NDArray } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import type {
  GpuInstance,
  GpuKernel,
  GpuKernelSettings,
} from '../../packages/tensor/src/backends/gpu/gpujs.js';
import { GpuKernels } from '../../packages/tensor/src/backends/gpu/kernels.js';
import { flatten, LocalKernelRunner } from '../../packages/tensor/src/backends/gpu/runner.js';
import { gpuAvailable } from './helpers.js';

/** A fake GPU that records every kernel xent asks for and returns zeros of the right size. */
function recordingGpu(result?: (cells: number) => unknown): {
  gpu: GpuInstance;
  created: GpuKernelSettings[];
} {
  const created: GpuKernelSettings[] = [];
  const gpu: GpuInstance = {
    mode: 'webgl2',
    createKernel(_source, settings) {
      created.push(settings);
      const cells = settings.output.reduce((x, y) => x * y, 1) * (settings.returnType === 'Array(4)' ? 4 : 1);
      const kernel = ((...args: Array<Float32Array | number>) => {
        for (const arg of args) expect(typeof arg === 'number' || arg instanceof Float32Array).toBe(true);
        return result ? result(cells) : new Float32Array(cells);
      }) as GpuKernel;
      Object.assign(kernel, { destroy() {}, setOutput: () => kernel });
      return kernel;
    },
    destroy() {},
  };
  return { gpu, created };
}

function runEveryKernel(kernels: GpuKernels): void {
  const a = NDArray.empty([2, 5, 6]);
  const b = NDArray.empty([2, 6, 3]);
  kernels.matmul(a, b, NDArray.empty([2, 5, 3]));
  kernels.unary('exp', a, NDArray.empty([2, 5, 6]), 0, 0);
  kernels.binary('add', 'full', a, a, NDArray.empty([2, 5, 6]));
  kernels.reduce('sum', a, 10, 6, NDArray.empty([10]));
  kernels.softmax(a, 10, 6, NDArray.empty([10, 6]), true);
}

describe('gpu.js bug guards', () => {
  it('bug 1: no kernel uses pipeline textures or input(); arguments are plain Float32Arrays', () => {
    const { gpu, created } = recordingGpu();
    runEveryKernel(new GpuKernels(new LocalKernelRunner(gpu, 'webgl2')));
    expect(created.length).toBe(7);
    for (const settings of created) expect(settings).not.toHaveProperty('pipeline');
  });

  it('bug 2: no kernel is resized; a new shape compiles a new kernel', () => {
    const { gpu, created } = recordingGpu();
    const kernels = new GpuKernels(new LocalKernelRunner(gpu, 'webgl2'));
    for (const n of [4, 8, 16]) kernels.unary('exp', NDArray.empty([n]), NDArray.empty([n]), 0, 0);
    expect(created.map((s) => s.output)).toEqual([[4], [8], [16]]);
    for (const settings of created) expect(settings.dynamicOutput ?? false).toBe(false);
  });

  it('bug 2: a result of the wrong length is an error, never a silently stale shape', () => {
    const { gpu } = recordingGpu((cells) => new Float32Array(Math.max(1, cells / 2)));
    const kernels = new GpuKernels(new LocalKernelRunner(gpu, 'webgl2'));
    expect(() => kernels.unary('exp', NDArray.empty([8]), NDArray.empty([8]), 0, 0)).toThrow(
      /kernel returned 4 values, expected 8/,
    );
    expect(() => flatten([new Float32Array(3), new Float32Array(3)], 8)).toThrow(
      /returned 6 values, expected 8/,
    );
  });

  it('bug 3: an async (Promise) result where a value is due is refused', () => {
    const { gpu } = recordingGpu((cells) => Promise.resolve(new Float32Array(cells)));
    const kernels = new GpuKernels(new LocalKernelRunner(gpu, 'webgl2'));
    expect(() => kernels.unary('exp', NDArray.empty([4]), NDArray.empty([4]), 0, 0)).toThrow(
      /unexpectedly returned a Promise/,
    );
  });

  it('gpu.js itself: Float32Array inputs, dynamicOutput growth and asyncMode behave as xent assumes', () => {
    if (!gpuAvailable) {
      expect(() => createRequire(import.meta.url)('gpu.js')).toThrow();
      return;
    }
    type Kernel = ((...args: unknown[]) => unknown) & { setOutput(o: number[]): void; destroy(): void };
    const { GPU, input } = createRequire(import.meta.url)('gpu.js') as {
      GPU: new (s: {
        mode: string;
      }) => {
        createKernel(f: string, s: Record<string, unknown>): Kernel;
        destroy(): void;
      };
      input(value: Float32Array, size: number[]): unknown;
    };
    const gpu = new GPU({ mode: 'webasm' });
    // Typed as number[] in gpu.js's d.ts, but a Float32Array works at run time.
    const twice = gpu.createKernel('function (a) { return a[this.thread.y][this.thread.x] * 2; }', {
      output: [3, 2],
    });
    expect(twice(input(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]))).toEqual([
      new Float32Array([2, 4, 6]),
      new Float32Array([8, 10, 12]),
    ]);
    // On webasm, growing a dynamicOutput kernel works (the bug is WebGL2's); xent relies on neither.
    const grow = gpu.createKernel('function (a) { return a[this.thread.x] + 1; }', {
      output: [2],
      dynamicOutput: true,
      dynamicArguments: true,
    });
    expect(grow(new Float32Array([1, 2]))).toEqual(new Float32Array([2, 3]));
    grow.setOutput([4]);
    expect(grow(new Float32Array([1, 2, 3, 4]))).toEqual(new Float32Array([2, 3, 4, 5]));
    // asyncMode returns a Promise although the d.ts says KernelOutput.
    const later = gpu.createKernel('function (a) { return a[this.thread.x]; }', {
      output: [2],
      asyncMode: true,
    });
    expect(later(new Float32Array([7, 8]))).toBeInstanceOf(Promise);
    gpu.destroy();
  });
});
