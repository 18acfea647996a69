/**
 * Which gemm the js backend's matmul runs: the WebAssembly SIMD kernel for float32 when the host
 * has WebAssembly SIMD, the TypeScript gemm otherwise (float64, tiny products, no SIMD, or
 * XENT_GEMM=ts). Both pass the same tests (test/tensor/gemm.test.ts runs each).
 */
import { environment } from '../backend.js';
import { type FloatArray, gemm } from './gemm.js';
import { gemmWasm, wasmGemmAvailable } from './gemm-wasm.js';

/** The two gemm implementations. */
export type GemmKernel = 'ts' | 'wasm';

/**
 * Below this many multiply-adds the TypeScript gemm's unpacked loop is as fast as the wasm kernel's
 * copies and calls (bench/NOTES.md).
 */
const WASM_MIN_WORK = 16 * 16 * 16;

let preferred: GemmKernel = environment('XENT_GEMM') === 'ts' ? 'ts' : 'wasm';

/** Chooses the kernel float32 products use from now on ('wasm' still needs WebAssembly SIMD). */
export function setGemmKernel(kernel: GemmKernel): void {
  preferred = kernel;
}

/** The kernel large float32 products run on here: 'wasm' only when preferred and available. */
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
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    c instanceof Float32Array &&
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
