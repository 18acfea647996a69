/**
 * The second core for the wasm gemm. One worker thread instantiates the same kernel on the same
 * shared wasm memory; a product is cut into tasks (pack A, pack B, then row chunks of C) that both
 * threads claim from a shared counter, so neither waits for the other except at the end, and a
 * worker that is descheduled (a busy machine) just claims fewer chunks. The call stays
 * synchronous: the caller wakes the worker with Atomics.notify and waits for it with Atomics.wait.
 *
 * Node only (worker_threads, reached through process.getBuiltinModule so browser bundles never
 * see it). In browsers, and in Node before 20.16, gemm stays on one thread. The worker is
 * unref'd, so it never keeps a process alive, and it sleeps in Atomics.wait between products.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { environment } from '../backend.js';
import {
  ARGS,
  B_PLACED,
  CHUNK_COUNT,
  CHUNK_ROWS,
  DONE,
  FAILED,
  FULL_CHUNKS,
  KC,
  MAX_CHUNKS,
  PACKED,
  READY,
  REQUEST,
  SLOTS,
  SPIN_MS,
  TAIL_ROWS,
  TASK,
  WORKER,
  WORKER_CHUNKS,
  WORKER_DONE,
  WORKER_SOURCE,
} from './gemm-worker.js';

/** `pack` of wasm/gemm.wat (float32) or `pack64` (float64). Addresses are byte offsets. */
export type WasmPack = (
  source: number,
  rowStride: number,
  kStride: number,
  rows: number,
  k: number,
  width: number,
  target: number,
) => void;

/** `gemm` of wasm/gemm.wat (float32) or `gemm64` (float64): rows [rowBegin, rowEnd) of C. */
export type WasmGemmRows = (
  rowBegin: number,
  rowEnd: number,
  mPad: number,
  nPad: number,
  k: number,
  packedA: number,
  packedB: number,
  c: number,
) => void;

/** The kernel's exports (see wasm/gemm.wat). Addresses are byte offsets into the memory. */
export interface WasmGemmExports {
  pack: WasmPack;
  gemm: WasmGemmRows;
  pack64: WasmPack;
  gemm64: WasmGemmRows;
}

/** One product, as the tasks need it: both pack calls' arguments and the kernel's. */
export interface GemmJob {
  /** 4 for float32 (pack / gemm), 8 for float64 (pack64 / gemm64). */
  elementBytes: 4 | 8;
  /** The seven arguments of `pack` for A, then for B. */
  packA: readonly number[];
  packB: readonly number[];
  mPad: number;
  nPad: number;
  k: number;
  packedA: number;
  packedB: number;
  c: number;
}

/**
 * Products with fewer multiply-adds than this stay on one thread: waking the worker costs tens of
 * microseconds, and two threads measured slower up to 128³ and faster from 160³ (bench/NOTES.md).
 */
export const THREAD_MIN_WORK = 160 * 160 * 160;
/**
 * The fewest rows of C in one task; products are cut into about CHUNKS tasks of rows. With the
 * threads polling instead of sleeping through short waits (SPIN_MS), 8 chunks balance better than 4
 * (a late worker leaves at most an eighth, not a quarter, to one thread): bench/NOTES.md T8–T9.
 */
const MIN_CHUNK_ROWS = 16;
const CHUNKS = 8;
/**
 * The last full chunk is cut into this many smaller ones, so that the thread finishing first waits
 * for at most a small chunk of the other's instead of a full one (1.9–2.6 ms at 1024: bench/NOTES.md T10, T13).
 */
const TAIL_SPLIT = 4;
/** How long the caller waits for the worker before giving up on it and redoing the product. */
const WORKER_TIMEOUT_MS = 10_000;

interface Pool {
  worker: WorkerThreads.Worker;
  flags: Int32Array;
  /** False once the worker failed or timed out: every later product runs on one thread. */
  healthy: boolean;
  /** Products in which the worker took part. */
  products: number;
}

let pool: Pool | null = null;
/** Cleared by {@link setGemmThreads}(false): products stay on the calling thread. */
let enabled = true;

/** Allows (true, the default) or forbids splitting products with the worker, e.g. to measure one thread. */
export function setGemmThreads(allow: boolean): void {
  enabled = allow;
}

/** worker_threads, when this is Node with process.getBuiltinModule (20.16+); else undefined. */
function workerThreads(): typeof WorkerThreads | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  return host.process?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
}

/**
 * Starts the worker for the kernel's bytes (the shared-memory variant) and its memory. The worker
 * compiles and instantiates in the background; products run on one thread until it is ready.
 * XENT_GEMM_THREADS=1 disables it.
 */
export function startGemmThreads(bytes: Uint8Array, memory: WebAssembly.Memory): void {
  if (pool || environment('XENT_GEMM_THREADS') === '1') return;
  const threads = workerThreads();
  if (!threads) return;
  const control = new SharedArrayBuffer(4 * SLOTS);
  // The worker compiles its own copy of the module, made distinct by an empty custom section at the
  // end: when both threads shared one compiled module (posting the WebAssembly.Module, or the same
  // bytes, which V8 caches by content) the caller's products ran ~25% slower (bench/NOTES.md).
  const workerBytes = new Uint8Array(bytes.length + 4);
  workerBytes.set(bytes);
  workerBytes.set([0, 2, 1, 0x77], bytes.length);
  // No inherited execArgv: the worker is plain CommonJS, and flags such as --input-type=module or
  // a TypeScript loader (tsx, vitest) would only slow its start or misread its source.
  const worker = new threads.Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { bytes: workerBytes, memory, control },
  });
  worker.unref();
  const started: Pool = { worker, flags: new Int32Array(control), healthy: true, products: 0 };
  worker.on('error', () => {
    started.healthy = false;
  });
  pool = started;
}

/**
 * What the caller of {@link runGemmJob} does around the kernel: the job's memory holds A when the
 * job starts; `placeB` copies B in, and `copyRows` copies finished rows [begin, end) of the padded
 * C (those below m) out to the caller's array. Splitting these out lets the worker pack A while B
 * is copied, and lets the copy-out of finished chunks (page faults included, when C is a fresh
 * array) run while the worker is still computing, instead of after both threads are done.
 */
export interface GemmJobIO {
  placeB(): void;
  copyRows(begin: number, end: number): void;
}

/** Packs A and B and computes all of C on the calling thread (C stays in the memory). */
function computeAlone(kernel: WasmGemmExports, job: GemmJob): void {
  const pack = job.elementBytes === 8 ? kernel.pack64 : kernel.pack;
  const gemm = job.elementBytes === 8 ? kernel.gemm64 : kernel.gemm;
  const [a0, a1, a2, a3, a4, a5, a6] = job.packA;
  const [b0, b1, b2, b3, b4, b5, b6] = job.packB;
  pack(a0, a1, a2, a3, a4, a5, a6);
  pack(b0, b1, b2, b3, b4, b5, b6);
  gemm(0, job.mPad, job.mPad, job.nPad, job.k, job.packedA, job.packedB, job.c);
}

/** Runs a whole product on the calling thread, then copies all of C out. */
function runAlone(kernel: WasmGemmExports, job: GemmJob, io: GemmJobIO): void {
  computeAlone(kernel, job);
  io.copyRows(0, job.mPad);
}

/**
 * Waits until flags[slot] satisfies `done`, sleeping on changes of that slot. False after
 * WORKER_TIMEOUT_MS without it.
 */
function waitFor(flags: Int32Array, slot: number, done: (value: number) => boolean): boolean {
  const spinEnd = performance.now() + SPIN_MS;
  for (let i = 1; !done(Atomics.load(flags, slot)); i++)
    if ((i & 255) === 0 && performance.now() > spinEnd) break;
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  for (let value = Atomics.load(flags, slot); !done(value); value = Atomics.load(flags, slot)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(flags, slot, value, left);
  }
  return true;
}

/** How a product's rows are cut: `fullChunks` chunks of `chunkRows`, then chunks of `tailRows`. */
interface ChunkPlan {
  chunkRows: number;
  fullChunks: number;
  tailRows: number;
  chunks: number;
}

/** About CHUNKS chunks of rows (multiples of 4), the last full one cut into TAIL_SPLIT smaller ones. */
function planChunks(mPad: number): ChunkPlan {
  const chunkRows = Math.max(MIN_CHUNK_ROWS, Math.ceil(mPad / CHUNKS / 4) * 4);
  const fullChunks = Math.max(0, Math.floor(mPad / chunkRows) - 1);
  const tailRows = Math.max(4, Math.ceil(chunkRows / TAIL_SPLIT / 4) * 4);
  const chunks = fullChunks + Math.ceil((mPad - fullChunks * chunkRows) / tailRows);
  return { chunkRows, fullChunks, tailRows, chunks };
}

/** First row of chunk `chunk`. */
function chunkBegin(plan: ChunkPlan, chunk: number): number {
  const { chunkRows, fullChunks, tailRows } = plan;
  return chunk < fullChunks ? chunk * chunkRows : fullChunks * chunkRows + (chunk - fullChunks) * tailRows;
}

/** Which chunks of the current product have been copied out (1) so far. */
const copied = new Uint8Array(MAX_CHUNKS);

/** Copies out chunk `chunk` (rows clipped to mPad) and marks it copied. */
function copyChunk(io: GemmJobIO, plan: ChunkPlan, mPad: number, chunk: number): void {
  const begin = chunkBegin(plan, chunk);
  io.copyRows(begin, Math.min(begin + (chunk < plan.fullChunks ? plan.chunkRows : plan.tailRows), mPad));
  copied[chunk] = 1;
}

/** Copies out every chunk the worker has finished in job `request` that is not copied yet. */
function copyWorkerChunks(flags: Int32Array, request: number, io: GemmJobIO, plan: ChunkPlan, mPad: number) {
  for (let chunk = 0; chunk < plan.chunks; chunk++)
    if (copied[chunk] === 0 && Atomics.load(flags, DONE + chunk) === request)
      copyChunk(io, plan, mPad, chunk);
}

/**
 * The caller's side of the task loop (the worker runs the same loop in WORKER_SOURCE), copying out
 * each chunk it computes and any the worker has finished meanwhile.
 */
function runTasks(
  kernel: WasmGemmExports,
  flags: Int32Array,
  request: number,
  job: GemmJob,
  plan: ChunkPlan,
  io: GemmJobIO,
): boolean {
  const blocks = Math.ceil(job.k / KC);
  const bytes = job.elementBytes;
  const pack = bytes === 8 ? kernel.pack64 : kernel.pack;
  const gemm = bytes === 8 ? kernel.gemm64 : kernel.gemm;
  for (;;) {
    const task = Atomics.add(flags, TASK, 1);
    if (task < 2 * blocks) {
      // k-block j of A (task j) or of B (task blocks + j): pack's arguments moved to that block.
      const isB = task >= blocks;
      const [source, rowStride, kStride, rows, k, width, target] = isB ? job.packB : job.packA;
      const pc = (task - (isB ? blocks : 0)) * KC;
      const blockTarget = target + bytes * pc * Math.ceil(rows / width) * width;
      pack(source + bytes * pc * kStride, rowStride, kStride, rows, Math.min(KC, k - pc), width, blockTarget);
      Atomics.add(flags, PACKED, 1);
      Atomics.notify(flags, PACKED);
      continue;
    }
    const chunk = task - 2 * blocks;
    if (chunk >= plan.chunks) return true;
    // Other packs may still be running on the worker.
    if (!waitFor(flags, PACKED, (packed) => packed >= 2 * blocks)) return false;
    const begin = chunkBegin(plan, chunk);
    const end = Math.min(begin + (chunk < plan.fullChunks ? plan.chunkRows : plan.tailRows), job.mPad);
    gemm(begin, end, job.mPad, job.nPad, job.k, job.packedA, job.packedB, job.c);
    copyChunk(io, plan, job.mPad, chunk);
    copyWorkerChunks(flags, request, io, plan, job.mPad);
  }
}

/**
 * Copies out the worker's remaining chunks as it finishes them. False if it failed or timed out
 * before finishing them all.
 */
function collectWorkerChunks(
  flags: Int32Array,
  request: number,
  io: GemmJobIO,
  plan: ChunkPlan,
  mPad: number,
) {
  for (;;) {
    const doneCount = Atomics.load(flags, WORKER_DONE);
    copyWorkerChunks(flags, request, io, plan, mPad);
    let all = true;
    for (let chunk = 0; chunk < plan.chunks; chunk++) all &&= copied[chunk] === 1;
    if (all) return true;
    if (Atomics.load(flags, FAILED) === 1) return false;
    if (!waitFor(flags, WORKER_DONE, (count) => count !== doneCount)) return false;
  }
}

/**
 * Packs A and B, computes C and copies it out through `io` for one product, with the worker when
 * it is ready and the product is large enough, else alone. Either way the product is complete, and
 * C copied out, when this returns. A must be in the memory already; `io.placeB` is called here.
 */
export function runGemmJob(kernel: WasmGemmExports, job: GemmJob, io: GemmJobIO): void {
  const { mPad, nPad, k } = job;
  if (
    !enabled ||
    !pool?.healthy ||
    mPad * nPad * k < THREAD_MIN_WORK ||
    Atomics.load(pool.flags, READY) !== 1
  ) {
    io.placeB();
    runAlone(kernel, job, io);
    return;
  }
  const { flags } = pool;
  const plan = planChunks(mPad);
  if (plan.chunks > MAX_CHUNKS) {
    // Never happens with CHUNKS and TAIL_SPLIT as they are; kept so a change to them cannot overrun DONE.
    io.placeB();
    runAlone(kernel, job, io);
    return;
  }
  // Arguments first, then open the job to the worker (WORKER = 0), then wake it.
  // B's pack arguments are known once io.placeB has run; the worker reads them only after B_PLACED.
  flags.set(job.packA, ARGS);
  flags[ARGS + 14] = mPad;
  flags[ARGS + 15] = nPad;
  flags[ARGS + 16] = k;
  flags[ARGS + 17] = job.packedA;
  flags[ARGS + 18] = job.packedB;
  flags[ARGS + 19] = job.c;
  flags[ARGS + 20] = job.elementBytes;
  Atomics.store(flags, CHUNK_ROWS, plan.chunkRows);
  Atomics.store(flags, FULL_CHUNKS, plan.fullChunks);
  Atomics.store(flags, TAIL_ROWS, plan.tailRows);
  Atomics.store(flags, CHUNK_COUNT, plan.chunks);
  Atomics.store(flags, TASK, 0);
  Atomics.store(flags, PACKED, 0);
  Atomics.store(flags, WORKER_DONE, 0);
  copied.fill(0);
  // The job's number before opening it: a worker that joins (WORKER 0 → 1) then reads this number.
  const request = Atomics.add(flags, REQUEST, 1) + 1;
  Atomics.store(flags, WORKER, 0);
  Atomics.notify(flags, REQUEST);
  // The worker starts on A's packs while B is copied in.
  io.placeB();
  flags.set(job.packB, ARGS + 7);
  Atomics.store(flags, B_PLACED, request);
  Atomics.notify(flags, B_PLACED);
  let finished = runTasks(kernel, flags, request, job, plan, io);
  // Shut the worker out if it has not joined yet; if it has, take its chunks as they finish and
  // wait until it has left the job.
  const joined = Atomics.compareExchange(flags, WORKER, 0, 3) !== 0;
  if (joined) {
    finished = finished && collectWorkerChunks(flags, request, io, plan, mPad);
    finished = waitFor(flags, WORKER, (state) => state === 2) && finished;
  }
  if (joined && finished && Atomics.load(flags, FAILED) !== 1) pool.products++;
  if (!finished || Atomics.load(flags, FAILED) === 1) {
    // The worker is stuck or broke: never use it again, and redo the product here, copying out
    // only the rows not copied yet (with accumulate, a row copied twice would be added twice).
    pool.healthy = false;
    computeAlone(kernel, job);
    for (let chunk = 0; chunk < plan.chunks; chunk++)
      if (copied[chunk] === 0) copyChunk(io, plan, mPad, chunk);
  }
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

/** How many products the worker has taken part in (0 without a worker): lets tests see it work. */
export function gemmThreadsProducts(): number {
  return pool?.products ?? 0;
}

/** How many row chunks the worker has computed in all (0 without a worker), for benchmarks. */
export function gemmThreadsChunks(): number {
  return pool ? Atomics.load(pool.flags, WORKER_CHUNKS) : 0;
}
