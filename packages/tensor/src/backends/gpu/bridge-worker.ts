/**
 * The async bridge's worker (bridge.ts is the calling thread's side): CommonJS source evaluated
 * by worker_threads (`eval: true`), so there is no file to locate from TypeScript source or
 * dist. It owns a `GPU` in mode `webasm` (kernels in `asyncMode`, split over gpu.js's worker pool)
 * or `webgpu` (navigator.gpu from the `webgpu` package), an LRU cache of kernels, and answers
 * one request at a time on its MessagePort. Each side posts, then bumps its counter in a
 * SharedArrayBuffer and `Atomics.notify`s the other, which polls briefly and then sleeps in
 * `Atomics.wait` on that counter.
 */

/** Slots of the Int32 control block shared by the caller and the worker. */
export const BRIDGE_SLOTS = {
  /** Replies posted so far; the worker increments it and notifies after each postMessage. */
  replies: 0,
  /** Ticks every {@link BRIDGE_HEARTBEAT_MS} while the worker awaits gpu.js's pool: it is alive. */
  heartbeat: 1,
  /** 1 once the worker has loaded gpu.js and listens for requests. */
  ready: 2,
  /** Never written: either side sleeps on it for short timed waits. */
  idle: 3,
  /** Requests posted so far; the caller increments it and notifies after each postMessage. */
  requests: 4,
} as const;

/** Length of the control block. */
export const BRIDGE_SLOT_COUNT = 5;

/**
 * How long either side polls the other's counter before sleeping in `Atomics.wait`. On the 2-vCPU
 * VM a round trip of a tiny request took 70-80 µs with sleeping alone and ~10 µs polling for up to
 * 0.2 ms (bench/NOTES.md); the poll is bounded, so an idle side goes back to sleep.
 */
export const BRIDGE_SPIN_MS = 0.2;

/** How often the worker ticks the heartbeat while a request is in flight. */
export const BRIDGE_HEARTBEAT_MS = 100;

/** A request from the calling thread: run the kernel cached under `key` on `args`. */
export interface BridgeRequest {
  /** Sequence number, echoed in the reply. */
  id: number;
  key: string;
  source: string;
  /** `gpu.createKernel` settings (the worker adds `precision: 'single'` and `asyncMode: true`). */
  settings: object;
  /** Values expected back. */
  length: number;
  args: Array<Float32Array | number>;
}

/** The worker's reply: the flat result, or the gpu.js error's message; its kernel counts either way. */
export interface BridgeReply {
  id: number;
  result?: Float32Array;
  error?: string;
  stats: { live: number; compiled: number; destroyed: number; threaded: number; adapter?: string };
}

/**
 * The worker. `workerData`: `{ gpuPath, mode, webgpuPath, port, control, cacheLimit }` — the
 * resolved gpu.js entry (an eval worker resolves modules from the process's cwd, not from xent),
 * `'webasm'` or `'webgpu'`, the resolved `webgpu` package entry (webgpu only), the request port,
 * the control block and the kernel cache size.
 *
 * gpu.js 2.24.1 gives every `asyncMode` kernel its own worker pool (one thread per core) the
 * first time it runs threaded; with a cache of 48 kernels that is ~96 threads and ~880 MB
 * (bench/NOTES.md). So kernels share one pool here: each gets a lease on it in place of its
 * private `_pool`, which dispatches to the shared pool and, when gpu.js destroys the kernel,
 * releases only that kernel's wasm instances from the pool's threads. The pool's file is
 * internal to gpu.js; if it is missing, kernels keep gpu.js's own per-kernel pools.
 */
export const BRIDGE_WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { gpuPath, mode, webgpuPath, port, control, cacheLimit } = workerData;
const flags = new Int32Array(control);
// A failure to load is answered to every request rather than thrown: an uncaught error would
// reach the caller only through its event loop, which is blocked in Atomics.wait.
let gpu = null;
let loadError = '';
let adapterName = '';
const dawnInstances = [];
// navigator.gpu for gpu.js, from Dawn (the webgpu package). gpu.js asks for a default adapter;
// on a machine without a Vulkan GPU Dawn offers none, but its OpenGL ES backend (Mesa's
// software renderer on a headless Linux) answers in WebGPU's compatibility mode.
async function installNavigatorGpu() {
  const { create, globals } = await import(pathToFileURL(webgpuPath).href);
  Object.assign(globalThis, globals);
  const candidates = [[[], {}], [['backend=opengles'], { featureLevel: 'compatibility' }]];
  const requestAdapter = async (options) => {
    for (const [dawnFlags, extra] of candidates) {
      // Dawn's instance must stay reachable as long as its devices live: collected, it takes
      // them down (hangs and crashes a few dozen kernels later).
      const instance = create(dawnFlags);
      dawnInstances.push(instance);
      const adapter = await instance.requestAdapter(Object.assign({}, options, extra));
      if (adapter) {
        const info = adapter.info || {};
        adapterName = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
        return adapter;
      }
    }
    return null;
  };
  const shim = { requestAdapter, getPreferredCanvasFormat: () => 'rgba8unorm', wgslLanguageFeatures: new Set() };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: shim }, configurable: true, writable: true });
}
const starting = (async () => {
  try {
    if (mode === 'webgpu') await installNavigatorGpu();
    gpu = new (require(gpuPath).GPU)({ mode });
  } catch (error) {
    loadError = 'gpu.js could not start in mode ' + mode + ' in the bridge worker (' +
      String(error && error.message).split('\\n')[0] + ')';
  }
})();
let sharedPool = null;
if (mode === 'webasm') {
  try {
    const { WebAssemblyWorkerPool } = require(path.join(path.dirname(gpuPath), 'backend', 'web-assembly', 'worker-pool.js'));
    sharedPool = new WebAssemblyWorkerPool();
  } catch {}
}
function lease() {
  const entries = new Set();
  return {
    get size() { return sharedPool.size; },
    dispatch(entry, tasks) { entries.add(entry.id); return sharedPool.dispatch(entry, tasks); },
    release(id) { entries.delete(id); sharedPool.release(id); },
    destroy() { for (const id of entries) sharedPool.release(id); entries.clear(); },
  };
}
const cache = new Map();
let compiled = 0;
let destroyed = 0;
let threaded = 0;
function kernelFor(key, source, settings) {
  let kernel = cache.get(key);
  if (kernel) {
    cache.delete(key);
    cache.set(key, kernel);
    return kernel;
  }
  // webgpu kernels are asynchronous by nature; asyncMode is what puts webasm on the pool.
  const extra = mode === 'webasm' ? { asyncMode: true } : {};
  kernel = gpu.createKernel(source, Object.assign({ precision: 'single' }, settings, extra));
  compiled++;
  cache.set(key, kernel);
  while (cache.size > cacheLimit) {
    const [oldestKey, oldest] = cache.entries().next().value;
    cache.delete(oldestKey);
    oldest.destroy();
    destroyed++;
  }
  return kernel;
}
// Nested results (a first synchronous run, before _shapeOutput is replaced) as one flat array;
// the caller checks the length.
function flatten(result) {
  if (result instanceof Float32Array) return result;
  const parts = [];
  const walk = (node) => {
    if (node instanceof Float32Array) parts.push(node);
    else for (const child of node) walk(child);
  };
  walk(result);
  const target = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let filled = 0;
  for (const part of parts) {
    target.set(part, filled);
    filled += part.length;
  }
  return target;
}
async function answer(request) {
  await starting;
  if (loadError) throw new Error(loadError);
  const kernel = kernelFor(request.key, request.source, request.settings);
  const inner = kernel.kernel;
  if (mode === 'webasm' && sharedPool && inner && inner._pool === null && 'poolSize' in inner) inner._pool = lease();
  const pending = kernel(...request.args);
  // Skip gpu.js's nested reshaping from now on: a threaded run shapes its output when it
  // settles, so this already applies to the first call's result.
  const built = kernel.kernel;
  if (built && built._shapeOutput) built._shapeOutput = (data) => data;
  const result = flatten(await pending);
  if (built && built._lastRunPath === 'threaded') threaded++;
  return result;
}
function stats() {
  const counts = { live: cache.size, compiled, destroyed, threaded };
  if (mode === 'webgpu') counts.adapter = adapterName;
  return counts;
}
// Polls flags[slot] while it equals value, for at most ${BRIDGE_SPIN_MS} ms; true if it changed.
function spin(slot, value) {
  const deadline = performance.now() + ${BRIDGE_SPIN_MS};
  for (let i = 1; ; i++) {
    if (Atomics.load(flags, slot) !== value) return true;
    if ((i & 63) === 0 && performance.now() > deadline) return false;
  }
}
// Requests are taken with receiveMessageOnPort after polling, then sleeping in Atomics.wait on
// the request counter, not from a 'message' listener: a thread woken by the event loop or by
// Atomics.wait resumes ~60-80 µs later here, a poll ~10 µs later (bench/NOTES.md).
async function serve() {
  let handled = 0;
  for (;;) {
    const requests = Atomics.load(flags, ${BRIDGE_SLOTS.requests});
    if (requests === handled) {
      if (!spin(${BRIDGE_SLOTS.requests}, handled)) Atomics.wait(flags, ${BRIDGE_SLOTS.requests}, handled);
      continue;
    }
    const received = receiveMessageOnPort(port);
    if (!received) {
      // Counted, but not on the port yet.
      Atomics.wait(flags, ${BRIDGE_SLOTS.idle}, 0, 1);
      continue;
    }
    handled++;
    const request = received.message;
    const beat = setInterval(() => Atomics.add(flags, ${BRIDGE_SLOTS.heartbeat}, 1), ${BRIDGE_HEARTBEAT_MS});
    let reply;
    try {
      const result = await answer(request);
      reply = { id: request.id, result, stats: stats() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = { id: request.id, error: message, stats: stats() };
    }
    clearInterval(beat);
    const transfer = reply.result && reply.result.buffer instanceof ArrayBuffer &&
      reply.result.byteLength === reply.result.buffer.byteLength ? [reply.result.buffer] : [];
    port.postMessage(reply, transfer);
    Atomics.add(flags, ${BRIDGE_SLOTS.replies}, 1);
    Atomics.notify(flags, ${BRIDGE_SLOTS.replies});
    // One turn of the event loop before blocking again: gpu.js settles its threaded-run
    // bookkeeping in callbacks queued behind the result, and pool threads report exits there.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
serve();
Atomics.store(flags, ${BRIDGE_SLOTS.ready}, 1);
`;
