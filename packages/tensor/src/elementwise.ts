/**
 * Elementwise operations with NumPy broadcasting. Dtype rules (see dtype.ts): two arrays
 * promote (int32 with a float gives the float, float32 with float64 gives float64); a plain
 * number never widens a float array; float-valued ops (exp, log, div, sigmoid…) turn int32
 * into float32; comparisons return int32 masks of 0 and 1.
 */

import ops from 'ndarray-ops';
import { type BinaryOp, getBackend, type UnaryOp } from './backend.js';
import { type DType, floatResult, promoteTypes, promoteWithScalar } from './dtype.js';
import { DTypeError, formatShape, ValueError } from './errors.js';
import { broadcastView, NDArray } from './ndarray.js';
import { broadcastShapes } from './shape.js';

/** An array, or a plain number that broadcasts like a 0-d array. */
export type ArrayOrScalar = NDArray | number;

function scalarArray(value: number): NDArray {
  return NDArray.fromStorage(new Float64Array([value]), []);
}

/** Result dtype of `op` on operands of these kinds. */
function binaryDType(op: BinaryOp, a: ArrayOrScalar, b: ArrayOrScalar): DType {
  let dtype: DType;
  if (typeof a === 'number' && typeof b === 'number')
    dtype = promoteWithScalar('int32', a) === 'int32' ? promoteWithScalar('int32', b) : 'float32';
  else if (typeof a === 'number') dtype = promoteWithScalar((b as NDArray).dtype, a);
  else if (typeof b === 'number') dtype = promoteWithScalar(a.dtype, b);
  else dtype = promoteTypes(a.dtype, b.dtype);
  switch (op) {
    case 'div':
      return floatResult(dtype);
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return 'int32';
    default:
      return dtype;
  }
}

/** Applies a binary op with broadcasting, into a new contiguous array. */
export function binary(op: BinaryOp, a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  const dtype = binaryDType(op, a, b);
  const left = typeof a === 'number' ? scalarArray(a) : a;
  const right = typeof b === 'number' ? scalarArray(b) : b;
  // `view.shape`, not the copying `shape` getter: this runs once per op, on small arrays too.
  const shape = broadcastShapes(op, left.view.shape, right.view.shape);
  const out = NDArray.empty(shape, dtype);
  getBackend().binary(op, left.broadcastTo(shape), right.broadcastTo(shape), out);
  return out;
}

/** Applies a unary op into a new contiguous array of `dtype` (default: the op's natural result). */
export function unary(op: UnaryOp, a: NDArray, p = 0, q = 0, dtype?: DType): NDArray {
  const out = NDArray.empty(a.shape, dtype ?? floatResult(a.dtype));
  if (out.size > 0) getBackend().unary(op, a, out, p, q);
  return out;
}

/** a + b, broadcast. */
export const add = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('add', a, b);
/** a − b, broadcast. */
export const sub = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('sub', a, b);
/** a · b, broadcast. */
export const mul = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('mul', a, b);
/** a / b, broadcast; always floating (true division, as in PyTorch). */
export const div = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('div', a, b);
/** a ** b, broadcast. */
export const pow = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('pow', a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('maximum', a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('minimum', a, b);
/** Mask of a == b (int32 0/1). */
export const equal = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('eq', a, b);
/** Mask of a != b (int32 0/1). */
export const notEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('ne', a, b);
/** Mask of a < b (int32 0/1). */
export const less = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('lt', a, b);
/** Mask of a <= b (int32 0/1). */
export const lessEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('le', a, b);
/** Mask of a > b (int32 0/1). */
export const greater = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('gt', a, b);
/** Mask of a >= b (int32 0/1). */
export const greaterEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => binary('ge', a, b);

/** −a (keeps int32). */
export const neg = (a: NDArray): NDArray => unary('neg', a, 0, 0, a.dtype);
/** eˣ. */
export const exp = (a: NDArray): NDArray => unary('exp', a);
/** Natural logarithm. */
export const log = (a: NDArray): NDArray => unary('log', a);
/** log(1 + x), accurate near 0. */
export const log1p = (a: NDArray): NDArray => unary('log1p', a);
/** eˣ − 1, accurate near 0. */
export const expm1 = (a: NDArray): NDArray => unary('expm1', a);
/** Square root. */
export const sqrt = (a: NDArray): NDArray => unary('sqrt', a);
/** |a| (keeps int32). */
export const abs = (a: NDArray): NDArray => unary('abs', a, 0, 0, a.dtype);
/** −1, 0 or 1 (keeps int32). */
export const sign = (a: NDArray): NDArray => unary('sign', a, 0, 0, a.dtype);
/** Hyperbolic tangent. */
export const tanh = (a: NDArray): NDArray => unary('tanh', a);
/** 1 / (1 + e⁻ˣ), computed without overflow for any x. */
export const sigmoid = (a: NDArray): NDArray => unary('sigmoid', a);
/** max(x, 0) (keeps int32). */
export const relu = (a: NDArray): NDArray => unary('relu', a, 0, 0, a.dtype);
/** The error function (≈1e-15 accurate). */
export const erf = (a: NDArray): NDArray => unary('erf', a);
/** log(1 + eˣ), stable at any x. */
export const softplus = (a: NDArray): NDArray => unary('softplus', a);
/** log σ(x) = −softplus(−x), stable at any x. */
export const logSigmoid = (a: NDArray): NDArray => unary('logSigmoid', a);
/** 1 / x. */
export const reciprocal = (a: NDArray): NDArray => unary('reciprocal', a);
/** x² (keeps int32). */
export const square = (a: NDArray): NDArray => unary('square', a, 0, 0, a.dtype);
/** x for x > 0, slope·x otherwise. */
export const leakyRelu = (a: NDArray, slope = 0.01): NDArray => unary('leakyRelu', a, slope);
/** Mask (int32 0/1) of the finite elements. */
export const isFiniteMask = (a: NDArray): NDArray => unary('isFinite', a, 0, 0, 'int32');

/** Limits every element to [min, max]; either bound may be omitted. */
export function clamp(a: NDArray, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): NDArray {
  // A NaN bound compares false both ways, so it would silently clamp nothing.
  if (Number.isNaN(min) || Number.isNaN(max))
    throw new ValueError(`clamp: bounds must be numbers or omitted, got min=${min}, max=${max}`);
  if (min > max) throw new ValueError(`clamp: min ${min} is greater than max ${max}; expected min <= max`);
  const dtype =
    a.dtype === 'int32' &&
    ((!Number.isInteger(min) && Number.isFinite(min)) || (!Number.isInteger(max) && Number.isFinite(max)))
      ? 'float32'
      : a.dtype;
  return unary('clamp', a, min, max, dtype);
}

/** `condition ? a : b` elementwise, all three broadcast together; `condition` is nonzero = true. */
export function where(condition: NDArray, a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  const left = typeof a === 'number' ? scalarArray(a) : a;
  const right = typeof b === 'number' ? scalarArray(b) : b;
  const dtype = binaryDType('add', a, b);
  const shape = broadcastShapes('where', condition.shape, left.shape, right.shape);
  const mask = condition.broadcastTo(shape).values();
  const whenTrue = left.broadcastTo(shape).values();
  const whenFalse = right.broadcastTo(shape).values();
  const out = NDArray.empty(shape, dtype);
  const data = out.data;
  for (let i = 0; i < data.length; i++) data[i] = mask[i] !== 0 ? whenTrue[i] : whenFalse[i];
  return out;
}

/** Throws a DTypeError unless `a` is int32 (for indices and labels). */
export function checkIntegerArray(op: string, name: string, a: NDArray): void {
  if (a.dtype !== 'int32') {
    throw new DTypeError(`${op}: ${name} must be int32, got ${a.dtype} with shape ${formatShape(a.shape)}`);
  }
}

/**
 * Copies `source` (broadcast to `target`'s shape, converted to `target`'s dtype; float to
 * int32 truncates) into the view `target`, in place. The only mutating op: used to fill
 * slices of freshly allocated arrays and by optimizers. A source sharing storage with the
 * target is copied first, so `assign(x, x.transpose())` is safe.
 */
export function assign(target: NDArray, source: ArrayOrScalar): void {
  const strides = target.strides;
  const broadcastAxis = target.shape.findIndex((d, i) => d > 1 && strides[i] === 0);
  if (broadcastAxis >= 0) {
    throw new ValueError(
      `assign: target of shape ${formatShape(target.shape)} is a broadcast view (stride 0 on axis ${broadcastAxis}); expected a view where each element has its own storage`,
    );
  }
  if (typeof source === 'number') {
    if (target.size === 0) return;
    if (target.isContiguous) target.data.fill(source, target.offset, target.offset + target.size);
    else ops.assigns(target.view, source);
    return;
  }
  const view = broadcastView('assign', source.data === target.data ? source.clone() : source, target.shape);
  if (target.size === 0) return;
  if (target.ndim === 0) target.data[target.offset] = view.data[view.offset];
  else if (target.isContiguous && view.isContiguous) {
    target.data.set(view.data.subarray(view.offset, view.offset + view.size), target.offset);
  } else ops.assign(target.view, view.view);
}
