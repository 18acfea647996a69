/**
 * Index arithmetic lives here and only here: sizes, strides, broadcasting and axis
 * normalisation. Kernels take offsets and strides computed by these helpers.
 */
import { formatShape, IndexError, ShapeError } from './errors.js';

/** Number of elements of `shape` (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major (C order) strides of a contiguous array of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/**
 * True when `strides` walk `shape` in row-major order without gaps (size-1 axes are free,
 * and an empty array is trivially contiguous).
 */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  if (shape.includes(0)) return true;
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] === 1) continue;
    if (strides[axis] !== expected) return false;
    expected *= shape[axis];
  }
  return true;
}

/** Element-wise equality of two shapes. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that `shape` is an array of non-negative integers. */
export function checkShape(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) {
    // `zeros(3)` is how torch spells it; here a plain number would fail as "not iterable".
    throw new ShapeError(
      `${op}: shape must be an array of dimensions (e.g. [${String(shape)}]), got ${typeof shape} ${String(shape)}`,
    );
  }
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      // JSON for non-numbers: a string '2' would print as 2 and make the message a riddle.
      const given = typeof dim === 'number' ? String(dim) : `${JSON.stringify(dim)} (a ${typeof dim})`;
      throw new ShapeError(
        `${op}: shape ${formatShape(shape)} has dimension ${given}; expected non-negative integers`,
      );
    }
  }
  return [...shape];
}

/** The NumPy broadcast of several shapes; throws naming the op and the shapes if they clash. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const axis = ndim - shape.length + i;
      const dim = shape[i];
      if (dim === out[axis] || dim === 1) continue;
      if (out[axis] === 1) out[axis] = dim;
      else
        throw new ShapeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (axis ${axis}: ${out[axis]} vs ${dim})`,
        );
    }
  }
  return out;
}

/** Strides that view an array of (`shape`, `strides`) as `target` by broadcasting (stride 0). */
export function broadcastStrides(
  op: string,
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  if (shape.length > target.length) {
    throw new ShapeError(
      `${op}: cannot broadcast ${formatShape(shape)} to ${formatShape(target)}: the target has fewer dimensions`,
    );
  }
  const lead = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const dim = shape[i];
    if (dim === target[lead + i]) out[lead + i] = dim === 1 ? 0 : strides[i];
    else if (dim === 1) out[lead + i] = 0;
    else
      throw new ShapeError(
        `${op}: cannot broadcast ${formatShape(shape)} to ${formatShape(target)}: dimension ${i} is ${dim}, expected ${target[lead + i]} or 1`,
      );
  }
  return out;
}

/** Turns a possibly negative axis into 0..ndim-1, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'none exist' : `expected an integer in [${-ndim}, ${ndim - 1}]`;
    throw new IndexError(`${op}: axis ${axis} is out of range for an array of ${ndim} dimensions (${range})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises `axis` (one, several, or all when undefined) into a sorted, duplicate-free list. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new IndexError(
      `${op}: axis must be a number, an array of numbers or undefined, got ${JSON.stringify(axis) ?? String(axis)}`,
    );
  }
  const list = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a) => normalizeAxis(op, a, ndim));
  const unique = [...new Set(axes)].sort((x, y) => x - y);
  if (unique.length !== axes.length) {
    throw new IndexError(`${op}: axes ${formatShape(list)} repeat an axis; expected distinct axes`);
  }
  return unique;
}

/** The shape left after reducing `axes` (kept as size 1 when `keepDims`). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let axis = 0; axis < shape.length; axis++) {
    if (axes.includes(axis)) {
      if (keepDims) out.push(1);
    } else out.push(shape[axis]);
  }
  return out;
}

/** Resolves one `-1` in a reshape target against the element count. */
export function inferShape(op: string, shape: readonly number[], size: number): number[] {
  const target = formatShape(shape);
  if (shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`${op}: target shape ${target} must hold non-negative integers (or one -1)`);
  }
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError(`${op}: only one dimension can be -1, got ${target}`);
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (!out.every(Number.isInteger) || sizeOf(out) !== size) {
    throw new ShapeError(`${op}: cannot reshape an array of ${size} elements into ${target}`);
  }
  return out;
}

/** The multi-index of row-major position `flat` in an array of `shape` (the inverse of a contiguous offset). */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}
