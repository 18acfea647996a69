/**
 * float32 kernels on gpu.js. Every kernel is compiled for one shape (gpu.js bakes sizes into
 * the module, and growing a `dynamicOutput` kernel past its built size silently keeps the
 * old shape), under a key naming op and shape; a {@link KernelRunner} (runner.ts) compiles,
 * caches and runs them, on this thread or in the async bridge's worker.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../../backend.js';
import type { NDArray } from '../../ndarray.js';
import type { GpuKernelSettings, GpuMode } from './gpujs.js';
import type { KernelRunner, KernelStats } from './runner.js';

/** Unary ops with a gpu.js body (`x` is the element, `p`/`q` the op's constants). */
const UNARY_BODIES: Partial<Record<UnaryOp, string>> = {
  neg: 'return -x;',
  exp: 'return Math.exp(x);',
  log: 'return Math.log(x);',
  log1p: 'return Math.log1p(x);',
  expm1: 'return Math.expm1(x);',
  sqrt: 'return Math.sqrt(x);',
  abs: 'return Math.abs(x);',
  tanh: 'return Math.tanh(x);',
  // Stable forms, as in the js backend: never exponentiate a large positive number.
  sigmoid: 'const e = Math.exp(-Math.abs(x)); if (x >= 0) { return 1 / (1 + e); } return e / (1 + e);',
  relu: 'if (x > 0) { return x; } return 0;',
  softplus: 'return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));',
  logSigmoid: 'return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));',
  reciprocal: 'return 1 / x;',
  square: 'return x * x;',
  leakyRelu: 'if (x > 0) { return x; } return this.constants.p * x;',
};

const BINARY_BODIES: Partial<Record<BinaryOp, string>> = {
  add: 'return x + y;',
  sub: 'return x - y;',
  mul: 'return x * y;',
  div: 'return x / y;',
  maximum: 'return Math.max(x, y);',
  minimum: 'return Math.min(x, y);',
};

/** Reductions on gpu; argmax/argmin (int32 results) and NaN-propagating max/min stay on js. */
const REDUCE_BODIES: Partial<Record<ReduceOp, string>> = {
  // Kahan summation: wasm and GLSL keep float32 order, so the compensation survives.
  sum: `let sum = 0; let carry = 0;
    for (let i = 0; i < this.constants.inner; i++) {
      const term = a[start + i] - carry; const next = sum + term; carry = (next - sum) - term; sum = next;
    }
    return sum;`,
  logsumexp: `let max = -3.4e38;
    for (let i = 0; i < this.constants.inner; i++) { max = Math.max(max, a[start + i]); }
    let sum = 0; let carry = 0;
    for (let i = 0; i < this.constants.inner; i++) {
      const term = Math.exp(a[start + i] - max) - carry; const next = sum + term; carry = (next - sum) - term; sum = next;
    }
    return max + Math.log(sum);`,
};

/** True when gpu.js can run this unary op. */
export function hasGpuUnary(op: UnaryOp): boolean {
  return UNARY_BODIES[op] !== undefined;
}
/** True when gpu.js can run this binary op. */
export function hasGpuBinary(op: BinaryOp): boolean {
  return BINARY_BODIES[op] !== undefined;
}
/** True when gpu.js can run this reduction. */
export function hasGpuReduce(op: ReduceOp): boolean {
  return REDUCE_BODIES[op] !== undefined;
}

/** How operands of a binary op line up: both full, or one a broadcast scalar. */
export type BinaryLayout = 'full' | 'scalarFirst' | 'scalarSecond';

/** The float32 contiguous data of `x` (a view, not a copy). */
function flat(x: NDArray): Float32Array {
  return (x.data as Float32Array).subarray(x.offset, x.offset + x.size);
}

/** The float32 ops xent runs on gpu.js: each builds its kernel source and runs it through a {@link KernelRunner}. */
export class GpuKernels {
  private readonly runner: KernelRunner;

  constructor(runner: KernelRunner) {
    this.runner = runner;
  }

  /** gpu.js mode the kernels run in. */
  get mode(): GpuMode {
    return this.runner.mode;
  }

  /** True when the kernels run in gpu.js's `asyncMode` behind the synchronous bridge. */
  get async(): boolean {
    return this.runner.async;
  }

  /** Kernels alive now, and compiled/destroyed/threaded since creation (for leak checks). */
  stats(): KernelStats {
    return this.runner.stats();
  }

  /** Destroys every kernel and whatever runs them. */
  dispose(): void {
    this.runner.dispose();
  }

  /** Runs the kernel under `key` (compiled on first use) and returns `length` flat values. */
  private run(
    key: string,
    source: string,
    settings: GpuKernelSettings,
    length: number,
    ...args: Array<Float32Array | number>
  ): Float32Array {
    return this.runner.run(key, source, settings, length, args);
  }

  /** `out = op(a)` for float32 contiguous `a` and `out`. */
  unary(op: UnaryOp, a: NDArray, out: NDArray, p: number, q: number): void {
    const n = out.size;
    const key = `unary:${op}:${n}:${p}:${q}`;
    const source = `function (a) { const x = a[this.thread.x]; ${UNARY_BODIES[op]} }`;
    out.data.set(this.run(key, source, { output: [n], constants: { p, q } }, n, flat(a)), out.offset);
  }

  /** `out = op(a, b)` for float32 operands laid out as `layout` says. */
  binary(op: BinaryOp, layout: BinaryLayout, a: NDArray, b: NDArray, out: NDArray): void {
    const n = out.size;
    const key = `binary:${op}:${layout}:${n}`;
    const x = layout === 'scalarFirst' ? 's' : 'a[this.thread.x]';
    const y = layout === 'scalarSecond' ? 's' : 'b[this.thread.x]';
    const params = layout === 'scalarFirst' ? 's, b' : layout === 'scalarSecond' ? 'a, s' : 'a, b';
    const source = `function (${params}) { const x = ${x}; const y = ${y}; ${BINARY_BODIES[op]} }`;
    const settings = { output: [n], argumentTypes: argumentTypes(layout) };
    const first = layout === 'scalarFirst' ? a.data[a.offset] : flat(a);
    const second = layout === 'scalarSecond' ? b.data[b.offset] : flat(b);
    out.data.set(this.run(key, source, settings, n, first, second), out.offset);
  }

  /** `out[row] = op(a[row, :])` over a contiguous float32 `[outer, inner]` block. */
  reduce(op: ReduceOp, a: NDArray, outer: number, inner: number, out: NDArray): void {
    const key = `reduce:${op}:${outer}:${inner}`;
    const source = `function (a) { const start = this.thread.x * this.constants.inner; ${REDUCE_BODIES[op]} }`;
    out.data.set(
      this.run(key, source, { output: [outer], constants: { inner } }, outer, flat(a)),
      out.offset,
    );
  }

  /**
   * Row-wise softmax / log-softmax in three passes: row max, Σ exp(x − max), then
   * exp(x − max) / Σ or (x − max) − log Σ. Subtracting max and log Σ separately matters in
   * float32: max + log Σ rounds away the small part at large logits (±1e4).
   */
  softmax(a: NDArray, rows: number, cols: number, out: NDArray, log: boolean): void {
    const x = flat(a);
    const maxima = this.run(
      `rowmax:${rows}:${cols}`,
      `function (a) { const start = this.thread.x * this.constants.cols; let max = -3.4e38;
        for (let i = 0; i < this.constants.cols; i++) { max = Math.max(max, a[start + i]); }
        return max; }`,
      { output: [rows], constants: { cols } },
      rows,
      x,
    );
    const sums = this.run(
      `rowsumexp:${rows}:${cols}`,
      `function (a, maxima) { const start = this.thread.x * this.constants.cols; const max = maxima[this.thread.x];
        let sum = 0; let carry = 0;
        for (let i = 0; i < this.constants.cols; i++) {
          const term = Math.exp(a[start + i] - max) - carry; const next = sum + term; carry = (next - sum) - term; sum = next;
        }
        return sum; }`,
      { output: [rows], constants: { cols } },
      rows,
      x,
      maxima,
    );
    const body = log ? 'return (x - max) - Math.log(sum);' : 'return Math.exp(x - max) / sum;';
    const normalized = this.run(
      `softmax:${log}:${rows}:${cols}`,
      `function (a, maxima, sums) {
        const x = a[this.thread.y * this.constants.cols + this.thread.x];
        const max = maxima[this.thread.y]; const sum = sums[this.thread.y]; ${body} }`,
      { output: [cols, rows], constants: { cols } },
      rows * cols,
      x,
      maxima,
      sums,
    );
    out.data.set(normalized, out.offset);
  }

  /**
   * Batched `out[z] = a[z] @ b[z]`. Operands are packed once (A row-major with rows padded
   * to a multiple of 4, B transposed) so each gpu.js cell computes a 4-row strip of one
   * output column with every load walking memory forward; any input strides (transposed,
   * sliced, broadcast batch) are handled by the packing, which costs O(mk + kn) against the
   * product's O(mnk).
   */
  matmul(a: NDArray, b: NDArray, out: NDArray): void {
    const [batch, m, k] = a.shape;
    const n = b.shape[2];
    const blocks = Math.ceil(m / 4);
    const packedA = packRows(a, blocks * 4);
    const packedB = packTransposed(b);
    const key = `matmul:${batch}:${m}:${n}:${k}`;
    const source = `function (a, bt) {
      const k = this.constants.k;
      const rowA = (this.thread.z * this.constants.rows + 4 * this.thread.y) * k;
      const rowB = (this.thread.z * this.constants.n + this.thread.x) * k;
      let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
      for (let i = 0; i < this.constants.k; i++) {
        const bv = bt[rowB + i];
        s0 += a[rowA + i] * bv;
        s1 += a[rowA + k + i] * bv;
        s2 += a[rowA + 2 * k + i] * bv;
        s3 += a[rowA + 3 * k + i] * bv;
      }
      return [s0, s1, s2, s3];
    }`;
    const settings: GpuKernelSettings = {
      output: [n, blocks, batch],
      constants: { k, n, rows: blocks * 4 },
      returnType: 'Array(4)',
    };
    const strips = this.run(key, source, settings, batch * blocks * n * 4, packedA, packedB);
    // strips[((z * blocks + y) * n + x) * 4 + r] = out[z, 4y + r, x]
    const c = out.data as Float32Array;
    for (let z = 0; z < batch; z++) {
      for (let y = 0; y < blocks; y++) {
        const rowsHere = Math.min(4, m - 4 * y);
        for (let r = 0; r < rowsHere; r++) {
          const target = out.offset + (z * m + 4 * y + r) * n;
          let source = (z * blocks + y) * n * 4 + r;
          for (let x = 0; x < n; x++, source += 4) c[target + x] = strips[source];
        }
      }
    }
  }
}

function argumentTypes(layout: BinaryLayout): Record<string, string> {
  if (layout === 'scalarFirst') return { s: 'Float', b: 'Array' };
  if (layout === 'scalarSecond') return { a: 'Array', s: 'Float' };
  return { a: 'Array', b: 'Array' };
}

/** `[batch, m, k]` (any strides) as contiguous float32 `[batch, rows, k]`, extra rows zero. */
function packRows(a: NDArray, rows: number): Float32Array {
  const [batch, m, k] = a.shape;
  const [sb, sm, sk] = a.strides;
  if (rows === m && a.isContiguous && a.data instanceof Float32Array) return flat(a);
  const packed = new Float32Array(batch * rows * k);
  const x = a.data;
  for (let z = 0; z < batch; z++) {
    for (let i = 0; i < m; i++) {
      const target = (z * rows + i) * k;
      let source = a.offset + z * sb + i * sm;
      for (let j = 0; j < k; j++, source += sk) packed[target + j] = x[source];
    }
  }
  return packed;
}

/** `[batch, k, n]` (any strides) as contiguous float32 `[batch, n, k]` (each batch transposed). */
function packTransposed(b: NDArray): Float32Array {
  const [batch, k, n] = b.shape;
  const [sb, sk, sn] = b.strides;
  // Already a transposed contiguous array (b = cᵀ): no copy.
  if (b.data instanceof Float32Array && sk === 1 && sn === k && (batch === 1 || sb === n * k)) {
    return b.data.subarray(b.offset, b.offset + batch * n * k);
  }
  const packed = new Float32Array(batch * n * k);
  const x = b.data;
  for (let z = 0; z < batch; z++) {
    for (let j = 0; j < n; j++) {
      const target = (z * n + j) * k;
      let source = b.offset + z * sb + j * sn;
      for (let i = 0; i < k; i++, source += sk) packed[target + i] = x[source];
    }
  }
  return packed;
}
