/** Creating arrays: from JS data, filled, ranges, identity, and seeded random. */
import { allocate, checkDType, DEFAULT_DTYPE, type DType, dtypeOf, type TypedArray } from './dtype.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import { NDArray, type NestedArray } from './ndarray.js';
import { type Generator, getDefaultGenerator } from './random.js';
import { checkShape, sizeOf } from './shape.js';

/** Options shared by the creation functions. */
export interface CreationOptions {
  /** Element type; `float32` unless the data says otherwise (a typed array keeps its own). */
  dtype?: DType;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /** Source of randomness; the default generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

/** Data {@link array} accepts. */
export type ArrayData = NestedArray | TypedArray | NDArray;

/**
 * An NDArray from nested JS arrays (rectangular), a typed array (1-D, or `shape` given) or
 * another NDArray (copied, converted to `dtype` if given). Nested arrays default to float32.
 */
export function array(
  data: ArrayData,
  options: CreationOptions & { shape?: readonly number[] } = {},
): NDArray {
  if (data instanceof NDArray) return data.astype(options.dtype ?? data.dtype);
  if (ArrayBuffer.isView(data)) {
    const dtype = options.dtype ?? dtypeOf(data);
    const shape = options.shape ?? [data.length];
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError(
        `array: a typed array of ${data.length} elements cannot have shape ${formatShape(shape)}`,
      );
    }
    const storage = allocate(checkDType('array', dtype), data.length);
    storage.set(data);
    return NDArray.fromStorage(storage, shape);
  }
  const shape = inferNestedShape(data);
  if (options.shape && sizeOf(options.shape) !== sizeOf(shape)) {
    throw new ShapeError(
      `array: data of shape ${formatShape(shape)} cannot have shape ${formatShape(options.shape)}`,
    );
  }
  const out = NDArray.empty(options.shape ?? shape, checkDType('array', options.dtype ?? DEFAULT_DTYPE));
  let position = 0;
  // Walks the data checking each level against the shape read from its first elements;
  // `path` is the index being visited (mutated in place, printed only in errors).
  const path: number[] = [];
  const fill = (value: unknown): void => {
    const depth = path.length;
    if (depth === shape.length) {
      if (Array.isArray(value)) {
        throw new ShapeError(
          `array: ragged nested data: expected a number at index ${formatShape(path)}, got ${describe(value)}`,
        );
      }
      if (typeof value !== 'number') {
        throw new ValueError(
          `array: expected numbers or nested arrays of numbers, got ${describe(value)} at index ${formatShape(path)}`,
        );
      }
      out.data[position++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new ShapeError(
        `array: ragged nested data: expected an array of ${shape[depth]} elements at index ${formatShape(path)}, got ${describe(value)}`,
      );
    }
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      fill(value[i]);
      path.pop();
    }
  };
  fill(data);
  return out;
}

/** How an error message names an unexpected nested value. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} elements`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'string' ? `the string '${value}'` : String(value);
}

/** The shape read along the first element of every level. */
function inferNestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) return shape;
    level = level[0];
  }
  if (typeof level !== 'number') {
    throw new ValueError(`array: expected numbers or nested arrays of numbers, got ${describe(level)}`);
  }
  return shape;
}

/** A new array of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, options: CreationOptions = {}): NDArray {
  return filled('full', shape, value, options);
}

/** A new array of zeros. */
export function zeros(shape: readonly number[], options: CreationOptions = {}): NDArray {
  return filled('zeros', shape, 0, options);
}

/** A new array of ones. */
export function ones(shape: readonly number[], options: CreationOptions = {}): NDArray {
  return filled('ones', shape, 1, options);
}

function filled(op: string, shape: readonly number[], value: number, options: CreationOptions): NDArray {
  const out = NDArray.empty(checkShape(op, shape), checkDType(op, options.dtype ?? DEFAULT_DTYPE));
  if (value !== 0) out.data.fill(value);
  return out;
}

/** A zero array with the shape (and, unless given, the dtype) of `like`. */
export function zerosLike(like: NDArray, options: CreationOptions = {}): NDArray {
  return zeros(like.shape, { dtype: options.dtype ?? like.dtype });
}

/** A ones array with the shape (and, unless given, the dtype) of `like`. */
export function onesLike(like: NDArray, options: CreationOptions = {}): NDArray {
  return ones(like.shape, { dtype: options.dtype ?? like.dtype });
}

/**
 * `start, start + step, …` up to but excluding `stop` (`arange(5)` is 0..4). int32 when all
 * arguments are integers and no dtype is given, float32 otherwise.
 */
export function arange(start: number, stop?: number, step = 1, options: CreationOptions = {}): NDArray {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError(`arange: step must be finite and non-zero, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new ValueError(`arange: start and stop must be finite, got start=${start}, stop=${stop}`);
  }
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const out = NDArray.empty([length], options.dtype ?? (integral ? 'int32' : DEFAULT_DTYPE));
  for (let i = 0; i < length; i++) out.data[i] = start + i * step;
  return out;
}

/** `num` evenly spaced values from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number, options: CreationOptions = {}): NDArray {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new ValueError(`linspace: start and stop must be finite, got start=${start}, stop=${stop}`);
  }
  const out = NDArray.empty([num], options.dtype ?? DEFAULT_DTYPE);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out.data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return out;
}

/** The `n × m` identity (ones on the diagonal; `m` defaults to `n`). */
export function eye(n: number, m = n, options: CreationOptions = {}): NDArray {
  const out = zeros(checkShape('eye', [n, m]), options);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}

/** The dtype of a float-valued random array: float32 by default, int32 refused. */
function checkFloatDType(op: string, dtype: DType | undefined): DType {
  const checked = checkDType(op, dtype ?? DEFAULT_DTYPE);
  if (checked === 'int32') {
    throw new DTypeError(`${op}: dtype int32 is not supported; expected float32 or float64 (use randint)`);
  }
  return checked;
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): NDArray {
  const generator = options.generator ?? getDefaultGenerator();
  const out = NDArray.empty(checkShape('rand', shape), checkFloatDType('rand', options.dtype));
  for (let i = 0; i < out.data.length; i++) out.data[i] = generator.next();
  return out;
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: RandomOptions = {}): NDArray {
  const generator = options.generator ?? getDefaultGenerator();
  const out = NDArray.empty(checkShape('randn', shape), checkFloatDType('randn', options.dtype));
  for (let i = 0; i < out.data.length; i++) out.data[i] = generator.normal();
  return out;
}

/** Uniform integers in [low, high), int32 unless `dtype` says otherwise. */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): NDArray {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  const generator = options.generator ?? getDefaultGenerator();
  const out = NDArray.empty(checkShape('randint', shape), options.dtype ?? 'int32');
  for (let i = 0; i < out.data.length; i++) out.data[i] = generator.integer(low, high);
  return out;
}
