/**
 * Where gpu.js kernels compile and run: the one seam between the ops in kernels.ts and gpu.js.
 * {@link LocalKernelRunner} runs them on the calling thread (the synchronous gpu backend);
 * the async bridge (bridge.ts) runs them in a worker thread with gpu.js's `asyncMode` pool.
 */
import type { GpuInstance, GpuKernel, GpuKernelResult, GpuKernelSettings, GpuMode } from './gpujs.js';

/** Kernel counts of a runner, for leak checks and `gpuInfo()`. */
export interface KernelStats {
  /** Kernels alive now. */
  live: number;
  /** Kernels compiled since the runner started. */
  compiled: number;
  /** Kernels destroyed (evicted or disposed) since the runner started. */
  destroyed: number;
  /** Runs that gpu.js split over its worker pool (`_lastRunPath === 'threaded'`); 0 when synchronous. */
  threaded: number;
  /** The WebGPU adapter in mode `webgpu` (reported by the bridge worker); absent otherwise. */
  adapter?: string;
}

/** Compiles gpu.js kernels once per key and runs them, returning flat float32 results. */
export interface KernelRunner {
  /** gpu.js mode the kernels run in. */
  readonly mode: GpuMode;
  /** True when kernels run in gpu.js's `asyncMode`, behind a synchronous bridge. */
  readonly async: boolean;
  /**
   * Runs the kernel cached under `key` (compiled from `source` and `settings` on first use)
   * on `args`, and returns its output as one flat Float32Array of `length` values.
   */
  run(
    key: string,
    source: string,
    settings: GpuKernelSettings,
    length: number,
    args: ReadonlyArray<Float32Array | number>,
  ): Float32Array;
  /** Kernels alive now, and compiled/destroyed/threaded since creation. */
  stats(): KernelStats;
  /** Destroys every kernel and whatever runs them. */
  dispose(): void;
}

/** The default number of kernels kept compiled: each holds a wasm memory (or textures). */
export const KERNEL_CACHE_LIMIT = 48;

/**
 * Kernels on the calling thread, on one `GPU` instance: an LRU cache of {@link KERNEL_CACHE_LIMIT}
 * kernels, destroyed on eviction so wasm memories, textures and worker pools stay bounded
 * however many shapes a program uses.
 */
export class LocalKernelRunner implements KernelRunner {
  /** gpu.js mode the kernels run in. */
  readonly mode: GpuMode;
  /** Always false: kernels return their results synchronously. */
  readonly async = false;
  private readonly gpu: GpuInstance;
  private readonly cache = new Map<string, GpuKernel>();
  private readonly cacheLimit: number;
  private compiled = 0;
  private destroyed = 0;

  constructor(gpu: GpuInstance, mode: GpuMode, cacheLimit = KERNEL_CACHE_LIMIT) {
    this.gpu = gpu;
    this.mode = mode;
    this.cacheLimit = cacheLimit;
  }

  /** Kernels alive now, and compiled/destroyed since creation. */
  stats(): KernelStats {
    return { live: this.cache.size, compiled: this.compiled, destroyed: this.destroyed, threaded: 0 };
  }

  /** Destroys every kernel and the gpu.js instance. */
  dispose(): void {
    for (const kernel of this.cache.values()) kernel.destroy();
    this.destroyed += this.cache.size;
    this.cache.clear();
    void this.gpu.destroy();
  }

  /** Runs the kernel under `key` and returns its output as one flat Float32Array of `length` values. */
  run(
    key: string,
    source: string,
    settings: GpuKernelSettings,
    length: number,
    args: ReadonlyArray<Float32Array | number>,
  ): Float32Array {
    const kernel = this.kernel(key, source, settings);
    // webasm builds lazily on the first call; after that, skip gpu.js's nested reshaping.
    const result = kernel(...args);
    if (result instanceof Promise) throw new Error('gpu backend: kernel unexpectedly returned a Promise');
    const inner = kernel.kernel;
    if (inner?._shapeOutput && this.mode === 'webasm') inner._shapeOutput = (data) => data;
    return flatten(result, length);
  }

  private kernel(key: string, source: string, settings: GpuKernelSettings): GpuKernel {
    let kernel = this.cache.get(key);
    if (kernel) {
      this.cache.delete(key); // re-insert: most recently used last
      this.cache.set(key, kernel);
      return kernel;
    }
    kernel = this.gpu.createKernel(source, { precision: 'single', ...settings });
    this.compiled++;
    this.cache.set(key, kernel);
    while (this.cache.size > this.cacheLimit) {
      const [oldestKey, oldest] = this.cache.entries().next().value as [string, GpuKernel];
      this.cache.delete(oldestKey);
      oldest.destroy();
      this.destroyed++;
    }
    return kernel;
  }
}

/** Copies a (possibly nested) kernel result into one flat Float32Array of `length` values. */
export function flatten(result: GpuKernelResult, length: number): Float32Array {
  if (result instanceof Float32Array) {
    if (result.length < length)
      throw new Error(`gpu backend: kernel returned ${result.length} values, expected ${length}`);
    return result.length === length ? result : result.subarray(0, length);
  }
  const target = new Float32Array(length);
  let filled = 0;
  const walk = (node: GpuKernelResult): void => {
    if (node instanceof Float32Array) {
      target.set(node, filled);
      filled += node.length;
    } else for (const child of node) walk(child);
  };
  walk(result);
  if (filled !== length) throw new Error(`gpu backend: kernel returned ${filled} values, expected ${length}`);
  return target;
}
