/**
 * The second core for the wasm gemm: one worker thread instantiates the same kernel on the same
 * shared wasm memory and computes the lower rows of C while the calling thread computes the upper
 * rows. The call stays synchronous: the caller wakes the worker and waits for it with Atomics on a
 * small shared control block, never with a promise.
 *
 * Node only (worker_threads, reached through process.getBuiltinModule so browser bundles never
 * see it). In browsers, and in Node before 20.16, gemm stays on one thread. The worker is
 * unref'd: it never keeps a process alive, and it sleeps in Atomics.wait between products.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { environment } from '../backend.js';

/** The kernel's exports (see wasm/gemm.wat). Addresses are byte offsets into the memory. */
export interface WasmGemmExports {
  pack(
    source: number,
    rowStride: number,
    kStride: number,
    rows: number,
    k: number,
    width: number,
    target: number,
  ): void;
  gemm(
    rowBegin: number,
    rowEnd: number,
    mPad: number,
    nPad: number,
    k: number,
    packedA: number,
    packedB: number,
    c: number,
  ): void;
}

/**
 * Products with fewer multiply-adds than this stay on one thread: waking the worker costs tens of
 * microseconds, and below about 128³ the split does not repay it (bench/NOTES.md).
 */
export const THREAD_MIN_WORK = 96 * 96 * 96;
/** Fewer rows than this (after padding to the tile) are not split. */
const THREAD_MIN_ROWS = 16;
/** How long the caller waits for the worker before computing its rows itself and retiring it. */
const WORKER_TIMEOUT_MS = 10_000;

// Slots of the Int32 control block shared with the worker.
/** Incremented by the caller to post a job. */
const REQUEST = 0;
/** Set by the worker to the request it finished. */
const DONE = 1;
/** 1 once the worker has instantiated the kernel. */
const READY = 2;
/** 1 if the worker's kernel threw. */
const FAILED = 3;
/** The eight arguments of `gemm` for the worker's rows. */
const ARGS = 4;

/**
 * The worker, as CommonJS source evaluated by worker_threads (`eval: true`): no file to locate,
 * the same whether xent runs from TypeScript source or from dist.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const flags = new Int32Array(control);
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(flags, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(flags, ${REQUEST}, seen);
  seen = Atomics.load(flags, ${REQUEST});
  try {
    gemm(${Array.from({ length: 8 }, (_, i) => `flags[${ARGS + i}]`).join(', ')});
  } catch {
    Atomics.store(flags, ${FAILED}, 1);
  }
  Atomics.store(flags, ${DONE}, seen);
  Atomics.notify(flags, ${DONE});
}
`;

interface Pool {
  worker: WorkerThreads.Worker;
  flags: Int32Array;
  /** False once the worker failed or timed out: every later product runs on one thread. */
  healthy: boolean;
  /** Products split with the worker so far. */
  products: number;
}

let pool: Pool | null = null;

/** worker_threads, when this is Node with process.getBuiltinModule (20.16+); else undefined. */
function workerThreads(): typeof WorkerThreads | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  return host.process?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
}

/**
 * Starts the worker for a kernel compiled against a shared memory. It instantiates in the
 * background; products run on one thread until it is ready. XENT_GEMM_THREADS=1 disables it.
 */
export function startGemmThreads(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
  if (pool || environment('XENT_GEMM_THREADS') === '1') return;
  const threads = workerThreads();
  if (!threads) return;
  const control = new SharedArrayBuffer(4 * (ARGS + 8));
  // No inherited execArgv: the worker is plain CommonJS, and flags such as --input-type=module or
  // a TypeScript loader (tsx, vitest) would only slow its start or misread its source.
  const worker = new threads.Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { module, memory, control },
  });
  worker.unref();
  const started: Pool = { worker, flags: new Int32Array(control), healthy: true, products: 0 };
  worker.on('error', () => {
    started.healthy = false;
  });
  pool = started;
}

/**
 * Computes rows [0, mPad) of C = packed A · packed B on two threads: the worker takes the lower
 * rows, the caller the upper ones, then waits for the worker. Returns false (having done nothing)
 * when the product is too small or there is no ready worker, so the caller runs it alone.
 */
export function parallelGemm(
  kernel: WasmGemmExports,
  mPad: number,
  nPad: number,
  k: number,
  packedA: number,
  packedB: number,
  c: number,
): boolean {
  if (!pool?.healthy || mPad < THREAD_MIN_ROWS || mPad * nPad * k < THREAD_MIN_WORK) return false;
  const { flags } = pool;
  if (Atomics.load(flags, READY) !== 1) return false;
  // Split C's rows in half, on a tile boundary (multiples of 4 rows).
  const split = Math.round(mPad / 8) * 4;
  flags.set([split, mPad, mPad, nPad, k, packedA, packedB, c], ARGS);
  const request = Atomics.add(flags, REQUEST, 1) + 1;
  Atomics.notify(flags, REQUEST);
  kernel.gemm(0, split, mPad, nPad, k, packedA, packedB, c);
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  while (Atomics.load(flags, DONE) !== request) {
    const previous = Atomics.load(flags, DONE);
    if (previous === request) break;
    const left = deadline - Date.now();
    if (left <= 0) break;
    Atomics.wait(flags, DONE, previous, left);
  }
  if (Atomics.load(flags, DONE) !== request || Atomics.load(flags, FAILED) === 1) {
    // The worker is stuck or broke: never use it again, and do its rows here.
    pool.healthy = false;
    kernel.gemm(split, mPad, mPad, nPad, k, packedA, packedB, c);
  } else {
    pool.products++;
  }
  return true;
}

/**
 * Whether products can use the second thread: 'off' (no worker: not Node, disabled, or the kernel
 * not loaded yet), 'starting', 'ready', or 'retired' after a failure.
 */
export function gemmThreadsState(): 'off' | 'starting' | 'ready' | 'retired' {
  if (!pool) return 'off';
  if (!pool.healthy) return 'retired';
  return Atomics.load(pool.flags, READY) === 1 ? 'ready' : 'starting';
}

/** How many products the worker has shared so far (0 without a worker): lets tests see it work. */
export function gemmThreadsProducts(): number {
  return pool?.products ?? 0;
}
