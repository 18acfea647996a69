import ops from 'ndarray-ops';
import { allocate, checkDType, type DType, dtypeOf, type TypedArray } from './dtype.js';
import { formatShape, IndexError, ShapeError } from './errors.js';
import { formatNDArray } from './format.js';
import {
  broadcastStrides,
  checkShape,
  contiguousStrides,
  inferShape,
  isContiguous,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from './shape.js';
import { type StridedView, stridedView } from './strided-view.js';

export type { StridedView } from './strided-view.js';

/** Nested JS arrays of numbers, as produced by {@link NDArray.toArray}. */
export type NestedArray = number | NestedArray[];

/** One axis of a {@link NDArray.slice}: `[start, stop, step]` (any may be omitted), or `null` for all. */
export type SliceRange = readonly [start?: number | null, stop?: number | null, step?: number | null] | null;

/**
 * An n-dimensional array: a dtype, a shape, and a strided view (`ndarray`) over a typed array.
 * Views (reshape of contiguous data, permute, transpose, slice, broadcastTo, squeeze,
 * unsqueeze) share memory with their source; every operation returns a new contiguous array.
 */
export class NDArray {
  /** The strided `ndarray` view this array is. */
  readonly view: StridedView;
  /** Element type. */
  readonly dtype: DType;

  /** Wraps an `ndarray` view; use {@link NDArray.fromStorage} or the creation functions instead. */
  constructor(view: StridedView) {
    this.view = view;
    this.dtype = dtypeOf(view.data);
  }

  /**
   * An array over existing storage (shared, not copied). Strides default to row-major;
   * offset to 0.
   */
  static fromStorage(
    data: TypedArray,
    shape: readonly number[],
    strides?: readonly number[],
    offset = 0,
  ): NDArray {
    const dims = checkShape('NDArray', shape);
    const steps = strides ? [...strides] : contiguousStrides(dims);
    if (!strides && sizeOf(dims) > data.length - offset) {
      throw new ShapeError(
        `NDArray: shape ${formatShape(dims)} needs ${sizeOf(dims)} elements but the storage holds ${data.length - offset}`,
      );
    }
    return new NDArray(stridedView(data, dims, steps, offset));
  }

  /** A new zero-filled contiguous array. */
  static empty(shape: readonly number[], dtype: DType = 'float32'): NDArray {
    const dims = checkShape('NDArray', shape);
    return NDArray.fromStorage(allocate(checkDType('NDArray', dtype), sizeOf(dims)), dims);
  }

  /** The underlying storage, shared with every view of it. Index it with {@link offset} and {@link strides}. */
  get data(): TypedArray {
    return this.view.data;
  }

  /** Dimensions, outermost first. A copy: mutating it changes nothing. */
  get shape(): number[] {
    return this.view.shape.slice();
  }

  /** True when this array has shape `shape`; hot paths use it instead of copying {@link shape}. */
  hasShape(shape: readonly number[]): boolean {
    return shapesEqual(this.view.shape, shape);
  }

  /** Element steps per axis in {@link data} (0 on broadcast axes, negative after a reversing slice). */
  get strides(): number[] {
    return this.view.stride.slice();
  }

  /** Index in {@link data} of the first element. */
  get offset(): number {
    return this.view.offset;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.view.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.view.shape);
  }

  /** True when the elements sit in row-major order, without gaps, from {@link offset}. */
  get isContiguous(): boolean {
    return isContiguous(this.view.shape, this.view.stride);
  }

  /** The element at `index` (one integer per axis, negative counts from the end). */
  get(...index: number[]): number {
    return this.data[this.position('get', index)];
  }

  /** Writes `value` at `index` (one integer per axis). Writes through to every view sharing the storage. */
  set(index: readonly number[], value: number): void {
    this.data[this.position('set', index)] = value;
  }

  /** The single element of a one-element array, as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(
        `item: only one-element arrays convert to a number, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.data[this.offset];
  }

  /**
   * Contiguous row-major elements. Shares memory when the array already is contiguous (so
   * treat the result as read-only); copies otherwise.
   */
  values(): TypedArray {
    const contiguous = this.contiguous();
    return contiguous.data.subarray(contiguous.offset, contiguous.offset + contiguous.size) as TypedArray;
  }

  /** Nested JS arrays (a plain number for a 0-d array). */
  toArray(): NestedArray {
    const flat = this.values();
    const shape = this.view.shape;
    if (shape.length === 0) return flat[0];
    let position = 0;
    const build = (axis: number): NestedArray[] => {
      const out: NestedArray[] = new Array(shape[axis]);
      for (let i = 0; i < shape[axis]; i++)
        out[i] = axis === shape.length - 1 ? flat[position++] : build(axis + 1);
      return out;
    };
    return build(0);
  }

  /** NumPy-style printout, e.g. `array([[1, 2], [3, 4]], dtype=int32)`. */
  toString(): string {
    return formatNDArray(this);
  }

  /** This array if contiguous, otherwise a contiguous copy. */
  contiguous(): NDArray {
    return this.isContiguous ? this : this.clone();
  }

  /** A contiguous copy that shares nothing with this array. */
  clone(): NDArray {
    return this.astype(this.dtype);
  }

  /** A contiguous copy converted to `dtype` (float to int32 truncates toward zero). */
  astype(dtype: DType): NDArray {
    const out = NDArray.empty(this.view.shape, dtype);
    if (out.size === 0) return out;
    if (this.ndim === 0) out.data[0] = this.data[this.offset];
    else if (this.isContiguous && this.dtype === dtype) {
      out.data.set(this.data.subarray(this.offset, this.offset + this.size));
    } else ops.assign(out.view, this.view);
    return out;
  }

  /**
   * The same elements in a new shape (one dimension may be -1). A view when the data is
   * contiguous; a copy otherwise.
   */
  reshape(...shape: number[] | [readonly number[]]): NDArray {
    const target = inferShape('reshape', flattenArgs(shape), this.size);
    const source = this.contiguous();
    return new NDArray(stridedView(source.data, target, contiguousStrides(target), source.offset));
  }

  /** A view with the axes reordered: axis `i` of the result is axis `axes[i]` of this array. */
  permute(...axes: number[] | [readonly number[]]): NDArray {
    const order = flattenArgs(axes).map((a) => normalizeAxis('permute', a, this.ndim));
    if (order.length !== this.ndim || new Set(order).size !== order.length) {
      throw new ShapeError(
        `permute: axes ${formatShape(flattenArgs(axes))} must be a permutation of the ${this.ndim} axes of ${formatShape(this.shape)}`,
      );
    }
    const { shape, stride } = this.view;
    return new NDArray(
      stridedView(
        this.data,
        order.map((a) => shape[a]),
        order.map((a) => stride[a]),
        this.offset,
      ),
    );
  }

  /**
   * A view with two axes swapped (by default the last two). A 0-d or 1-d array is returned
   * as is, but axes given explicitly must exist (0 or -1 there, as in PyTorch).
   */
  transpose(axis0?: number, axis1?: number): NDArray {
    if (this.ndim < 2) {
      for (const axis of [axis0, axis1])
        if (axis !== undefined) normalizeAxis('transpose', axis, Math.max(this.ndim, 1));
      return this;
    }
    const a = normalizeAxis('transpose', axis0 ?? -2, this.ndim);
    const b = normalizeAxis('transpose', axis1 ?? -1, this.ndim);
    const order = Array.from({ length: this.ndim }, (_, i) => i);
    order[a] = b;
    order[b] = a;
    return this.permute(order);
  }

  /**
   * A view of a sub-range per axis: `[start, stop, step]` with Python semantics (negative
   * indices count from the end, a negative step walks backwards), `null` for a whole axis.
   * Axes not given are taken whole.
   */
  slice(...ranges: SliceRange[]): NDArray {
    if (ranges.length > this.ndim) {
      throw new IndexError(
        `slice: ${ranges.length} ranges given for an array of ${this.ndim} dimensions; expected at most ${this.ndim}`,
      );
    }
    const shape = this.shape;
    const strides = this.strides;
    let offset = this.offset;
    ranges.forEach((range, axis) => {
      if (range === null) return;
      const dim = shape[axis];
      const step = range[2] ?? 1;
      if (!Number.isInteger(step) || step === 0)
        throw new IndexError(`slice: step on axis ${axis} must be a non-zero integer, got ${step}`);
      for (const bound of [range[0], range[1]]) {
        if (bound !== undefined && bound !== null && !Number.isInteger(bound)) {
          throw new IndexError(`slice: bounds on axis ${axis} must be integers or null, got ${bound}`);
        }
      }
      const clampIndex = (
        value: number | null | undefined,
        fallback: number,
        low: number,
        high: number,
      ): number => {
        if (value === undefined || value === null) return fallback;
        const index = value < 0 ? value + dim : value;
        return Math.min(Math.max(index, low), high);
      };
      const start = step > 0 ? clampIndex(range[0], 0, 0, dim) : clampIndex(range[0], dim - 1, -1, dim - 1);
      const stop = step > 0 ? clampIndex(range[1], dim, 0, dim) : clampIndex(range[1], -1, -1, dim - 1);
      const length =
        step > 0
          ? Math.max(0, Math.ceil((stop - start) / step))
          : Math.max(0, Math.ceil((start - stop) / -step));
      if (length > 0) offset += start * strides[axis];
      shape[axis] = length;
      strides[axis] *= step;
    });
    return new NDArray(stridedView(this.data, shape, strides, offset));
  }

  /** A view of index `index` along `axis`, with that axis removed (PyTorch's `select`). */
  select(axis: number, index: number): NDArray {
    const a = normalizeAxis('select', axis, this.ndim);
    const dim = this.view.shape[a];
    if (!Number.isInteger(index) || index < -dim || index >= dim) {
      throw new IndexError(`select: index ${index} is out of range for axis ${a} of size ${dim}`);
    }
    const i = index < 0 ? index + dim : index;
    const shape = this.shape;
    const strides = this.strides;
    const offset = this.offset + i * strides[a];
    shape.splice(a, 1);
    strides.splice(a, 1);
    return new NDArray(stridedView(this.data, shape, strides, offset));
  }

  /** A read-only-in-spirit view repeating size-1 axes (stride 0) to `shape`, NumPy rules. */
  broadcastTo(shape: readonly number[]): NDArray {
    return broadcastView('broadcastTo', this, shape);
  }

  /** PyTorch's `expand`: {@link broadcastTo} where -1 keeps the existing dimension. */
  expand(...shape: number[] | [readonly number[]]): NDArray {
    const dims = flattenArgs(shape);
    const lead = dims.length - this.ndim;
    if (lead < 0 || dims.some((d, i) => d === -1 && i < lead)) {
      throw new ShapeError(
        `expand: cannot expand ${formatShape(this.view.shape)} to ${formatShape(dims)}; -1 only keeps an existing dimension`,
      );
    }
    return broadcastView(
      'expand',
      this,
      dims.map((d, i) => (d === -1 ? this.view.shape[i - lead] : d)),
    );
  }

  /** A view without size-1 axes (all of them, or only `axis`, which must have size 1). */
  squeeze(axis?: number | readonly number[]): NDArray {
    const shape = this.view.shape;
    const drop =
      axis === undefined
        ? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
        : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, this.ndim));
    for (const a of drop) {
      if (shape[a] !== 1)
        throw new ShapeError(`squeeze: axis ${a} of ${formatShape(shape)} has size ${shape[a]}, expected 1`);
    }
    const keep = shape.map((_, i) => i).filter((i) => !drop.includes(i));
    return new NDArray(
      stridedView(
        this.data,
        keep.map((i) => shape[i]),
        keep.map((i) => this.view.stride[i]),
        this.offset,
      ),
    );
  }

  /** A view with a new size-1 axis inserted at `axis` (negative counts from the end of the result). */
  unsqueeze(axis: number): NDArray {
    const a = normalizeAxis('unsqueeze', axis, this.ndim + 1);
    const shape = this.shape;
    const strides = this.strides;
    shape.splice(a, 0, 1);
    strides.splice(a, 0, a < this.ndim ? this.view.stride[a] * this.view.shape[a] : 1);
    return new NDArray(stridedView(this.data, shape, strides, this.offset));
  }

  /** Flattens to one dimension (a view when contiguous). */
  flatten(): NDArray {
    return this.reshape([this.size]);
  }

  private position(op: string, index: readonly number[]): number {
    if (index.length !== this.ndim) {
      throw new IndexError(
        `${op}: ${index.length} indices given for an array of ${this.ndim} dimensions; expected ${this.ndim}`,
      );
    }
    let position = this.offset;
    for (let axis = 0; axis < index.length; axis++) {
      const dim = this.view.shape[axis];
      let i = index[axis];
      if (!Number.isInteger(i) || i < -dim || i >= dim) {
        throw new IndexError(`${op}: index ${i} is out of range for axis ${axis} of size ${dim}`);
      }
      if (i < 0) i += dim;
      position += i * this.view.stride[axis];
    }
    return position;
  }
}

/** `a` viewed as `shape` by NumPy broadcasting (stride 0); errors name `op`. */
export function broadcastView(op: string, a: NDArray, shape: readonly number[]): NDArray {
  const target = checkShape(op, shape);
  if (shapesEqual(target, a.view.shape)) return a;
  const strides = broadcastStrides(op, a.view.shape, a.view.stride, target);
  return new NDArray(stridedView(a.data, target, strides, a.offset));
}

/** Accepts both `f(2, 3)` and `f([2, 3])`. */
export function flattenArgs(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0])
    ? [...(args[0] as readonly number[])]
    : (args as number[]);
}
