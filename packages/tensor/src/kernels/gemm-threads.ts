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
  pack64: WasmPack;
  gemm64: WasmGemmRows;
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
/**
 * The kernel's k-block (KC in gemm.wat): packing is cut into one task per k-block of A and of B, so
 * that neither thread waits long for the other's pack (a whole pack of A for A·B at 1024, ~1 ms
 * longer than B's, left the other thread waiting 0.7–1.4 ms: bench/NOTES.md T14).
 */
const KC = 256;
const CHUNKS = 8;
/**
 * The last full chunk is cut into this many smaller ones, so that the thread finishing first waits
 * for at most a small chunk of the other's instead of a full one (1.9–2.6 ms at 1024: bench/NOTES.md T10, T13).
 */
const TAIL_SPLIT = 4;
/** How long the caller waits for the worker before giving up on it and redoing the product. */
const WORKER_TIMEOUT_MS = 10_000;

// Slots of the Int32 control block shared with the worker.
/** Incremented by the caller to post a job. */
const REQUEST = 0;
/** The worker's part in the current job: 0 free to join, 1 working, 2 finished, 3 shut out. */
const WORKER = 1;
/** 1 once the worker has instantiated the kernel. */
const READY = 2;
/** 1 if the worker's kernel threw. */
const FAILED = 3;
/**
 * The next task to claim: task j < K packs k-block j of A, K + j that of B (K = ceil(k / KC)),
 * then 2K + i computes row chunk i. A's packs come first so the worker can start on them while the
 * caller is still copying B into the memory.
 */
const TASK = 4;
/** How many pack tasks have finished (chunks wait for all of them). */
const PACKED = 5;
/** Rows per chunk, and the number of chunks. */
const CHUNK_ROWS = 6;
const CHUNK_COUNT = 7;
/** Row chunks the worker has computed, over all products (a statistic). */
const WORKER_CHUNKS = 8;
/** How many chunks have CHUNK_ROWS rows; the rest (the tail) have TAIL_ROWS. */
const FULL_CHUNKS = 9;
const TAIL_ROWS = 10;
/** Set to the job's number (the REQUEST count) once the caller has copied B in: B's packs wait for it. */
const B_PLACED = 11;
/** Chunks the worker has finished in this job; it notifies on this slot after each one. */
const WORKER_DONE = 12;
/**
 * pack's arguments for A (7), for B (7), gemm's last six (mPad, nPad, k, packedA, packedB, c), then
 * the element size in bytes (4: float32, 8: float64).
 */
const ARGS = 13;
/** Slot DONE + i holds the job's number once the worker has finished chunk i. */
const DONE = ARGS + 7 + 7 + 6 + 1;
/** More chunks than {@link planChunks} ever makes (at most CHUNKS + TAIL_SPLIT + 1). */
const MAX_CHUNKS = 32;
const SLOTS = DONE + MAX_CHUNKS;
/**
 * How long either thread polls a flag before sleeping on it in Atomics.wait. On this VM a thread
 * woken from Atomics.wait resumes ~60 µs later (median; tails of 1–4 ms), while a chunk of a 256³
 * product takes ~60 µs; polling covers the short waits (the other thread's pack, its last chunk,
 * and for the worker the caller's copies between back-to-back products). Bounded, so an idle
 * worker goes back to sleep (bench/NOTES.md T8).
 */
const SPIN_MS = 2;
/** 64 × 64 × 256 products the worker runs at start-up (~15 ms) to get optimized code. */
const WARMUP_PRODUCTS = 200;

/**
 * The worker, as CommonJS source evaluated by worker_threads (`eval: true`): no file to locate,
 * the same whether xent runs from TypeScript source or from dist. Its task loop mirrors
 * {@link runTasks}.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const module = new WebAssembly.Module(bytes);
const flags = new Int32Array(control);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
// Warm-up on a private memory (the shared one belongs to the caller), so that V8 has tiered the
// kernel up to optimized code before the first real product: see bench/NOTES.md.
{
  const scratch = new WebAssembly.Memory({ initial: 8, maximum: 16384, shared: true });
  const warm = new WebAssembly.Instance(module, { env: { memory: scratch } }).exports;
  for (let i = 0; i < ${WARMUP_PRODUCTS}; i++) {
    warm.pack(0, 64, 1, 64, 256, 4, 65536);
    warm.pack(0, 64, 1, 64, 256, 8, 131072);
    warm.gemm(0, 64, 64, 64, 256, 65536, 131072, 196608);
  }
  for (let i = 0; i < ${WARMUP_PRODUCTS} / 4; i++) {
    warm.pack64(0, 64, 1, 64, 256, 4, 131072);
    warm.pack64(0, 64, 1, 64, 256, 4, 262144);
    warm.gemm64(0, 64, 64, 64, 256, 131072, 262144, 393216);
  }
}
const arg = (i) => flags[${ARGS} + i];
// Polls flags[slot] while it equals value, for at most ${SPIN_MS} ms; true if it changed.
function spin(slot, value) {
  const deadline = performance.now() + ${SPIN_MS};
  for (let i = 1; ; i++) {
    if (Atomics.load(flags, slot) !== value) return true;
    if ((i & 255) === 0 && performance.now() > deadline) return false;
  }
}
function work(job) {
  const blocks = Math.ceil(arg(16) / ${KC});
  const bytes = arg(20);
  const pack = bytes === 8 ? exports.pack64 : exports.pack;
  const gemm = bytes === 8 ? exports.gemm64 : exports.gemm;
  for (;;) {
    const task = Atomics.add(flags, ${TASK}, 1);
    if (task < 2 * blocks) {
      const isB = task >= blocks;
      // B may still be on its way into the memory.
      if (isB) for (let placed; (placed = Atomics.load(flags, ${B_PLACED})) !== job; )
        if (!spin(${B_PLACED}, placed)) Atomics.wait(flags, ${B_PLACED}, placed);
      const at = isB ? 7 : 0;
      const pc = (task - (isB ? blocks : 0)) * ${KC};
      const rows = arg(at + 3);
      const width = arg(at + 5);
      pack(arg(at) + bytes * pc * arg(at + 2), arg(at + 1), arg(at + 2), rows, Math.min(${KC}, arg(at + 4) - pc), width,
        arg(at + 6) + bytes * pc * Math.ceil(rows / width) * width);
      Atomics.add(flags, ${PACKED}, 1);
      Atomics.notify(flags, ${PACKED});
      continue;
    }
    const chunk = task - 2 * blocks;
    if (chunk >= flags[${CHUNK_COUNT}]) return;
    for (let packed; (packed = Atomics.load(flags, ${PACKED})) < 2 * blocks; )
      if (!spin(${PACKED}, packed)) Atomics.wait(flags, ${PACKED}, packed);
    const mPad = arg(14);
    const full = flags[${FULL_CHUNKS}];
    const rows = chunk < full ? flags[${CHUNK_ROWS}] : flags[${TAIL_ROWS}];
    const begin = chunk < full ? chunk * rows : full * flags[${CHUNK_ROWS}] + (chunk - full) * rows;
    gemm(begin, Math.min(begin + rows, mPad), mPad, arg(15), arg(16), arg(17), arg(18), arg(19));
    Atomics.store(flags, ${DONE} + chunk, job);
    Atomics.add(flags, ${WORKER_DONE}, 1);
    Atomics.notify(flags, ${WORKER_DONE});
    Atomics.add(flags, ${WORKER_CHUNKS}, 1);
  }
}
Atomics.store(flags, ${READY}, 1);
let seen = 0;
for (;;) {
  if (!spin(${REQUEST}, seen)) Atomics.wait(flags, ${REQUEST}, seen);
  seen = Atomics.load(flags, ${REQUEST});
  if (Atomics.compareExchange(flags, ${WORKER}, 0, 1) !== 0) continue;
  // The job just joined: the caller numbers it before opening it, so this is its number even if
  // the wake-up above was for an earlier one.
  seen = Atomics.load(flags, ${REQUEST});
  try {
    work(seen);
  } catch {
    Atomics.store(flags, ${FAILED}, 1);
    // Wake a caller waiting for this worker's chunks.
    Atomics.add(flags, ${WORKER_DONE}, 1);
    Atomics.notify(flags, ${WORKER_DONE});
  }
  Atomics.store(flags, ${WORKER}, 2);
  Atomics.notify(flags, ${WORKER});
}
`;

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

/** Runs a whole product on the calling thread, then copies all of C out. */
function runAlone(kernel: WasmGemmExports, job: GemmJob, io: GemmJobIO): void {
  const pack = job.elementBytes === 8 ? kernel.pack64 : kernel.pack;
  const gemm = job.elementBytes === 8 ? kernel.gemm64 : kernel.gemm;
  const [a0, a1, a2, a3, a4, a5, a6] = job.packA;
  const [b0, b1, b2, b3, b4, b5, b6] = job.packB;
  pack(a0, a1, a2, a3, a4, a5, a6);
  pack(b0, b1, b2, b3, b4, b5, b6);
  gemm(0, job.mPad, job.mPad, job.nPad, job.k, job.packedA, job.packedB, job.c);
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
    const pack = job.elementBytes === 8 ? kernel.pack64 : kernel.pack;
    const gemm = job.elementBytes === 8 ? kernel.gemm64 : kernel.gemm;
    const [a0, a1, a2, a3, a4, a5, a6] = job.packA;
    const [b0, b1, b2, b3, b4, b5, b6] = job.packB;
    pack(a0, a1, a2, a3, a4, a5, a6);
    pack(b0, b1, b2, b3, b4, b5, b6);
    gemm(0, mPad, mPad, nPad, k, job.packedA, job.packedB, job.c);
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
