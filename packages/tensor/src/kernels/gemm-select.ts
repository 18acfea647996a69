/**
 * Which gemm the js backend's matmul runs: the WebAssembly SIMD kernel (float32 or float64, A, B
 * and C of one dtype) when the host has WebAssembly SIMD, the TypeScript gemm otherwise (mixed
 * dtypes, tiny products, no SIMD, or XENT_GEMM=ts). Both pass the same tests
 * (test/tensor/gemm.test.ts and gemm-select.test.ts run each).
 */
import { environment } from '../backend.js';
import { type FloatArray, gemm } from './gemm.js';
import { gemmWasm, wasmGemmAvailable } from './gemm-wasm.js';

/** The two gemm implementations. */
export type GemmKernel = 'ts' | 'wasm';

/**
 * Below this many multiply-adds the TypeScript gemm's unpacked loop is as fast as the wasm kernel's
 * copies and calls: measured 8³ 1.9 vs 2.0 GFLOP/s, 12³ 2.0 vs 2.4, 16³ 2.2 vs 7.0 (bench/NOTES.md).
 * A single row or column of C also stays in TypeScript: the wasm kernel would copy and pack all of
 * the other operand for one pass over it and fill a quarter (or an eighth) of its tile
 * (1×256×256: 2.5 GFLOP/s in TypeScript, 1.6 in wasm; 2×512×512: 2.6 vs 3.2).
 */
const WASM_MIN_WORK = 12 * 12 * 12;

let preferred: GemmKernel = environment('XENT_GEMM') === 'ts' ? 'ts' : 'wasm';

/** Chooses the kernel float products use from now on ('wasm' still needs WebAssembly SIMD). */
export function setGemmKernel(kernel: GemmKernel): void {
  preferred = kernel;
}

/** The kernel large float products run on here: 'wasm' only when preferred and available. */
export function gemmKernel(): GemmKernel {
  return preferred === 'wasm' && wasmGemmAvailable() ? 'wasm' : 'ts';
}

/**
 * C[m×n] (+)= A[m×k] · B[k×n], with the arguments of {@link gemm}, on the kernel that suits the
 * dtype and size.
 */
export function gemmAuto(
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
  if (
    preferred === 'wasm' &&
    m * n * k >= WASM_MIN_WORK &&
    m > 1 &&
    n > 1 &&
    oneDtype(a, b, c) &&
    wasmGemmAvailable()
  ) {
    gemmWasm(
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
  } else {
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
  }
}

/** True when a, b and c are all Float32Array or all Float64Array (what the wasm kernels take). */
function oneDtype(a: FloatArray, b: FloatArray, c: FloatArray): boolean {
  return a instanceof Float32Array
    ? b instanceof Float32Array && c instanceof Float32Array
    : b instanceof Float64Array && c instanceof Float64Array;
}
