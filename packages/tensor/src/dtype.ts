/**
 * Dtypes and the promotion rules every op follows (tested in test/tensor/elementwise.test.ts):
 *
 * 1. Two arrays: equal dtypes keep it; float64 with anything is float64; float32 with int32
 *    is float32 (int32 with a float promotes to that float) — {@link promoteTypes}.
 * 2. Plain JS numbers are weak, as in NumPy 2 and PyTorch: they never widen a float array
 *    (`float32 + 0.1` stays float32); with an int32 array an integer keeps int32 and a
 *    fractional number gives float32 — {@link promoteWithScalar}.
 * 3. Comparisons (`equal`, `less`, …) and `isFiniteMask` return int32 masks of 0 and 1.
 * 4. Division is true division: int32 / int32 is float32. Float-valued unary ops (exp, log,
 *    sqrt, sigmoid, erf…) and `mean`, `variance`, `logsumexp`, `softmax` also turn int32
 *    into float32 — {@link floatResult}. Sign-preserving ops (neg, abs, sign, relu, square,
 *    clamp with integer bounds) and `sum`, `max`, `min` keep int32.
 * 5. `matmul` promotes like rule 1 and computes int32 × int32 in float32.
 * 6. int32 arithmetic wraps like a C int32; storing a float into int32 truncates toward zero.
 */
import { DTypeError } from './errors.js';

/** The element types an NDArray can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array that stores each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Typed arrays of the floating dtypes (what kernels that need fractions accept). */
export type FloatArray = Float32Array | Float64Array;

/** The dtype used when none is given. */
export const DEFAULT_DTYPE: DType = 'float32';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** Allocates zeroed storage of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
  }
}

/** The dtype whose storage is `data`. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/** Throws unless `dtype` is one of xent's dtypes. */
export function checkDType(op: string, dtype: string): DType {
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new DTypeError(`${op}: dtype '${dtype}' is not supported; expected one of ${DTYPES.join(', ')}`);
  }
  return dtype as DType;
}

/** True for float32 and float64. */
export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/**
 * The result dtype of a binary op on two arrays. The rules, in order:
 * - equal dtypes give that dtype;
 * - float64 with anything gives float64;
 * - float32 with int32 gives float32 (int32 with a float promotes to the float).
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

/**
 * The result dtype of an array combined with a plain JS number. Numbers are "weak", as in
 * NumPy and PyTorch: they never widen a float array, and they turn an int32 array into
 * float32 only when they are not integers.
 */
export function promoteWithScalar(dtype: DType, scalar: number): DType {
  if (dtype === 'int32' && !Number.isInteger(scalar)) return 'float32';
  return dtype;
}

/** The dtype a float-valued op (exp, log, division…) returns for an input of `dtype`. */
export function floatResult(dtype: DType): DType {
  return dtype === 'int32' ? 'float32' : dtype;
}
