/**
 * The two-thread gemm's shared protocol: the layout of the Int32 control block both threads read
 * and write, and the worker's source. gemm-threads.ts is the calling thread's side.
 */

/**
 * The kernel's k-block (KC in gemm.wat): packing is cut into one task per k-block of A and of B, so
 * that neither thread waits long for the other's pack (a whole pack of A for A·B at 1024, ~1 ms
 * longer than B's, left the other thread waiting 0.7–1.4 ms: bench/NOTES.md T14).
 */
export const KC = 256;

// Slots of the Int32 control block shared with the worker.
/** Incremented by the caller to post a job. */
export const REQUEST = 0;
/** The worker's part in the current job: 0 free to join, 1 working, 2 finished, 3 shut out. */
export const WORKER = 1;
/** 1 once the worker has instantiated the kernel. */
export const READY = 2;
/** 1 if the worker's kernel threw. */
export const FAILED = 3;
/**
 * The next task to claim: task j < K packs k-block j of A, K + j that of B (K = ceil(k / KC)),
 * then 2K + i computes row chunk i. A's packs come first so the worker can start on them while the
 * caller is still copying B into the memory.
 */
export const TASK = 4;
/** How many pack tasks have finished (chunks wait for all of them). */
export const PACKED = 5;
/** Rows per (full) chunk. */
export const CHUNK_ROWS = 6;
/** How many row chunks the product is cut into. */
export const CHUNK_COUNT = 7;
/** Row chunks the worker has computed, over all products (a statistic). */
export const WORKER_CHUNKS = 8;
/** How many chunks have CHUNK_ROWS rows; the rest (the tail) have TAIL_ROWS. */
export const FULL_CHUNKS = 9;
/** Rows per tail chunk. */
export const TAIL_ROWS = 10;
/** Set to the job's number (the REQUEST count) once the caller has copied B in: B's packs wait for it. */
export const B_PLACED = 11;
/** Chunks the worker has finished in this job; it notifies on this slot after each one. */
export const WORKER_DONE = 12;
/**
 * pack's arguments for A (7), for B (7), gemm's last six (mPad, nPad, k, packedA, packedB, c), then
 * the element size in bytes (4: float32, 8: float64).
 */
export const ARGS = 13;
/** Slot DONE + i holds the job's number once the worker has finished chunk i. */
export const DONE = ARGS + 7 + 7 + 6 + 1;
/** More chunks than gemm-threads.ts's `planChunks` ever makes (at most CHUNKS + TAIL_SPLIT + 1). */
export const MAX_CHUNKS = 32;
/** Size of the control block, in Int32 slots. */
export const SLOTS = DONE + MAX_CHUNKS;
/**
 * How long either thread polls a flag before sleeping on it in Atomics.wait. On this VM a thread
 * woken from Atomics.wait resumes ~60 µs later (median; tails of 1–4 ms), while a chunk of a 256³
 * product takes ~60 µs; polling covers the short waits (the other thread's pack, its last chunk,
 * and for the worker the caller's copies between back-to-back products). Bounded, so an idle
 * worker goes back to sleep (bench/NOTES.md T8).
 */
export const SPIN_MS = 2;
/** 64 × 64 × 256 products the worker runs at start-up (~15 ms) to get optimized code. */
export const WARMUP_PRODUCTS = 200;

/**
 * The worker, as CommonJS source evaluated by worker_threads (`eval: true`): no file to locate,
 * the same whether xent runs from TypeScript source or from dist. Its task loop mirrors
 * `runTasks` in gemm-threads.ts.
 */
export const WORKER_SOURCE = `
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
