/**
 * The default backend: plain TypeScript over typed arrays. Contiguous inputs take tight
 * loops; strided and broadcast views take the generated odometer loops; reductions run on
 * contiguous blocks without copying; matmul is {@link gemmAuto}: the WebAssembly SIMD gemm for
 * float32 where available, else the packed, register-tiled TypeScript gemm.
 */
import type { Backend, BinaryOp, UnaryOp } from '../backend.js';
import type { FloatArray } from '../dtype.js';
import { type BinaryKernel, compileBinary, compileUnary, type UnaryKernel } from '../kernels/elementwise.js';
import { gemmAuto } from '../kernels/gemm-select.js';
import { reduceMiddle, reduceRows } from '../kernels/reduce.js';
import { softmaxRows } from '../kernels/softmax.js';
import { erf, expFloat32 } from '../math.js';
import type { NDArray } from '../ndarray.js';

// Stable forms: sigmoid never exponentiates a positive number; softplus and logSigmoid use
// log1p(exp(−|x|)) so neither overflows at ±1e4.
const UNARY_EXPRESSIONS: Record<UnaryOp, string> = {
  neg: '-x',
  exp: 'Math.exp(x)',
  log: 'Math.log(x)',
  log1p: 'Math.log1p(x)',
  expm1: 'Math.expm1(x)',
  sqrt: 'Math.sqrt(x)',
  abs: 'Math.abs(x)',
  sign: 'Math.sign(x)',
  tanh: 'Math.tanh(x)',
  sigmoid: 'x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))',
  relu: 'x > 0 ? x : 0',
  erf: 'erf(x)',
  softplus: 'Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))',
  logSigmoid: 'Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)))',
  reciprocal: '1 / x',
  square: 'x * x',
  clamp: 'x < p ? p : x > q ? q : x',
  leakyRelu: 'x > 0 ? x : p * x',
  isFinite: 'Number.isFinite(x) ? 1 : 0',
};

// maximum/minimum propagate NaN like torch.maximum.
const BINARY_EXPRESSIONS: Record<BinaryOp, string> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  pow: 'Math.pow(x, y)',
  maximum: 'x > y || x !== x ? x : y',
  minimum: 'x < y || x !== x ? x : y',
  eq: 'x === y ? 1 : 0',
  ne: 'x !== y ? 1 : 0',
  lt: 'x < y ? 1 : 0',
  le: 'x <= y ? 1 : 0',
  gt: 'x > y ? 1 : 0',
  ge: 'x >= y ? 1 : 0',
};

const unaryKernels = new Map<UnaryOp, UnaryKernel>();
const binaryKernels = new Map<BinaryOp, BinaryKernel>();

function unaryKernel(op: UnaryOp): UnaryKernel {
  let kernel = unaryKernels.get(op);
  if (!kernel) {
    kernel = compileUnary(UNARY_EXPRESSIONS[op], { erf });
    unaryKernels.set(op, kernel);
  }
  return kernel;
}

/**
 * exp into float32 storage: the table exponential (3× Math.exp's speed, within one float32
 * rounding of it), since Math.exp's last bits would be rounded away anyway.
 */
const expIntoFloat32 = compileUnary('expFloat32(x)', { expFloat32 });

function binaryKernel(op: BinaryOp): BinaryKernel {
  let kernel = binaryKernels.get(op);
  if (!kernel) {
    kernel = compileBinary(BINARY_EXPRESSIONS[op]);
    binaryKernels.set(op, kernel);
  }
  return kernel;
}

/** One value broadcast everywhere (stride 0 on every axis longer than 1). Reads `view`: the getters copy. */
function isScalarView(x: NDArray): boolean {
  const { shape, stride } = x.view;
  return stride.every((step, axis) => step === 0 || shape[axis] === 1);
}

/** The plain TypeScript backend, always available. */
export const jsBackend: Backend = {
  name: 'js',
  unary(op, a, out, p, q) {
    const kernel = op === 'exp' && out.data instanceof Float32Array ? expIntoFloat32 : unaryKernel(op);
    if (a.isContiguous) kernel.contiguous(out.data, a.data, a.offset, out.size, p, q);
    else kernel.strided(out.data, a.data, a.offset, a.strides, a.shape, p, q);
  },
  binary(op, a, b, out) {
    const kernel = binaryKernel(op);
    const n = out.size;
    if (n === 0) return;
    const aContiguous = a.isContiguous;
    const bContiguous = b.isContiguous;
    if (aContiguous && bContiguous) kernel.contiguous(out.data, a.data, a.offset, b.data, b.offset, n);
    else if (aContiguous && isScalarView(b))
      kernel.scalarSecond(out.data, a.data, a.offset, b.data[b.offset], n);
    else if (bContiguous && isScalarView(a))
      kernel.scalarFirst(out.data, b.data, b.offset, a.data[a.offset], n);
    else
      kernel.strided(
        out.data,
        a.data,
        a.offset,
        a.view.stride,
        b.data,
        b.offset,
        b.view.stride,
        out.view.shape,
      );
  },
  reduce(op, a, outer, inner, out) {
    reduceRows(op, a.data, a.offset, outer, inner, out.data);
  },
  reduceMiddle(op, a, outer, reduced, inner, out) {
    reduceMiddle(op, a.data, a.offset, outer, reduced, inner, out.data);
  },
  matmul(a, b, out) {
    const [batch, m, k] = a.shape;
    const n = b.shape[2];
    const [aBatch, aRow, aCol] = a.strides;
    const [bBatch, bRow, bCol] = b.strides;
    const c = out.data as FloatArray;
    for (let i = 0; i < batch; i++) {
      gemmAuto(
        m,
        n,
        k,
        a.data as FloatArray,
        a.offset + i * aBatch,
        aRow,
        aCol,
        b.data as FloatArray,
        b.offset + i * bBatch,
        bRow,
        bCol,
        c,
        out.offset + i * m * n,
      );
    }
  },
  softmax(a, rows, cols, out, log) {
    softmaxRows(a.data, a.offset, rows, cols, out.data as FloatArray, out.offset, log);
  },
};
