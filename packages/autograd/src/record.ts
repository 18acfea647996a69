import type { NDArray } from '@xent/tensor';
import { type BackwardFn, shouldRecord } from './graph.js';
import { Tensor } from './tensor.js';

/** A tensor operand, or a plain number that broadcasts as a constant. */
export type Operand = Tensor | number;

/** Backward of one op: gradient of the output (and the output itself) → one gradient per input. */
export type OpBackward = (gradOutput: Tensor, output: Tensor) => (Tensor | null)[];

/**
 * Wraps an op's forward result. When recording, the result gets a node whose backward is
 * `backward`, called with the output's gradient and the output tensor itself (so rules like
 * d exp = exp can reuse it, and stay differentiable under `createGraph`).
 */
export function record(name: string, data: NDArray, inputs: Tensor[], backward: OpBackward): Tensor {
  if (!shouldRecord(inputs)) return new Tensor(data);
  const output = new Tensor(data, { requiresGrad: true });
  output.gradFn = { name, inputs, backward: bindOutput(backward, output) };
  return output;
}

// A closure returned from a function rather than written in the object literal: under tsx
// (esbuild with keepNames) an arrow in a property position gets a `__name` call, a
// defineProperty per recorded op that was ~6 % of a chain of small ops (bench/NOTES.md).
function bindOutput(backward: OpBackward, output: Tensor): BackwardFn {
  return (gradOutput) => backward(gradOutput, output);
}

/** The NDArray of a tensor, or the number itself. */
export function dataOf(x: Operand): NDArray | number {
  return typeof x === 'number' ? x : x.data;
}

/** A constant (no grad) tensor over `data`, for masks and other non-differentiable factors. */
export function constant(data: NDArray): Tensor {
  return new Tensor(data);
}

/**
 * Sums a broadcast gradient back to `shape`: leading axes the input lacked are summed away,
 * and axes where the input had size 1 are summed with keepDims.
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (grad.data.hasShape(shape)) return grad;
  const gradShape = grad.shape;
  const lead = gradShape.length - shape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < gradShape.length; axis++) {
    if (axis < lead || (shape[axis - lead] === 1 && gradShape[axis] !== 1)) axes.push(axis);
  }
  const summed = axes.length > 0 ? grad.sum(axes, true) : grad;
  return summed.reshape([...shape]);
}
