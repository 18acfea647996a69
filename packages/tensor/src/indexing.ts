/** Gathering, scattering, joining and one-hot encoding. */
import { type DType, promoteTypes } from './dtype.js';
import { checkIntegerArray } from './elementwise.js';
import { formatShape, IndexError, ShapeError, ValueError } from './errors.js';
import { NDArray } from './ndarray.js';
import { contiguousStrides, normalizeAxis, sizeOf } from './shape.js';

/**
 * `torch.gather`: `out[i][j][k] = a[index[i][j][k]][j][k]` for `axis = 0` (and likewise for
 * other axes). `index` is int32 with `a`'s rank; on the other axes it may be smaller than `a`.
 */
export function gather(a: NDArray, axis: number, index: NDArray): NDArray {
  checkIntegerArray('gather', 'index', index);
  const ax = normalizeAxis('gather', axis, a.ndim);
  checkIndexShape('gather', a.shape, index.shape, ax);
  const out = NDArray.empty(index.shape, a.dtype);
  const positions = indexPositions('gather', a, ax, index);
  const source = a.data;
  const target = out.data;
  for (let i = 0; i < positions.length; i++) target[i] = source[positions[i]];
  return out;
}

/**
 * `torch.scatter_add` without mutation: a copy of `target` with `source[i][j]` added at
 * `target[index[i][j]][j]` (for `axis = 0`). Repeated indices accumulate.
 */
export function scatterAdd(target: NDArray, axis: number, index: NDArray, source: NDArray): NDArray {
  checkIntegerArray('scatterAdd', 'index', index);
  const ax = normalizeAxis('scatterAdd', axis, target.ndim);
  checkIndexShape('scatterAdd', target.shape, index.shape, ax);
  if (source.ndim !== index.ndim || source.shape.some((d, i) => d < index.shape[i])) {
    throw new ShapeError(
      `scatterAdd: source ${formatShape(source.shape)} must be at least as large as index ${formatShape(index.shape)} on every axis`,
    );
  }
  const out = target.astype(promoteTypes(target.dtype, source.dtype));
  const positions = indexPositions('scatterAdd', out, ax, index);
  const values = source.slice(...index.shape.map((d) => [0, d] as const)).values();
  const data = out.data;
  for (let i = 0; i < positions.length; i++) data[positions[i]] += values[i];
  return out;
}

/** `torch.index_select`: the slices of `a` at the 1-D int32 `indices` along `axis`. */
export function indexSelect(a: NDArray, axis: number, indices: NDArray): NDArray {
  checkIntegerArray('indexSelect', 'indices', indices);
  if (indices.ndim !== 1) {
    throw new ShapeError(`indexSelect: indices must be 1-D, got shape ${formatShape(indices.shape)}`);
  }
  const ax = normalizeAxis('indexSelect', axis, a.ndim);
  const dim = a.shape[ax];
  const list = indices.values();
  for (const i of list) {
    if (i < -dim || i >= dim)
      throw new IndexError(`indexSelect: index ${i} is out of range for axis ${ax} of size ${dim}`);
  }
  const shape = a.shape;
  shape[ax] = list.length;
  const out = NDArray.empty(shape, a.dtype);
  // Each selected index copies `outer` runs of `inner` contiguous elements.
  const source = a.values();
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax + 1));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < list.length; j++) {
      const row = o * dim + (list[j] < 0 ? list[j] + dim : list[j]);
      out.data.set(source.subarray(row * inner, (row + 1) * inner), (o * list.length + j) * inner);
    }
  }
  return out;
}

/**
 * Joins arrays along an existing axis. All other dimensions must match; dtypes promote.
 * (`emptyShape`/`emptyDType` describe the result when `arrays` is empty.)
 */
export function concat(
  arrays: readonly NDArray[],
  axis = 0,
  emptyShape?: number[],
  emptyDType?: DType,
): NDArray {
  if (arrays.length === 0) {
    if (emptyShape) return NDArray.empty(emptyShape, emptyDType);
    throw new ValueError('concat: expected at least one array, got none');
  }
  const first = arrays[0];
  if (first.ndim === 0) {
    throw new ShapeError(
      'concat: cannot join 0-d arrays along an axis; expected arrays of at least 1 dimension (use stack)',
    );
  }
  const ax = normalizeAxis('concat', axis, first.ndim);
  let dtype = first.dtype;
  let total = 0;
  for (const [i, array] of arrays.entries()) {
    const same = array.ndim === first.ndim && array.shape.every((d, j) => j === ax || d === first.shape[j]);
    if (!same) {
      throw new ShapeError(
        `concat: array ${i} has shape ${formatShape(array.shape)} but array 0 has ${formatShape(first.shape)}; all dimensions but axis ${ax} must match`,
      );
    }
    dtype = promoteTypes(dtype, array.dtype);
    total += array.shape[ax];
  }
  const shape = first.shape;
  shape[ax] = total;
  const out = NDArray.empty(shape, dtype);
  // Copy each piece into its slab of the output: outer × (piece width × inner) runs.
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax + 1));
  const rowLength = total * inner;
  let column = 0;
  for (const array of arrays) {
    const values = array.values();
    const width = array.shape[ax] * inner;
    for (let row = 0; row < outer; row++) {
      out.data.set(values.subarray(row * width, (row + 1) * width), row * rowLength + column);
    }
    column += width;
  }
  return out;
}

/** Joins same-shaped arrays along a new axis. */
export function stack(arrays: readonly NDArray[], axis = 0): NDArray {
  if (arrays.length === 0) throw new ValueError('stack: expected at least one array, got none');
  const shape = arrays[0].shape;
  for (const [i, array] of arrays.entries()) {
    if (array.ndim !== shape.length || array.shape.some((d, j) => d !== shape[j])) {
      throw new ShapeError(
        `stack: array ${i} has shape ${formatShape(array.shape)} but array 0 has ${formatShape(shape)}; all must match`,
      );
    }
  }
  const ax = normalizeAxis('stack', axis, shape.length + 1);
  return concat(
    arrays.map((a) => a.unsqueeze(ax)),
    ax,
  );
}

/** One-hot rows: `labels` (int32, any shape) → `[...labels.shape, numClasses]` of 0 and 1. */
export function oneHot(labels: NDArray, numClasses: number, dtype: DType = 'float32'): NDArray {
  checkIntegerArray('oneHot', 'labels', labels);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  const values = labels.values();
  const out = NDArray.empty([...labels.shape, numClasses], dtype);
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (label < 0 || label >= numClasses) {
      throw new IndexError(`oneHot: label ${label} at position ${i} is outside [0, ${numClasses - 1}]`);
    }
    out.data[i * numClasses + label] = 1;
  }
  return out;
}

function checkIndexShape(
  op: string,
  shape: readonly number[],
  indexShape: readonly number[],
  axis: number,
): void {
  if (indexShape.length !== shape.length || indexShape.some((d, i) => i !== axis && d > shape[i])) {
    throw new ShapeError(
      `${op}: index of shape ${formatShape(indexShape)} does not fit an array of shape ${formatShape(shape)} along axis ${axis}`,
    );
  }
}

/** Storage positions in `a` addressed by `index` along `axis` (row-major over `index`). */
function indexPositions(op: string, a: NDArray, axis: number, index: NDArray): Int32Array {
  const indexShape = index.shape;
  const indices = index.values();
  const strides = a.strides;
  const dim = a.shape[axis];
  const positions = new Int32Array(indices.length);
  const counter = contiguousStrides(indexShape);
  for (let flat = 0; flat < indices.length; flat++) {
    let i = indices[flat];
    if (i < -dim || i >= dim) {
      throw new IndexError(`${op}: index ${i} is out of range for axis ${axis} of size ${dim}`);
    }
    if (i < 0) i += dim;
    let position = a.offset;
    let rest = flat;
    for (let d = 0; d < indexShape.length; d++) {
      const coordinate = Math.floor(rest / counter[d]);
      rest -= coordinate * counter[d];
      position += (d === axis ? i : coordinate) * strides[d];
    }
    positions[flat] = position;
  }
  return positions;
}
