/**
 * C (+)= A · B in float32 or float64 on the WebAssembly SIMD kernels of wasm/gemm.wat (f32x4 with a
 * 4 × 8 tile, f64x2 with a 4 × 4 tile), behind the same signature as the TypeScript {@link gemm}.
 *
 * Each call copies the part of A's and B's storage that the views span into one wasm memory (a
 * plain memcpy for any strides, since the kernel's `pack` reads strides itself), packs both into
 * panels there, runs the kernel into a padded C, and copies C out. The memory grows on demand and
 * is reused, so steady-state calls allocate nothing. When worker threads are available
 * (kernels/gemm-threads.ts), large products split C's rows with a second thread on the same memory.
 */
import { XentError } from '../errors.js';
import { type FloatArray, gemm } from './gemm.js';
import {
  type GemmJob,
  type GemmJobIO,
  runGemmJob,
  startGemmThreads,
  type WasmGemmExports,
} from './gemm-threads.js';
import { GEMM_WASM_SHARED, GEMM_WASM_UNSHARED } from './wasm/gemm-binary.js';

/** Rows of one packed A sliver, and columns of one packed B sliver for float32 / float64 (the tiles). */
const MR = 4;
const NR_32 = 8;
const NR_64 = 4;
const PAGE_BYTES = 65536;
/** gemm.wat declares the shared memory with this maximum (1 GiB). */
const MAX_PAGES = 16384;
/** A view spanning more than this many times its element count is gathered instead of copied. */
const MAX_SPAN_RATIO = 4;

/** The loaded kernel: its exports, memory, and float32 and float64 views of the memory. */
interface WasmGemm extends WasmGemmExports {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  heap: Float32Array;
  heap64: Float64Array;
}

let kernel: WasmGemm | null | undefined;

// One job description reused by every call (no allocation per product). Slot 5 is the sliver width.
const jobPackA = [0, 0, 0, 0, 0, MR, 0];
const jobPackB = [0, 0, 0, 0, 0, NR_32, 0];
const job: GemmJob = {
  elementBytes: 4,
  packA: jobPackA,
  packB: jobPackB,
  mPad: 0,
  nPad: 0,
  k: 0,
  packedA: 0,
  packedB: 0,
  c: 0,
};

/**
 * The current call's operands, read by {@link io} while the job runs (module state, so that a
 * product allocates no closures).
 */
const EMPTY = new Float32Array(0) as FloatArray;
const current: {
  heap: FloatArray;
  elementBytes: number;
  b: FloatArray;
  bOffset: number;
  k: number;
  n: number;
  bRowStride: number;
  bColStride: number;
  rawB: number;
  c: FloatArray;
  cOffset: number;
  m: number;
  nPad: number;
  /** Index of C's first element in `heap`. */
  cIndex: number;
  accumulate: boolean;
} = {
  heap: EMPTY,
  elementBytes: 4,
  b: EMPTY,
  bOffset: 0,
  k: 0,
  n: 0,
  bRowStride: 0,
  bColStride: 0,
  rawB: 0,
  c: EMPTY,
  cOffset: 0,
  m: 0,
  nPad: 0,
  cIndex: 0,
  accumulate: false,
};

/** Copies B into the memory (as late as possible: the worker packs A meanwhile) and C's rows out. */
const io: GemmJobIO = {
  placeB() {
    const { heap, elementBytes, b, bOffset, k, n, bRowStride, bColStride, rawB } = current;
    const placed = place(heap, elementBytes, rawB / elementBytes, b, bOffset, k, n, bRowStride, bColStride);
    // A is packed in slivers of MR rows; B in slivers of NR columns, so its "rows" are B's columns.
    jobPackB[0] = placed.address;
    jobPackB[1] = placed.colStride;
    jobPackB[2] = placed.rowStride;
  },
  copyRows(begin, end) {
    const { heap, c, cOffset, n, nPad, cIndex, accumulate } = current;
    const last = Math.min(end, current.m);
    if (accumulate) {
      for (let i = begin; i < last; i++) {
        const from = cIndex + i * nPad;
        const to = cOffset + i * n;
        for (let j = 0; j < n; j++) c[to + j] += heap[from + j];
      }
    } else if (nPad === n) {
      if (last > begin) c.set(heap.subarray(cIndex + begin * n, cIndex + last * n), cOffset + begin * n);
    } else {
      // Row by row with a loop: a subarray per row would allocate a view per row.
      for (let i = begin; i < last; i++) {
        const from = cIndex + i * nPad;
        const to = cOffset + i * n;
        for (let j = 0; j < n; j++) c[to + j] = heap[from + j];
      }
    }
  },
};

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the kernel on first use. The shared-memory variant when the host has shared wasm
 * memory (Node; browsers only when cross-origin isolated), else the unshared one; null when
 * WebAssembly SIMD is missing, which WebAssembly.validate on the kernel's own bytes detects.
 */
function load(): WasmGemm | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly !== 'object') return kernel;
  const sharedBytes = decodeBase64(GEMM_WASM_SHARED);
  let shared = typeof SharedArrayBuffer === 'function' && WebAssembly.validate(sharedBytes);
  let memory: WebAssembly.Memory | null = null;
  if (shared) {
    try {
      memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    } catch {
      shared = false;
    }
  }
  const bytes = shared ? sharedBytes : decodeBase64(GEMM_WASM_UNSHARED);
  if (!WebAssembly.validate(bytes)) return kernel;
  memory ??= new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as WasmGemmExports;
  kernel = {
    module,
    memory,
    heap: new Float32Array(memory.buffer),
    heap64: new Float64Array(memory.buffer),
    pack: exports.pack,
    gemm: exports.gemm,
    pack64: exports.pack64,
    gemm64: exports.gemm64,
  };
  if (shared) startGemmThreads(bytes, memory);
  return kernel;
}

/** Whether the WebAssembly SIMD kernel can run here (compiles it on the first call). */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

/** Makes the memory at least `bytes` long; false when that would pass the kernel's maximum. */
function reserve(wasm: WasmGemm, bytes: number): boolean {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  const current = wasm.memory.buffer.byteLength / PAGE_BYTES;
  if (pages > current) {
    if (pages > MAX_PAGES) return false;
    wasm.memory.grow(pages - current);
  }
  // A grown memory has a new buffer; a shared one may also hand out a new buffer object.
  if (wasm.heap.length * 4 !== wasm.memory.buffer.byteLength) {
    wasm.heap = new Float32Array(wasm.memory.buffer);
    wasm.heap64 = new Float64Array(wasm.memory.buffer);
  }
  return true;
}

/** Rounds a byte count up to 16, so every region is aligned for v128 loads. */
function align(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** Where a strided rows × cols view sits in its storage: the lowest and highest index it reads. */
function span(offset: number, rows: number, cols: number, rowStride: number, colStride: number) {
  const rowReach = rowStride * (rows - 1);
  const colReach = colStride * (cols - 1);
  return {
    low: offset + Math.min(0, rowReach) + Math.min(0, colReach),
    high: offset + Math.max(0, rowReach) + Math.max(0, colReach),
  };
}

/** How an operand was laid into wasm memory: byte address of element (0, 0) and its strides. */
interface Placed {
  address: number;
  rowStride: number;
  colStride: number;
}

/**
 * Puts a rows × cols view into the heap at float index `at`: its whole span in one `set` when the
 * span is dense enough, otherwise gathered row by row into a contiguous block (a column slice of a
 * huge matrix would copy the matrix). Returns where element (0, 0) landed.
 */
function place(
  heap: FloatArray,
  elementBytes: number,
  at: number,
  data: FloatArray,
  offset: number,
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
): Placed {
  const { low, high } = span(offset, rows, cols, rowStride, colStride);
  if (high - low + 1 <= MAX_SPAN_RATIO * rows * cols) {
    heap.set(data.subarray(low, high + 1), at);
    return { address: elementBytes * (at + offset - low), rowStride, colStride };
  }
  let index = at;
  for (let i = 0; i < rows; i++) {
    const rowStart = offset + i * rowStride;
    for (let j = 0; j < cols; j++) heap[index++] = data[rowStart + j * colStride];
  }
  return { address: elementBytes * at, rowStride: cols, colStride: 1 };
}

/** Elements the heap needs to place a view: its span, or a gathered copy (the same test as place). */
function placedLength(offset: number, rows: number, cols: number, rowStride: number, colStride: number) {
  const { low, high } = span(offset, rows, cols, rowStride, colStride);
  return high - low + 1 <= MAX_SPAN_RATIO * rows * cols ? high - low + 1 : rows * cols;
}

/**
 * C[m×n] (+)= A[m×k] · B[k×n] on the wasm kernel, in float32 or float64 (A, B and C share one
 * dtype); the arguments mean what they mean for {@link gemm}. Products are summed in the operands'
 * dtype (f32x4 or f64x2 lanes, k-blocks of 256). Falls back to the TypeScript gemm only when the
 * operands would not fit in the kernel's 1 GiB memory.
 * Throws when WebAssembly SIMD is unavailable (check {@link wasmGemmAvailable} first), or when
 * the three arrays do not share a dtype.
 */
export function gemmWasm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  b: FloatArray,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  c: FloatArray,
  cOffset: number,
  accumulate = false,
): void {
  const wasm = load();
  if (!wasm) throw new XentError('gemmWasm: WebAssembly SIMD is unavailable here; use gemm');
  const f64 = a instanceof Float64Array;
  if (f64 !== b instanceof Float64Array || f64 !== c instanceof Float64Array) {
    throw new XentError(
      `gemmWasm: a, b and c are ${[a, b, c].map((x) => x.constructor.name).join(', ')}; expected one dtype for all three`,
    );
  }
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  const bytes = f64 ? 8 : 4;
  const nr = f64 ? NR_64 : NR_32;
  const mPad = Math.ceil(m / MR) * MR;
  const nPad = Math.ceil(n / nr) * nr;
  // Regions, in bytes: A as given, B as given, packed A, packed B, padded C.
  const rawA = 0;
  const rawB = align(rawA + bytes * placedLength(aOffset, m, k, aRowStride, aColStride));
  const packedA = align(rawB + bytes * placedLength(bOffset, k, n, bRowStride, bColStride));
  const packedB = align(packedA + bytes * mPad * k);
  const cAddress = align(packedB + bytes * nPad * k);
  const end = cAddress + bytes * mPad * nPad;
  if (!reserve(wasm, end)) {
    gemm(
      m,
      n,
      k,
      a,
      aOffset,
      aRowStride,
      aColStride,
      b,
      bOffset,
      bRowStride,
      bColStride,
      c,
      cOffset,
      accumulate,
    );
    return;
  }
  const heap = f64 ? wasm.heap64 : wasm.heap;
  const aPlaced = place(heap, bytes, rawA / bytes, a, aOffset, m, k, aRowStride, aColStride);
  jobPackA[0] = aPlaced.address;
  jobPackA[1] = aPlaced.rowStride;
  jobPackA[2] = aPlaced.colStride;
  jobPackA[3] = m;
  jobPackA[4] = k;
  jobPackA[6] = packedA;
  // B's address and strides are filled in by io.placeB.
  jobPackB[3] = n;
  jobPackB[5] = nr;
  jobPackB[4] = k;
  jobPackB[6] = packedB;
  job.elementBytes = bytes;
  job.mPad = mPad;
  job.nPad = nPad;
  job.k = k;
  job.packedA = packedA;
  job.packedB = packedB;
  job.c = cAddress;
  current.heap = heap;
  current.elementBytes = bytes;
  current.b = b;
  current.bOffset = bOffset;
  current.k = k;
  current.n = n;
  current.bRowStride = bRowStride;
  current.bColStride = bColStride;
  current.rawB = rawB;
  current.c = c;
  current.cOffset = cOffset;
  current.m = m;
  current.nPad = nPad;
  current.cIndex = cAddress / bytes;
  current.accumulate = accumulate;
  runGemmJob(wasm, job, io);
  // Drop the references, so the module does not keep the caller's arrays alive.
  current.b = current.c = current.heap = EMPTY;
}
