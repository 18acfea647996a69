import * as nd from '@xent/tensor';
import {
  type DType,
  formatShape,
  type NDArray,
  type NestedArray,
  type SliceRange,
  ValueError,
  XentError,
} from '@xent/tensor';
import { type BackwardOptions, type GradNode, runBackward } from './graph.js';
import * as act from './ops/activation.js';
import * as ew from './ops/elementwise.js';
import * as idx from './ops/indexing.js';
import * as linalg from './ops/linalg.js';
import * as red from './ops/reduce.js';
import * as shp from './ops/shape.js';
import * as sm from './ops/softmax.js';
import { type Operand, record } from './record.js';

/**
 * An {@link NDArray} plus what reverse-mode differentiation needs: `requiresGrad`, the
 * accumulated `grad` of a leaf, and `gradFn`, the node that produced it (null for leaves).
 * Every op is available as a method and as a function of the same name.
 */
export class Tensor {
  /** The values. Ops never mutate it; optimizers update leaves in place. */
  data: NDArray;
  /** Whether gradients flow to (and, for a leaf, accumulate in) this tensor. */
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf after `backward`; null until then. */
  grad: Tensor | null = null;
  /** The recorded op that produced this tensor; null for leaves and under `noGrad`. */
  gradFn: GradNode | null = null;

  /** Wraps `data`. Only float tensors can require grad. */
  constructor(data: NDArray, options: { requiresGrad?: boolean } = {}) {
    this.data = data;
    this.requiresGrad = options.requiresGrad ?? false;
    if (this.requiresGrad && data.dtype === 'int32') {
      throw new XentError(`Tensor: only float tensors can require gradients, got dtype ${data.dtype}`);
    }
  }

  /** Dimensions (a copy). */
  get shape(): number[] {
    return this.data.shape;
  }
  /** Element type. */
  get dtype(): DType {
    return this.data.dtype;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.data.ndim;
  }
  /** Number of elements. */
  get size(): number {
    return this.data.size;
  }
  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The value of a one-element tensor. */
  item(): number {
    return this.data.item();
  }
  /** Nested JS arrays of the values. */
  toArray(): NestedArray {
    return this.data.toArray();
  }
  /** A tensor sharing the values but cut from the graph (no grad). */
  detach(): Tensor {
    return new Tensor(this.data);
  }
  /** Sets `requiresGrad` in place (leaves only) and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf) throw new XentError('requiresGrad_: only leaf tensors can change requiresGrad');
    if (requiresGrad && this.dtype === 'int32') {
      throw new XentError(`requiresGrad_: only float tensors can require gradients, got dtype ${this.dtype}`);
    }
    this.requiresGrad = requiresGrad;
    return this;
  }
  /** A copy converted to `dtype`; differentiable between float dtypes (the gradient is cast back). */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    if (dtype === 'int32') return new Tensor(this.data.astype(dtype));
    return record('to', this.data.astype(dtype), [this], (g) => [g.to(this.dtype)]);
  }
  /** NumPy-style printout with the grad status. */
  toString(): string {
    const base = `tensor(${this.data
      .toString()
      .replace(/^array\(/, '')
      .replace(/\)$/, '')}`;
    if (this.gradFn) return `${base}, gradFn=${this.gradFn.name})`;
    return this.requiresGrad ? `${base}, requiresGrad=true)` : `${base})`;
  }

  /**
   * Accumulates d(this)/d(leaf) into the `grad` of every leaf that requires grad. A
   * non-scalar needs `gradOutput` (the vector of the vector-Jacobian product).
   */
  backward(gradOutput?: Tensor | NDArray | number, options: BackwardOptions = {}): void {
    if (!this.requiresGrad) {
      throw new XentError(
        'backward: this tensor does not require grad and has no gradFn (was it computed under noGrad?)',
      );
    }
    const seed = seedGradient('backward', this, gradOutput);
    runBackward([this], [seed], options, null, (leaf, grad) => {
      if (!leaf.requiresGrad) return;
      const value = options.createGraph ? grad : grad.detach();
      leaf.grad = leaf.grad
        ? options.createGraph
          ? leaf.grad.add(value)
          : new Tensor(nd.add(leaf.grad.data, value.data))
        : value;
    });
  }

  add(other: Operand): Tensor {
    return ew.add(this, other);
  }
  sub(other: Operand): Tensor {
    return ew.sub(this, other);
  }
  mul(other: Operand): Tensor {
    return ew.mul(this, other);
  }
  div(other: Operand): Tensor {
    return ew.div(this, other);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  pow(exponent: Operand): Tensor {
    return ew.pow(this, exponent);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  log1p(): Tensor {
    return ew.log1p(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  erf(): Tensor {
    return ew.erf(this);
  }
  clamp(min?: number, max?: number): Tensor {
    return ew.clamp(this, min, max);
  }
  maximum(other: Tensor): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: Tensor): Tensor {
    return ew.minimum(this, other);
  }
  sigmoid(): Tensor {
    return act.sigmoid(this);
  }
  tanh(): Tensor {
    return act.tanh(this);
  }
  relu(): Tensor {
    return act.relu(this);
  }
  leakyRelu(negativeSlope?: number): Tensor {
    return act.leakyRelu(this, negativeSlope);
  }
  gelu(): Tensor {
    return act.gelu(this);
  }
  softplus(): Tensor {
    return act.softplus(this);
  }
  logSigmoid(): Tensor {
    return act.logSigmoid(this);
  }
  softmax(axis?: number): Tensor {
    return sm.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return sm.logSoftmax(this, axis);
  }
  logsumexp(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.logsumexp(this, axis, keepDims);
  }
  sum(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.sum(this, axis, keepDims);
  }
  mean(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.mean(this, axis, keepDims);
  }
  max(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.max(this, axis, keepDims);
  }
  min(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.min(this, axis, keepDims);
  }
  var(axis?: red.Axis, options?: { correction?: number; keepDims?: boolean }): Tensor {
    return red.variance(this, axis, options);
  }
  norm(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return sm.norm(this, axis, keepDims);
  }
  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
  reshape(shape: readonly number[]): Tensor {
    return shp.reshape(this, shape);
  }
  flatten(): Tensor {
    return shp.reshape(this, [this.size]);
  }
  transpose(axis0?: number, axis1?: number): Tensor {
    return shp.transpose(this, axis0, axis1);
  }
  permute(axes: readonly number[]): Tensor {
    return shp.permute(this, axes);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return shp.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return shp.unsqueeze(this, axis);
  }
  expand(shape: readonly number[]): Tensor {
    return shp.expand(this, shape);
  }
  slice(...ranges: SliceRange[]): Tensor {
    return shp.slice(this, ranges);
  }
  gather(axis: number, index: idx.IndexLike): Tensor {
    return idx.gather(this, axis, index);
  }
  indexSelect(axis: number, indices: idx.IndexLike): Tensor {
    return idx.indexSelect(this, axis, indices);
  }
  maskedFill(mask: idx.IndexLike, value: number): Tensor {
    return idx.maskedFill(this, mask, value);
  }
}

/** The seed gradient of a backward from `output`: ones for a scalar, else the given one. */
export function seedGradient(
  op: string,
  output: Tensor,
  gradOutput: Tensor | NDArray | number | undefined,
): Tensor {
  if (gradOutput === undefined) {
    if (output.size !== 1) {
      throw new ValueError(
        `${op}: output has shape ${formatShape(output.shape)}; gradOutput can be omitted only for a one-element output`,
      );
    }
    return new Tensor(nd.ones(output.shape, { dtype: output.dtype }));
  }
  const seed =
    gradOutput instanceof Tensor
      ? gradOutput
      : new Tensor(
          typeof gradOutput === 'number'
            ? nd.full(output.shape, gradOutput, { dtype: output.dtype })
            : gradOutput,
        );
  if (seed.shape.length !== output.shape.length || seed.shape.some((d, i) => d !== output.shape[i])) {
    throw new ValueError(
      `${op}: gradOutput has shape ${formatShape(seed.shape)} but the output has shape ${formatShape(output.shape)}`,
    );
  }
  return seed;
}
