/**
 * The async bridge: gpu.js `asyncMode` (webasm kernels split over gpu.js's worker pool) behind
 * the synchronous Backend interface. A bridge worker thread owns gpu.js (bridge-worker.ts); the
 * calling thread posts each run on a MessagePort, blocks in `Atomics.wait` on a
 * SharedArrayBuffer counter until the worker notifies, and takes the reply synchronously with
 * `receiveMessageOnPort`.
 *
 * Node only: worker_threads is reached through `process.getBuiltinModule`, as in
 * kernels/gemm-threads.ts, so browser bundles never see it. The worker is unref'd, so it never
 * keeps a process alive.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { ValueError } from '../../errors.js';
import {
  BRIDGE_SLOT_COUNT,
  BRIDGE_SLOTS,
  BRIDGE_SPIN_MS,
  BRIDGE_WORKER_SOURCE,
  type BridgeReply,
  type BridgeRequest,
} from './bridge-worker.js';
import type { GpuKernelSettings, GpuMode } from './gpujs.js';
import { flatten, KERNEL_CACHE_LIMIT, type KernelRunner, type KernelStats } from './runner.js';

/** How long one `Atomics.wait` lasts before the caller checks the worker's heartbeat again. */
const WAIT_SLICE_MS = 50;
/**
 * The worker is declared dead after this long without a heartbeat or a reply. It ticks every
 * 100 ms while gpu.js's pool runs; only a synchronous stretch in the worker (compiling a module,
 * or running an output below gpu.js's 4096-cell threading floor) pauses it, for milliseconds.
 */
const SILENCE_MS = 15_000;
/** The first reply may also wait for the worker to start and load gpu.js (slow on a busy machine). */
const START_MS = 30_000;

type NodeProcess = { getBuiltinModule?: (id: string) => unknown };

/** worker_threads, when this is Node with process.getBuiltinModule (20.16+); else undefined. */
function workerThreads(): typeof WorkerThreads | undefined {
  const host = globalThis as { process?: NodeProcess };
  return host.process?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
}

/**
 * What the bridge needs and this realm lacks ('' when nothing): worker_threads (Node), shared
 * memory, and a thread allowed to block in `Atomics.wait` (not a browser's main thread).
 */
export function bridgeUnsupported(): string {
  const missing: string[] = [];
  if (typeof SharedArrayBuffer !== 'function') missing.push('SharedArrayBuffer');
  if (typeof Atomics !== 'object' || typeof Atomics.wait !== 'function') missing.push('Atomics.wait');
  const threads = workerThreads();
  if (!threads || typeof threads.receiveMessageOnPort !== 'function') missing.push('node:worker_threads');
  return missing.join(', ');
}

/**
 * Checks that the bridge can run `mode` here: gpu.js `asyncMode` (webasm) or `webgpu`. `setting`
 * names where the request came from (`configureGpu({ async: true })`, `XENT_GPU_ASYNC=1`,
 * `XENT_GPU_MODE 'webgpu'`) and `modeSetting` where the mode did.
 *
 * @throws ValueError when the mode is neither webasm nor webgpu, or the bridge cannot run in this
 * realm.
 */
export function checkBridge(setting: string, mode: GpuMode | undefined, modeSetting: string): void {
  if (mode !== undefined && mode !== 'webasm' && mode !== 'webgpu') {
    throw new ValueError(
      `${setting}: ${modeSetting} is '${mode}'; expected 'webasm' (gpu.js runs asyncMode kernels on its worker pool only in webasm)`,
    );
  }
  const missing = bridgeUnsupported();
  if (missing) {
    const why =
      mode === 'webgpu'
        ? "WebGPU hands results back only through Promises and xent's ops are synchronous; in a browser use webgl2, which is chosen by default on a hardware GPU"
        : "a browser's main thread cannot block on gpu.js's workers";
    throw new ValueError(
      `${setting}: this realm has no ${missing}; expected Node with worker_threads, SharedArrayBuffer and Atomics.wait (${why})`,
    );
  }
}

/**
 * Where the optional `webgpu` package (Dawn for Node) is installed: resolved from xent, then from
 * the working directory (the user's project); '' when it is not installed.
 */
function webgpuPath(): string {
  const host = globalThis as { process?: NodeProcess & { cwd(): string } };
  const nodeModule = host.process?.getBuiltinModule?.('node:module') as
    | { createRequire(url: string): { resolve(id: string): string } }
    | undefined;
  if (!nodeModule || !host.process) return '';
  for (const base of [import.meta.url, `${host.process.cwd()}/`]) {
    try {
      return nodeModule.createRequire(base).resolve('webgpu');
    } catch {}
  }
  return '';
}

/**
 * Dawn's OpenGL ES backend (the software fallback on a Linux machine without a Vulkan GPU) finds
 * no display on a headless machine unless EGL is told to run surfaceless. Set for the process
 * (native code reads the real environment) only when nothing chose an EGL platform or a display.
 */
function prepareHeadlessEgl(): void {
  type Env = Record<string, string | undefined>;
  const host = globalThis as { process?: { platform: string; env: Env } };
  const env = host.process?.env;
  if (host.process?.platform !== 'linux' || !env) return;
  if (env.EGL_PLATFORM === undefined && env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined)
    env.EGL_PLATFORM = 'surfaceless';
}

/** The resolved gpu.js entry file, which the worker requires by path (eval workers resolve from cwd). */
function gpuJsPath(): string {
  const host = globalThis as { process?: NodeProcess };
  const nodeModule = host.process?.getBuiltinModule?.('node:module') as
    | { createRequire(url: string): { resolve(id: string): string } }
    | undefined;
  if (!nodeModule) throw new Error('gpu async bridge: node:module is unavailable');
  return nodeModule.createRequire(import.meta.url).resolve('gpu.js');
}

/**
 * Kernels in a bridge worker, run synchronously from the calling thread: gpu.js `asyncMode`
 * webasm kernels (split over gpu.js's worker pool), or `webgpu` kernels (Dawn through the
 * optional `webgpu` package). Each run copies its array arguments into the request (transferred,
 * not cloned again) and gets the result's buffer transferred back.
 */
export class BridgeKernelRunner implements KernelRunner {
  /** `webasm` (gpu.js's worker pool) or `webgpu`. */
  readonly mode: GpuMode;
  /** Always true. */
  readonly async = true;
  private readonly worker: WorkerThreads.Worker;
  private readonly port: WorkerThreads.MessagePort;
  private readonly receive: typeof WorkerThreads.receiveMessageOnPort;
  private readonly flags: Int32Array;
  private nextId = 1;
  private lastStats: KernelStats = { live: 0, compiled: 0, destroyed: 0, threaded: 0 };
  /** Why the worker cannot answer any more ('' while it can). */
  private failure = '';

  /**
   * Starts the worker; it loads gpu.js (and for webgpu, Dawn) in the background while the caller
   * goes on.
   *
   * @throws ValueError for `webgpu` when the `webgpu` package is not installed.
   */
  constructor(mode: 'webasm' | 'webgpu' = 'webasm', cacheLimit = KERNEL_CACHE_LIMIT) {
    const threads = workerThreads();
    if (!threads) throw new Error('gpu async bridge: node:worker_threads is unavailable');
    this.mode = mode;
    const dawnPath = mode === 'webgpu' ? webgpuPath() : '';
    if (mode === 'webgpu' && !dawnPath) {
      throw new ValueError(
        "gpu mode 'webgpu': the webgpu package (Dawn for Node) is not installed; expected it installed beside xent (npm install webgpu)",
      );
    }
    if (mode === 'webgpu') prepareHeadlessEgl();
    const control = new SharedArrayBuffer(4 * BRIDGE_SLOT_COUNT);
    const { port1, port2 } = new threads.MessageChannel();
    // No inherited execArgv: the worker is plain CommonJS, and a TypeScript loader (tsx,
    // vitest) would only slow its start or misread its source.
    this.worker = new threads.Worker(BRIDGE_WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { gpuPath: gpuJsPath(), mode, webgpuPath: dawnPath, port: port2, control, cacheLimit },
      transferList: [port2],
    });
    this.worker.unref();
    port1.unref();
    this.worker.on('error', (error) => {
      this.failure ||= `the worker failed (${error.message.split('\n')[0]})`;
    });
    this.worker.on('exit', (code) => {
      this.failure ||= `the worker exited with code ${code}`;
    });
    this.port = port1;
    this.receive = threads.receiveMessageOnPort;
    this.flags = new Int32Array(control);
  }

  /** Kernels alive in the worker, and compiled/destroyed/threaded there, as of the last reply. */
  stats(): KernelStats {
    return { ...this.lastStats };
  }

  /** Terminates the worker (with its kernels and gpu.js's pool threads). */
  dispose(): void {
    this.failure ||= 'the bridge was disposed';
    this.port.close();
    void this.worker.terminate();
  }

  /** Runs the kernel under `key` in the worker and blocks until its `length` values are back. */
  run(
    key: string,
    source: string,
    settings: GpuKernelSettings,
    length: number,
    args: ReadonlyArray<Float32Array | number>,
  ): Float32Array {
    if (this.failure) throw new Error(`gpu async bridge: ${this.failure}`);
    const transfer: ArrayBuffer[] = [];
    // A copy of each array: the views are usually slices of larger buffers, which cloning would
    // copy whole; the copy is transferred, so nothing is copied twice.
    const posted = args.map((arg) => {
      if (typeof arg === 'number') return arg;
      const copy = arg.slice();
      transfer.push(copy.buffer);
      return copy;
    });
    const request: BridgeRequest = { id: this.nextId++, key, source, settings, length, args: posted };
    const seen = Atomics.load(this.flags, BRIDGE_SLOTS.replies);
    this.port.postMessage(request, transfer);
    Atomics.add(this.flags, BRIDGE_SLOTS.requests, 1);
    Atomics.notify(this.flags, BRIDGE_SLOTS.requests);
    const reply = this.await(request.id, seen);
    this.lastStats = reply.stats;
    if (reply.error !== undefined) throw new Error(`gpu.js (async bridge worker): ${reply.error}`);
    if (!reply.result) throw new Error('gpu async bridge: the worker replied without a result');
    return flatten(reply.result, length);
  }

  /** Blocks until the reply to request `id`; `seen` is the reply count when it was posted. */
  private await(id: number, seen: number): BridgeReply {
    const { flags } = this;
    let beat = Atomics.load(flags, BRIDGE_SLOTS.heartbeat);
    let ready = Atomics.load(flags, BRIDGE_SLOTS.ready);
    let heard = performance.now();
    // Poll first: a small op's reply comes back within tens of microseconds.
    const deadline = heard + BRIDGE_SPIN_MS;
    for (let i = 1; Atomics.load(flags, BRIDGE_SLOTS.replies) === seen; i++) {
      if ((i & 63) === 0 && performance.now() > deadline) break;
    }
    for (;;) {
      const received = this.receive(this.port)?.message as BridgeReply | undefined;
      if (received?.id === id) return received;
      if (received) continue; // cannot happen: one request at a time
      if (Atomics.load(flags, BRIDGE_SLOTS.replies) === seen) {
        Atomics.wait(flags, BRIDGE_SLOTS.replies, seen, WAIT_SLICE_MS);
      } else {
        // Notified, but the message is not on the port yet: a short timed wait.
        Atomics.wait(flags, BRIDGE_SLOTS.idle, 0, 1);
      }
      const now = performance.now();
      // A heartbeat, or the worker becoming ready, shows it alive.
      const latestBeat = Atomics.load(flags, BRIDGE_SLOTS.heartbeat);
      const latestReady = Atomics.load(flags, BRIDGE_SLOTS.ready);
      if (latestBeat !== beat || latestReady !== ready) {
        beat = latestBeat;
        ready = latestReady;
        heard = now;
      }
      const limit = ready === 1 ? SILENCE_MS : START_MS;
      if (now - heard > limit) {
        this.failure = `no reply from the worker for ${Math.round(limit / 1000)} s`;
        this.port.close();
        void this.worker.terminate();
        throw new Error(`gpu async bridge: ${this.failure}`);
      }
    }
  }
}
