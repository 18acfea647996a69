/**
 * Elementwise kernels, generated once per op from a one-line JS expression so each loop is
 * monomorphic and the expression inlines (the trick `cwise` uses inside ndarray-ops). Every
 * op gets four loops: both inputs contiguous, one side a scalar, and the general strided
 * walk (an odometer over the outer axes around a tight innermost loop). Outputs are always
 * contiguous; inputs may be any view, including broadcast (stride 0) ones.
 */
import type { TypedArray } from '../dtype.js';

type Storage = TypedArray;

/** `(out, a, aOffset, b, bOffset, n)`: both operands contiguous. */
type ContiguousBinary = (
  out: Storage,
  a: Storage,
  aOffset: number,
  b: Storage,
  bOffset: number,
  n: number,
) => void;
/** `(out, a, aOffset, y, n)`: the second operand is the constant `y` (or the first, for `scalarFirst`). */
type ScalarBinary = (out: Storage, a: Storage, aOffset: number, y: number, n: number) => void;
type StridedBinary = (
  out: Storage,
  a: Storage,
  aOffset: number,
  aStrides: readonly number[],
  b: Storage,
  bOffset: number,
  bStrides: readonly number[],
  shape: readonly number[],
) => void;

/** The loops of one binary op. */
export interface BinaryKernel {
  contiguous: ContiguousBinary;
  scalarSecond: ScalarBinary;
  scalarFirst: ScalarBinary;
  strided: StridedBinary;
}

type ContiguousUnary = (out: Storage, a: Storage, aOffset: number, n: number, p: number, q: number) => void;
type StridedUnary = (
  out: Storage,
  a: Storage,
  aOffset: number,
  aStrides: readonly number[],
  shape: readonly number[],
  p: number,
  q: number,
) => void;

/** The loops of one unary op; `p` and `q` are its scalar parameters (clamp bounds, slopes…). */
export interface UnaryKernel {
  contiguous: ContiguousUnary;
  strided: StridedUnary;
}

// The odometer shared by the strided loops: advance the outer index, moving each offset.
const ODOMETER = (offsets: string[]) => `
      for (let d = nd - 2; d >= 0; d--) {
        index[d]++;
        ${offsets.map((o) => `${o}Base += ${o}Strides[d];`).join(' ')}
        if (index[d] < shape[d]) break;
        ${offsets.map((o) => `${o}Base -= ${o}Strides[d] * shape[d];`).join(' ')}
        index[d] = 0;
      }`;

/** Compiles the four loops of a binary op whose value is `expression` in `x` and `y`. */
export function compileBinary(expression: string, helpers: Record<string, unknown> = {}): BinaryKernel {
  const names = Object.keys(helpers);
  const make = <T>(params: string[], body: string): T =>
    new Function(...names, `return function (${params.join(', ')}) {${body}};`)(
      ...Object.values(helpers),
    ) as T;
  return {
    contiguous: make<ContiguousBinary>(
      ['out', 'a', 'aOffset', 'b', 'bOffset', 'n'],
      `for (let i = 0; i < n; i++) { const x = a[aOffset + i], y = b[bOffset + i]; out[i] = ${expression}; }`,
    ),
    scalarSecond: make<ScalarBinary>(
      ['out', 'a', 'aOffset', 'y', 'n'],
      `for (let i = 0; i < n; i++) { const x = a[aOffset + i]; out[i] = ${expression}; }`,
    ),
    scalarFirst: make<ScalarBinary>(
      ['out', 'b', 'bOffset', 'x', 'n'],
      `for (let i = 0; i < n; i++) { const y = b[bOffset + i]; out[i] = ${expression}; }`,
    ),
    strided: make<StridedBinary>(
      ['out', 'a', 'aOffset', 'aStrides', 'b', 'bOffset', 'bStrides', 'shape'],
      `const nd = shape.length;
      if (nd === 0) { const x = a[aOffset], y = b[bOffset]; out[0] = ${expression}; return; }
      let outer = 1;
      for (let d = 0; d < nd - 1; d++) outer *= shape[d];
      const inner = shape[nd - 1], aStep = aStrides[nd - 1], bStep = bStrides[nd - 1];
      if (inner === 0) return;
      const index = new Int32Array(nd);
      let aBase = aOffset, bBase = bOffset, o = 0;
      for (let r = 0; r < outer; r++) {
        let ai = aBase, bi = bBase;
        for (let i = 0; i < inner; i++) { const x = a[ai], y = b[bi]; out[o++] = ${expression}; ai += aStep; bi += bStep; }
        ${ODOMETER(['a', 'b'])}
      }`,
    ),
  };
}

/** Compiles the loops of a unary op whose value is `expression` in `x` (and parameters `p`, `q`). */
export function compileUnary(expression: string, helpers: Record<string, unknown> = {}): UnaryKernel {
  const names = Object.keys(helpers);
  const make = <T>(params: string[], body: string): T =>
    new Function(...names, `return function (${params.join(', ')}) {${body}};`)(
      ...Object.values(helpers),
    ) as T;
  return {
    contiguous: make<ContiguousUnary>(
      ['out', 'a', 'aOffset', 'n', 'p', 'q'],
      `for (let i = 0; i < n; i++) { const x = a[aOffset + i]; out[i] = ${expression}; }`,
    ),
    strided: make<StridedUnary>(
      ['out', 'a', 'aOffset', 'aStrides', 'shape', 'p', 'q'],
      `const nd = shape.length;
      if (nd === 0) { const x = a[aOffset]; out[0] = ${expression}; return; }
      let outer = 1;
      for (let d = 0; d < nd - 1; d++) outer *= shape[d];
      const inner = shape[nd - 1], aStep = aStrides[nd - 1];
      if (inner === 0) return;
      const index = new Int32Array(nd);
      let aBase = aOffset, o = 0;
      for (let r = 0; r < outer; r++) {
        let ai = aBase;
        for (let i = 0; i < inner; i++) { const x = a[ai]; out[o++] = ${expression}; ai += aStep; }
        ${ODOMETER(['a'])}
      }`,
    ),
  };
}
