import { getBackend } from './backend.js';
import { promoteTypes } from './dtype.js';
import { formatShape, ShapeError } from './errors.js';
import { NDArray } from './ndarray.js';
import { broadcastShapes, sizeOf, unravelIndex } from './shape.js';

/**
 * Matrix product with NumPy's rules: 1-D operands are promoted to a row (left) or column
 * (right) and that axis is dropped from the result; leading batch axes broadcast. Transposed
 * or sliced operands are used in place (the kernel packs them), never copied here. int32
 * operands compute in float32.
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: ${formatShape(a.shape)} @ ${formatShape(b.shape)}: both operands need at least 1 dimension`,
    );
  }
  const left = a.ndim === 1 ? a.unsqueeze(0) : a;
  const right = b.ndim === 1 ? b.unsqueeze(1) : b;
  const [m, k] = left.shape.slice(-2);
  const [k2, n] = right.shape.slice(-2);
  if (k !== k2) {
    throw new ShapeError(
      `matmul: ${formatShape(a.shape)} @ ${formatShape(b.shape)}: inner dimensions ${k} and ${k2} differ`,
    );
  }
  const leftBatch = left.shape.slice(0, -2);
  const rightBatch = right.shape.slice(0, -2);
  let batchShape: number[];
  try {
    batchShape = broadcastShapes('matmul', leftBatch, rightBatch);
  } catch {
    throw new ShapeError(
      `matmul: ${formatShape(a.shape)} @ ${formatShape(b.shape)}: batch dimensions ${formatShape(leftBatch)} and ${formatShape(rightBatch)} cannot be broadcast together`,
    );
  }
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (dtype === 'int32') dtype = 'float32';
  const lhs = (left.dtype === dtype ? left : left.astype(dtype)).broadcastTo([...batchShape, m, k]);
  const rhs = (right.dtype === dtype ? right : right.astype(dtype)).broadcastTo([...batchShape, k, n]);
  const out = NDArray.empty([...batchShape, m, n], dtype);
  if (out.size > 0) {
    const batch = sizeOf(batchShape);
    const lhs3 = collapseBatch(lhs, batch);
    const rhs3 = collapseBatch(rhs, batch);
    const out3 = out.reshape([batch, m, n]);
    if (lhs3 && rhs3) getBackend().matmul(lhs3, rhs3, out3);
    else {
      // Batch axes that cannot be merged into one stride: one product per batch index.
      for (let i = 0; i < batch; i++) {
        const index = unravelIndex(i, batchShape);
        const pick = (x: NDArray) => index.reduce((view, j) => view.select(0, j), x).unsqueeze(0);
        getBackend().matmul(pick(lhs), pick(rhs), out3.slice([i, i + 1]));
      }
    }
  }
  let shape = [...batchShape, m, n];
  if (a.ndim === 1) shape = [...batchShape, n];
  if (b.ndim === 1) shape = a.ndim === 1 ? batchShape : [...batchShape, m];
  return out.reshape(shape);
}

/** Views `[...batch, r, c]` as `[batch, r, c]` when the batch axes walk memory with one stride. */
function collapseBatch(x: NDArray, batch: number): NDArray | null {
  const shape = x.shape;
  const strides = x.strides;
  const batchAxes = Array.from({ length: shape.length - 2 }, (_, i) => i).filter((i) => shape[i] !== 1);
  let stride = 0;
  if (batchAxes.length > 0) {
    stride = strides[batchAxes[batchAxes.length - 1]];
    for (let j = batchAxes.length - 2; j >= 0; j--) {
      const outer = batchAxes[j];
      const inner = batchAxes[j + 1];
      if (strides[outer] !== strides[inner] * shape[inner]) return null;
    }
  }
  const rows = shape.length - 2;
  return NDArray.fromStorage(
    x.data,
    [batch, shape[rows], shape[rows + 1]],
    [stride, strides[rows], strides[rows + 1]],
    x.offset,
  );
}
