/** Differentiable views and joins. Forwards share memory where the NDArray op does. */
import * as nd from '@xent/tensor';
import { formatShape, ShapeError } from '@xent/tensor';
import { record, sumToShape } from '../record.js';
import type { Tensor } from '../tensor.js';

/** The same elements in a new shape (one dimension may be -1). */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  return record('reshape', a.data.reshape([...shape]), [a], (g) => [g.reshape(a.shape)]);
}

/** The elements as a 1-D tensor (composed: reshape to [size]). */
export function flatten(a: Tensor): Tensor {
  return reshape(a, [a.size]);
}

/** Axes reordered: axis i of the result is axis `axes[i]` of `a`. */
export function permute(a: Tensor, axes: readonly number[]): Tensor {
  const order = axes.map((axis) => nd.normalizeAxis('permute', axis, a.ndim));
  const inverse = new Array<number>(order.length);
  order.forEach((axis, i) => {
    inverse[axis] = i;
  });
  return record('permute', a.data.permute([...axes]), [a], (g) => [g.permute(inverse)]);
}

/** Two axes swapped (by default the last two); a 0-d or 1-d tensor is returned as is. */
export function transpose(a: Tensor, axis0?: number, axis1?: number): Tensor {
  if (a.ndim < 2) {
    a.data.transpose(axis0, axis1); // checks explicitly given axes
    return a;
  }
  return record('transpose', a.data.transpose(axis0, axis1), [a], (g) => [g.transpose(axis0, axis1)]);
}

/** Size-1 axes removed (all, or only `axis`). */
export function squeeze(a: Tensor, axis?: number | readonly number[]): Tensor {
  return record('squeeze', a.data.squeeze(axis), [a], (g) => [g.reshape(a.shape)]);
}

/** A size-1 axis inserted at `axis`. */
export function unsqueeze(a: Tensor, axis: number): Tensor {
  return record('unsqueeze', a.data.unsqueeze(axis), [a], (g) => [g.reshape(a.shape)]);
}

/** Broadcast to `shape` (-1 keeps a dimension); the gradient sums over the repeats. */
export function expand(a: Tensor, shape: readonly number[]): Tensor {
  return record('expand', a.data.expand([...shape]), [a], (g) => [sumToShape(g, a.shape)]);
}

/** A sub-range per axis, `[start, stop, step]` with Python semantics (see NDArray.slice). */
export function slice(a: Tensor, ranges: readonly nd.SliceRange[]): Tensor {
  // The gradient lands in the sliced positions of a zero tensor of a's shape.
  return record('slice', a.data.slice(...ranges), [a], (g) => [sliceBackward(g, a.shape, ranges)]);
}

/** Scatters `grad` into the `ranges` of a zero tensor of `shape`: the adjoint of {@link slice}. */
function sliceBackward(grad: Tensor, shape: readonly number[], ranges: readonly nd.SliceRange[]): Tensor {
  const out = nd.zeros(shape, { dtype: grad.dtype });
  const target = out.slice(...ranges);
  if (target.size > 0) nd.assign(target, grad.data);
  return record('sliceBackward', out, [grad], (gg) => [slice(gg, ranges)]);
}

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('concat: expected at least one tensor, got none');
  const out = nd.concat(
    tensors.map((t) => t.data),
    axis,
  );
  const ax = nd.normalizeAxis('concat', axis, tensors[0].ndim);
  return record('concat', out, [...tensors], (g) => {
    let start = 0;
    return tensors.map((t) => {
      const ranges: nd.SliceRange[] = t.shape.map(() => null);
      ranges[ax] = [start, start + t.shape[ax]];
      start += t.shape[ax];
      return slice(g, ranges);
    });
  });
}

/** Joins same-shaped tensors along a new axis (composed: unsqueeze then concat). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('stack: expected at least one tensor, got none');
  const shape = tensors[0].shape;
  for (const [i, t] of tensors.entries()) {
    if (t.ndim !== shape.length || t.shape.some((d, j) => d !== shape[j])) {
      throw new ShapeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(shape)}`,
      );
    }
  }
  const ax = nd.normalizeAxis('stack', axis, shape.length + 1);
  return concat(
    tensors.map((t) => unsqueeze(t, ax)),
    ax,
  );
}
