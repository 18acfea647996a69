/**
 * The `gpu` and `auto` backends. Neither loads gpu.js until it is selected; both route small
 * or non-float32 ops to the js backend.
 *
 * - `gpu`: every eligible op whose work reaches a fixed floor runs on gpu.js
 *   (`XENT_GPU_MIN_WORK` overrides the floor for all kernel classes; 0 sends everything).
 * - `auto`: per kernel class, the first op that could go either way triggers a one-off timing
 *   of a few sizes on both backends; ops then go to whichever was faster at their size.
 *
 * Either runs its kernels on the calling thread, or (opt-in, Node, webasm) in gpu.js's
 * `asyncMode` worker pool behind the synchronous bridge of bridge.ts.
 */
import { type Backend, type BackendLoader, environment } from '../../backend.js';
import { ValueError } from '../../errors.js';
import { BridgeKernelRunner, checkBridge } from './bridge.js';
import { type Calibration, calibrate } from './calibrate.js';
import {
  chooseMode,
  type GpuJsModule,
  type GpuMode,
  gpuJsLoadError,
  loadGpuJs,
  loadGpuJsSync,
} from './gpujs.js';
import { GpuKernels } from './kernels.js';
import { emptyCounts, KERNEL_CLASSES, type KernelClass, type RouteCounts, routedBackend } from './routing.js';
import { LocalKernelRunner } from './runner.js';

/** Default minimum work sent to gpu by the `gpu` backend (a gpu.js call costs 0.2–4 ms). */
export const GPU_MIN_WORK: Readonly<Record<KernelClass, number>> = {
  matmul: 64 ** 3,
  unary: 2 ** 16,
  binary: 2 ** 16,
  reduce: 2 ** 16,
  softmax: 2 ** 16,
};

/** What the gpu backends are doing, for tests, benchmarks and bug reports. */
export interface GpuInfo {
  /** gpu.js mode the kernels run in. */
  mode: GpuMode;
  /**
   * True when kernels run behind the synchronous bridge: gpu.js's `asyncMode` worker pool, or
   * mode `webgpu`.
   */
  async: boolean;
  /** The WebGPU adapter Dawn gave (vendor, architecture, description) in mode `webgpu`; '' otherwise or before the first run. */
  adapter: string;
  /** Kernel runs gpu.js split over its worker pool (`asyncMode`, outputs of ≥ 4096 cells); 0 when not async. */
  threadedRuns: number;
  /** Kernels alive, compiled and destroyed so far. */
  kernels: { live: number; compiled: number; destroyed: number };
  /** Ops routed to gpu / js per kernel class, counted since load. */
  routes: RouteCounts;
  /** Minimum work routed to gpu per kernel class by the `gpu` backend. */
  gpuThresholds: Record<KernelClass, number>;
  /** `auto` calibrations done so far (one per kernel class, on first need). */
  calibrations: Calibration[];
}

interface GpuState {
  kernels: GpuKernels;
  routes: RouteCounts;
  gpuThresholds: Record<KernelClass, number>;
  calibrations: Map<KernelClass, Calibration>;
  gpu: Backend;
  auto: Backend;
}

let state: GpuState | null = null;

/**
 * Settings of the gpu backends, for where environment variables do not reach (a bundled
 * browser page: Vite replaces `process.env` with `{}`). Each overrides its variable.
 */
export interface GpuOptions {
  /**
   * gpu.js mode, as `XENT_GPU_MODE`: `'webasm' | 'webgl2' | 'webgl' | 'headlessgl' | 'cpu' |
   * 'webgpu'`. `'webgpu'` runs behind the async bridge (Node only) and needs the `webgpu` package.
   */
  mode?: GpuMode;
  /** Minimum work the `gpu` backend sends to gpu.js, every kernel class; as `XENT_GPU_MIN_WORK`. */
  minWork?: number;
  /**
   * Run kernels in gpu.js's `asyncMode`, as `XENT_GPU_ASYNC=1`: webasm kernels with outputs of
   * at least 4096 cells are split over gpu.js's worker pool (one thread per core), in a bridge
   * worker thread the calling thread blocks on, so ops stay synchronous. Node only, and only
   * with mode `'webasm'` (the default there); anything else throws a ValueError. Off by
   * default: on a CPU it does not beat the js backend (packages/tensor/GPU.md).
   */
  async?: boolean;
}

let options: GpuOptions = {};

/**
 * Sets {@link GpuOptions} for the gpu backends. Call it before the first
 * `setBackend` / `loadBackend` of `'gpu'` or `'auto'`: gpu.js starts once per realm.
 *
 * @throws ValueError once gpu.js has started; for `async: true` with a mode other than
 * `'webasm'`, or where the async bridge cannot run (no worker_threads, SharedArrayBuffer or
 * `Atomics.wait`: a browser).
 */
export function configureGpu(next: GpuOptions): void {
  if (state) {
    throw new ValueError(
      `configureGpu: gpu.js already started in mode '${state.kernels.mode}'; expected configureGpu before the first setBackend/loadBackend of 'gpu' or 'auto'`,
    );
  }
  const merged = { ...options, ...next };
  if (merged.mode === 'webgpu') checkBridge("configureGpu({ mode: 'webgpu' })", merged.mode, 'mode');
  else if (merged.async === true) checkBridge('configureGpu({ async: true })', merged.mode, 'mode');
  options = merged;
}

/**
 * Whether kernels run in `asyncMode` (`configureGpu({ async })`, else `XENT_GPU_ASYNC`), and
 * which setting asked for it.
 */
function asyncSetting(): { async: boolean; setting: string } {
  if (options.async !== undefined) return { async: options.async, setting: 'configureGpu({ async: true })' };
  const value = environment('XENT_GPU_ASYNC');
  if (value === undefined || value === '0' || value === 'false') return { async: false, setting: '' };
  if (value === '1' || value === 'true') return { async: true, setting: `XENT_GPU_ASYNC=${value}` };
  throw new ValueError(
    `XENT_GPU_ASYNC is '${value}'; expected 1 (or true) for async, 0 (or false) or unset for sync`,
  );
}

function minWork(): Record<KernelClass, number> {
  const override = options.minWork ?? environment('XENT_GPU_MIN_WORK');
  const floor = override === undefined ? Number.NaN : Number(override);
  const thresholds = { ...GPU_MIN_WORK };
  if (Number.isFinite(floor)) for (const cls of KERNEL_CLASSES) thresholds[cls] = floor;
  return thresholds;
}

function createState(gpujs: GpuJsModule): GpuState {
  if (state) return state;
  const requestedMode = options.mode ?? environment('XENT_GPU_MODE');
  const mode = chooseMode(gpujs, requestedMode);
  const { async, setting } = asyncSetting();
  const modeSetting = options.mode ? 'mode' : requestedMode ? 'XENT_GPU_MODE' : 'the chosen mode';
  // WebGPU reads results back through Promises only, so it always runs behind the bridge.
  if (mode === 'webgpu') checkBridge(`${modeSetting} 'webgpu'`, mode, modeSetting);
  else if (async) checkBridge(setting, mode, modeSetting);
  const runner =
    async || mode === 'webgpu'
      ? new BridgeKernelRunner(mode === 'webgpu' ? 'webgpu' : 'webasm')
      : new LocalKernelRunner(new gpujs.GPU({ mode }), mode);
  const kernels = new GpuKernels(runner);
  const routes = emptyCounts();
  const gpuThresholds = minWork();
  const calibrations = new Map<KernelClass, Calibration>();
  const measured = (cls: KernelClass, work: number): number => {
    // Ops far below any size gpu.js could win at never pay for calibration.
    if (work < GPU_MIN_WORK[cls] / 16) return Number.POSITIVE_INFINITY;
    let found = calibrations.get(cls);
    if (!found) {
      found = calibrate(kernels, cls);
      calibrations.set(cls, found);
    }
    return found.threshold;
  };
  state = {
    kernels,
    routes,
    gpuThresholds,
    calibrations,
    gpu: routedBackend('gpu', kernels, (cls) => gpuThresholds[cls], routes),
    auto: routedBackend('auto', kernels, measured, routes),
  };
  return state;
}

let stateError = '';

function start(gpujs: GpuJsModule | null): GpuState | null {
  if (!gpujs) return null;
  try {
    return createState(gpujs);
  } catch (error) {
    stateError = `gpu.js could not start (${error instanceof Error ? error.message.split('\n')[0] : error})`;
    return null;
  }
}

function loader(pick: (s: GpuState) => Backend): BackendLoader {
  return {
    loadSync() {
      const loaded = start(loadGpuJsSync());
      return loaded ? pick(loaded) : null;
    },
    async load() {
      const loaded = start(await loadGpuJs());
      return loaded ? pick(loaded) : null;
    },
    error: () => stateError || gpuJsLoadError(),
  };
}

/** Loaders for `setBackend('gpu')` and `setBackend('auto')`. */
export const gpuLoaders: Readonly<Record<'gpu' | 'auto', BackendLoader>> = {
  gpu: loader((s) => s.gpu),
  auto: loader((s) => s.auto),
};

/**
 * State of the gpu backends, or null while gpu.js is not loaded. `calibrate: true` runs the
 * `auto` timings for every kernel class now (they otherwise run on first need).
 */
export function gpuInfo(options: { calibrate?: boolean } = {}): GpuInfo | null {
  if (!state) return null;
  if (options.calibrate) {
    for (const cls of KERNEL_CLASSES) {
      if (!state.calibrations.has(cls)) state.calibrations.set(cls, calibrate(state.kernels, cls));
    }
  }
  const { live, compiled, destroyed, threaded, adapter } = state.kernels.stats();
  return {
    mode: state.kernels.mode,
    async: state.kernels.async,
    adapter: adapter ?? '',
    threadedRuns: threaded,
    kernels: { live, compiled, destroyed },
    routes: state.routes,
    gpuThresholds: { ...state.gpuThresholds },
    calibrations: [...state.calibrations.values()],
  };
}
