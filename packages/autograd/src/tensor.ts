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
  /**
   * A contiguous copy with its own storage (PyTorch's `clone()`): differentiable, the gradient
   * passes through unchanged. Unlike {@link detach}, which shares the values and leaves the graph.
   */
  clone(): Tensor {
    return record('clone', this.data.clone(), [this], (g) => [g]);
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
      // A fresh contiguous array either way: a gradient may be the seed itself, a broadcast
      // (stride-0) view of it, or shared by two leaves (both inputs of an add get the same
      // tensor), and .grad is the leaf's own to update in place.
      if (options.createGraph) {
        // Recorded (this runs with grad enabled), so the gradient stays differentiable.
        leaf.grad = leaf.grad
          ? leaf.grad.add(grad)
          : record('clone', grad.data.clone(), [grad], (gradOfCopy) => [gradOfCopy]);
        return;
      }
      // Accumulation runs on NDArrays, so it records nothing.
      leaf.grad = new Tensor(leaf.grad ? nd.add(leaf.grad.data, grad.data) : grad.data.clone());
    });
  }

  /** a + b, broadcast. */
  add(other: Operand): Tensor {
    return ew.add(this, other);
  }
  /** a − b, broadcast. */
  sub(other: Operand): Tensor {
    return ew.sub(this, other);
  }
  /** a · b, broadcast. */
  mul(other: Operand): Tensor {
    return ew.mul(this, other);
  }
  /** a / b, broadcast. */
  div(other: Operand): Tensor {
    return ew.div(this, other);
  }
  /** −a. */
  neg(): Tensor {
    return ew.neg(this);
  }
  /** a ** exponent, for a number or tensor exponent. */
  pow(exponent: Operand): Tensor {
    return ew.pow(this, exponent);
  }
  /** eᵃ. */
  exp(): Tensor {
    return ew.exp(this);
  }
  /** Natural logarithm. */
  log(): Tensor {
    return ew.log(this);
  }
  /** log(1 + a), accurate for small a. */
  log1p(): Tensor {
    return ew.log1p(this);
  }
  /** √a. */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /** |a| (gradient 0 at 0). */
  abs(): Tensor {
    return ew.abs(this);
  }
  /** The error function. */
  erf(): Tensor {
    return ew.erf(this);
  }
  /** Limits to [min, max]; either bound may be omitted. */
  clamp(min?: number, max?: number): Tensor {
    return ew.clamp(this, min, max);
  }
  /** Elementwise maximum with `other`, broadcast. */
  maximum(other: Tensor): Tensor {
    return ew.maximum(this, other);
  }
  /** Elementwise minimum with `other`, broadcast. */
  minimum(other: Tensor): Tensor {
    return ew.minimum(this, other);
  }
  /** Logistic sigmoid 1 / (1 + e⁻ᵃ). */
  sigmoid(): Tensor {
    return act.sigmoid(this);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return act.tanh(this);
  }
  /** max(a, 0). */
  relu(): Tensor {
    return act.relu(this);
  }
  /** a for a > 0, `negativeSlope`·a otherwise (default slope 0.01). */
  leakyRelu(negativeSlope?: number): Tensor {
    return act.leakyRelu(this, negativeSlope);
  }
  /** GELU, exact erf form. */
  gelu(): Tensor {
    return act.gelu(this);
  }
  /** log(1 + eᵃ), overflow-free. */
  softplus(): Tensor {
    return act.softplus(this);
  }
  /** log σ(a), finite for every finite a. */
  logSigmoid(): Tensor {
    return act.logSigmoid(this);
  }
  /** Softmax along `axis` (default last). */
  softmax(axis?: number): Tensor {
    return sm.softmax(this, axis);
  }
  /** Log-softmax along `axis` (default last). */
  logSoftmax(axis?: number): Tensor {
    return sm.logSoftmax(this, axis);
  }
  /** log Σ exp over `axis` (all axes by default). */
  logsumexp(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.logsumexp(this, axis, keepDims);
  }
  /** Sum over `axis` (all axes by default). */
  sum(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.sum(this, axis, keepDims);
  }
  /** Mean over `axis` (all axes by default). */
  mean(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.mean(this, axis, keepDims);
  }
  /** Largest element over `axis` (ties share the gradient). */
  max(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.max(this, axis, keepDims);
  }
  /** Smallest element over `axis` (ties share the gradient). */
  min(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.min(this, axis, keepDims);
  }
  /** Variance over `axis`, `correction` 1 by default (torch.var); the function is `variance`. */
  var(axis?: red.Axis, options?: { correction?: number; keepDims?: boolean }): Tensor {
    return red.variance(this, axis, options);
  }
  /** Same as {@link Tensor.var}, under the name of the function. */
  variance(axis?: red.Axis, options?: { correction?: number; keepDims?: boolean }): Tensor {
    return red.variance(this, axis, options);
  }
  /** Euclidean norm over `axis`, or over every element when omitted (torch's `norm()`). */
  norm(axis?: number | readonly number[], keepDims?: boolean): Tensor {
    return sm.norm(this, axis, keepDims);
  }
  /** a / max(‖a‖, eps) along `axis` (F.normalize). */
  normalize(options?: { axis?: number; eps?: number }): Tensor {
    return sm.normalize(this, options);
  }
  /** Cosine similarity with `other` along `axis` (F.cosine_similarity). */
  cosineSimilarity(other: Tensor, options?: { axis?: number; eps?: number }): Tensor {
    return sm.cosineSimilarity(this, other, options);
  }
  /** Matrix product (NumPy rules for 1-D operands and batch axes). */
  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
  /** The same elements in `shape` (one entry may be -1): `t.reshape(2, -1)` or `t.reshape([2, -1])`. */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return shp.reshape(this, dimensions(shape));
  }
  /** The elements as a 1-D tensor. */
  flatten(): Tensor {
    return shp.flatten(this);
  }
  /** Swaps two axes (by default the last two). */
  transpose(axis0?: number, axis1?: number): Tensor {
    return shp.transpose(this, axis0, axis1);
  }
  /** Reorders the axes: axis i of the result is axis `axes[i]` (`t.permute(2, 0, 1)` or `t.permute([2, 0, 1])`). */
  permute(...axes: number[] | [readonly number[]]): Tensor {
    return shp.permute(this, dimensions(axes));
  }
  /** Removes size-1 axes (all, or the given ones). */
  squeeze(axis?: number | readonly number[]): Tensor {
    return shp.squeeze(this, axis);
  }
  /** Inserts a size-1 axis at `axis`. */
  unsqueeze(axis: number): Tensor {
    return shp.unsqueeze(this, axis);
  }
  /** Broadcasts to `shape` (-1 keeps a dimension): `t.expand(4, -1)` or `t.expand([4, -1])`. */
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return shp.expand(this, dimensions(shape));
  }
  /** A sub-range per axis, `[start, stop, step]` with Python semantics. */
  slice(...ranges: SliceRange[]): Tensor {
    return shp.slice(this, ranges);
  }
  /** `torch.gather` along `axis` with an int32 `index`. */
  gather(axis: number, index: idx.IndexLike): Tensor {
    return idx.gather(this, axis, index);
  }
  /** `torch.index_select`: the slices at 1-D int32 `indices` along `axis`. */
  indexSelect(axis: number, indices: idx.IndexLike): Tensor {
    return idx.indexSelect(this, axis, indices);
  }
  /** `torch.scatter_add` out of place: this tensor with `source` added at `index` along `axis`. */
  scatterAdd(axis: number, index: idx.IndexLike, source: Tensor): Tensor {
    return idx.scatterAdd(this, axis, index, source);
  }
  /** This tensor with `value` where `mask` is nonzero. */
  maskedFill(mask: idx.IndexLike, value: number): Tensor {
    return idx.maskedFill(this, mask, value);
  }
}

/** Accepts both `f(2, 3)` and `f([2, 3])`, as PyTorch's and NDArray's shape methods do. */
function dimensions(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0])
    ? [...(args[0] as readonly number[])]
    : (args as number[]);
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
  return seed.dtype === output.dtype ? seed : seed.to(output.dtype);
}
