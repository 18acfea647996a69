import { Tensor } from '@xent/autograd';
import { type FloatArray, formatShape, ShapeError, type TypedArray, ValueError } from '@xent/tensor';

/** Options every optimizer has: the learning rate (schedulers rewrite it per group). */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/** A parameter group: tensors that share options. Schedulers change `lr` (and momentum) here. */
export type ParamGroup<O extends BaseOptions> = O & { params: Tensor[] };

/** A parameter group as given to a constructor: options it omits come from the defaults. */
export type ParamGroupInput<O extends BaseOptions> = Partial<O> & { params: Iterable<Tensor> };

/** What an optimizer is given: tensors (one group), or groups with their own options. */
export type Params<O extends BaseOptions> = Iterable<Tensor> | ParamGroupInput<O>[];

/** One parameter's values and gradient, as flat typed arrays, for an update loop. */
export interface ParamView {
  /** The parameter's storage; element i is `values[offset + i]`. Written in place. */
  values: FloatArray;
  /** Index of element 0 in `values`. */
  offset: number;
  /** The gradient, contiguous, element i at `grad[i]`. Read only. */
  grad: TypedArray;
  /** Number of elements. */
  size: number;
}

function isGroupList<O extends BaseOptions>(params: Params<O>): params is ParamGroupInput<O>[] {
  const first: unknown = Array.isArray(params) ? params[0] : undefined;
  return typeof first === 'object' && first !== null && !(first instanceof Tensor) && 'params' in first;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/** How an error names something that should have been a tensor or a list of them. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object of class ${value.constructor?.name ?? 'Object'}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Base of the optimizers (PyTorch's `torch.optim.Optimizer`). `step()` updates every
 * parameter that has a gradient in place, on `param.data`, with plain typed-array loops:
 * no graph is recorded and nothing is allocated per element. Subclasses write
 * {@link Optimizer.update} for one parameter; `S` is the per-parameter state.
 */
export abstract class Optimizer<O extends BaseOptions, S> {
  /** Parameter groups; `paramGroups[i].lr` is what schedulers set. */
  readonly paramGroups: ParamGroup<O>[];
  /** Options of the constructor, after defaults. */
  readonly defaults: O;
  /** Per-parameter state (momentum buffers, moment estimates, step counts). */
  protected readonly state = new Map<Tensor, S>();

  /** The optimizer's name, for error messages (an accessor, so it exists during construction). */
  get name(): string {
    return 'Optimizer';
  }

  protected constructor(params: Params<O>, defaults: O) {
    const name = this.name;
    this.defaults = defaults;
    const groups: ParamGroupInput<O>[] = isGroupList(params) ? params : [{ params } as ParamGroupInput<O>];
    // Where each tensor was first listed: one listed twice would be updated twice per step.
    const seen = new Map<Tensor, string>();
    this.paramGroups = groups.map((group, groupIndex) => {
      if (!isIterable(group.params)) {
        // Typically a model passed for model.parameters().
        throw new ValueError(
          `${name}: expected an iterable of tensors (e.g. model.parameters()) or a list of { params } groups, got ${describe(group.params)}`,
        );
      }
      const tensors = [...group.params];
      for (const [index, tensor] of tensors.entries()) {
        const place = `group ${groupIndex}, parameter ${index}`;
        if (!(tensor instanceof Tensor))
          throw new ValueError(`${name}: ${place} is ${describe(tensor)}; expected a Tensor`);
        const first = seen.get(tensor);
        if (first !== undefined) {
          throw new ValueError(
            `${name}: the tensor at ${place} is already at ${first}; each tensor may be listed once (it would be updated twice per step)`,
          );
        }
        seen.set(tensor, place);
        if (tensor.dtype === 'int32') throw new ValueError(`${name}: cannot optimize an int32 tensor`);
        if (!tensor.isLeaf) throw new ValueError(`${name}: can only optimize leaf tensors`);
        if (!tensor.data.isContiguous)
          throw new ValueError(`${name}: parameters must be contiguous (got a strided view)`);
      }
      const resolved = { ...defaults, ...group, params: tensors } as ParamGroup<O>;
      this.validate(resolved);
      return resolved;
    });
    if (this.paramGroups.every((group) => group.params.length === 0)) {
      throw new ValueError(`${name}: got an empty parameter list`);
    }
  }

  /** Throws on an invalid option (negative lr, beta outside [0, 1), …). */
  protected validate(group: ParamGroup<O>): void {
    if (!(group.lr >= 0)) throw new ValueError(`${this.name}: lr must be >= 0, got ${group.lr}`);
  }

  /** Sets every parameter's gradient to null (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const param of group.params) param.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        if (!param.grad) continue;
        const gradShape = param.grad.shape;
        if (gradShape.length !== param.ndim || gradShape.some((d, i) => d !== param.shape[i])) {
          throw new ShapeError(
            `${this.name}: gradient of shape ${formatShape(gradShape)} for a parameter of shape ${formatShape(param.shape)}`,
          );
        }
        const view: ParamView = {
          values: param.data.data as FloatArray,
          offset: param.data.offset,
          grad: param.grad.data.values(),
          size: param.size,
        };
        let state = this.state.get(param);
        if (state === undefined) {
          state = this.initState(view, group);
          this.state.set(param, state);
        }
        this.update(view, group, state);
      }
    }
  }

  /** Fresh state for a parameter at its first step. */
  protected abstract initState(param: ParamView, group: ParamGroup<O>): S;

  /** Updates `param.values` in place from `param.grad`, the group's options and the state. */
  protected abstract update(param: ParamView, group: ParamGroup<O>, state: S): void;
}

/** A zeroed buffer of `size` elements in the same float type as `values`. */
export function stateBuffer(values: FloatArray, size: number): FloatArray {
  return values instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
}
