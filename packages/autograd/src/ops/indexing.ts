/** Differentiable gathering, scattering and selection. Index arguments are int32 and carry no gradient. */
import * as nd from '@xent/tensor';
import { constant, dataOf, type Operand, record, sumToShape } from '../record.js';
import { Tensor } from '../tensor.js';

/** An int32 index given as a tensor or an NDArray. */
export type IndexLike = Tensor | nd.NDArray;

function indexData(index: IndexLike): nd.NDArray {
  return index instanceof Tensor ? index.data : index;
}

/** `torch.gather` along `axis`. */
export function gather(a: Tensor, axis: number, index: IndexLike): Tensor {
  const indices = indexData(index);
  // The adjoint of gathering is scatter-adding the gradient back to where it came from.
  return record('gather', nd.gather(a.data, axis, indices), [a], (g) => [
    scatterAdd(constant(nd.zeros(a.shape, { dtype: g.dtype })), axis, indices, g),
  ]);
}

/** `torch.scatter_add` (out of place): `target` with `source` added at `index` along `axis`. */
export function scatterAdd(target: Tensor, axis: number, index: IndexLike, source: Tensor): Tensor {
  const indices = indexData(index);
  // d/d target = 1; d/d source = the gradient gathered at the same positions.
  return record(
    'scatterAdd',
    nd.scatterAdd(target.data, axis, indices, source.data),
    [target, source],
    (g) => [g, source.requiresGrad ? gather(g, axis, indices) : null],
  );
}

/** `torch.index_select`: the slices at 1-D int32 `indices` along `axis`. */
export function indexSelect(a: Tensor, axis: number, indices: IndexLike): Tensor {
  const list = indexData(indices);
  const ax = nd.normalizeAxis('indexSelect', axis, a.ndim);
  return record('indexSelect', nd.indexSelect(a.data, ax, list), [a], (g) => {
    // Spread the 1-D indices along `axis` to the gradient's shape, then scatter-add.
    const shape = g.shape.map((d, i) => (i === ax ? d : 1));
    const spread = list.reshape(shape).broadcastTo(g.shape).contiguous();
    return [scatterAdd(constant(nd.zeros(a.shape, { dtype: g.dtype })), ax, spread, g)];
  });
}

/** `condition ? a : b`, broadcast; `condition` is a mask (nonzero = true) and gets no gradient. */
export function where(condition: IndexLike, a: Operand, b: Operand): Tensor {
  const mask = indexData(condition);
  const inputs: Tensor[] = [];
  if (a instanceof Tensor) inputs.push(a);
  if (b instanceof Tensor) inputs.push(b);
  return record('where', nd.where(mask, dataOf(a), dataOf(b)), inputs, (g) => {
    const grads: (Tensor | null)[] = [];
    if (a instanceof Tensor) grads.push(a.requiresGrad ? sumToShape(where(mask, g, 0), a.shape) : null);
    if (b instanceof Tensor) grads.push(b.requiresGrad ? sumToShape(where(mask, 0, g), b.shape) : null);
    return grads;
  });
}

/** `a` with `value` where `mask` is nonzero (composed from {@link where}). */
export function maskedFill(a: Tensor, mask: IndexLike, value: number): Tensor {
  return where(mask, value, a);
}
