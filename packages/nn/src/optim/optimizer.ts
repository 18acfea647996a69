import { Tensor } from '@xent/autograd';
import { type FloatArray, formatShape, ShapeError, type TypedArray, ValueError } from '@xent/tensor';
import {
  copyOption,
  exportState,
  importState,
  type OptimizerStateDict,
  type StateFields,
} from './state-dict.js';

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
        // Checked at construction too, but `param.data` may have been replaced since; the update
        // loops index the storage as contiguous.
        if (!param.data.isContiguous)
          throw new ValueError(
            `${this.name}: parameters must be contiguous (a parameter's data is now a strided view)`,
          );
        const gradShape = param.grad.shape;
        if (gradShape.length !== param.ndim || gradShape.some((d, i) => d !== param.shape[i])) {
          throw new ShapeError(
            `${this.name}: gradient of shape ${formatShape(gradShape)} for a parameter of shape ${formatShape(param.shape)}`,
          );
        }
        const view = paramView(param, param.grad.data.values());
        let state = this.state.get(param);
        if (state === undefined) {
          state = this.initState(view, group);
          this.state.set(param, state);
        }
        this.update(view, group, state);
      }
    }
  }

  /**
   * The optimizer's state as data (PyTorch's `state_dict()`): per-parameter state keyed by the
   * parameter's position across the groups, buffers copied out as NDArrays shaped like their
   * parameter, and each group's options with `params` as positions. With the model's
   * `stateDict()` it is what a checkpoint needs to resume training exactly.
   */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let position = 0;
    for (const group of this.paramGroups) {
      const options: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group))
        if (key !== 'params') options[key] = copyOption(value);
      const params: number[] = [];
      for (const param of group.params) {
        const saved = this.state.get(param);
        if (saved !== undefined) state[position] = exportState(param, saved as unknown as StateFields);
        params.push(position++);
      }
      paramGroups.push({ ...options, params });
    }
    return { state, paramGroups };
  }

  /**
   * Restores what {@link stateDict} returned (PyTorch's `load_state_dict()`): group options,
   * and per-parameter state matched by position, group by group, to this optimizer's parameters.
   * Everything is checked before anything changes, and buffers are copied in.
   *
   * @throws ValueError when the groups or their sizes differ, a state entry names no parameter,
   * or a field is missing, unexpected or of the wrong kind; ShapeError when a buffer's shape is
   * not its parameter's.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const groups: unknown = stateDict?.paramGroups;
    const savedState: unknown = stateDict?.state;
    if (!Array.isArray(groups) || typeof savedState !== 'object' || savedState === null) {
      throw new ValueError(`${where}: expected { state, paramGroups } as stateDict() returns`);
    }
    if (groups.length !== this.paramGroups.length) {
      throw new ValueError(
        `${where}: the state has ${groups.length} parameter groups; this optimizer has ${this.paramGroups.length}`,
      );
    }
    const listed = new Set<string>();
    const restored = this.paramGroups.map((group, i) => {
      const saved = groups[i] as Record<string, unknown> & { params?: unknown };
      const ids = saved?.params;
      if (!Array.isArray(ids) || ids.length !== group.params.length) {
        throw new ValueError(
          `${where}: group ${i} has ${Array.isArray(ids) ? ids.length : 'no'} parameters; this optimizer's has ${group.params.length}`,
        );
      }
      for (const id of ids) listed.add(String(id));
      // Options first, so the state templates below see the loaded ones (e.g. Adam's amsgrad).
      const next = { ...group };
      for (const [key, value] of Object.entries(saved)) {
        if (key !== 'params') (next as unknown as Record<string, unknown>)[key] = copyOption(value);
      }
      this.validate(next);
      return { group: next, ids: ids as number[] };
    });
    const unlisted = Object.keys(savedState).filter((id) => !listed.has(id));
    if (unlisted.length > 0) {
      throw new ValueError(`${where}: state has entries [${unlisted.join(', ')}] that no group lists`);
    }
    const state = new Map<Tensor, S>();
    for (const { group, ids } of restored) {
      group.params.forEach((param, j) => {
        const saved = (savedState as Record<string, unknown>)[ids[j]];
        if (saved === undefined) return;
        if (typeof saved !== 'object' || saved === null)
          throw new ValueError(
            `${where}: state[${ids[j]}] is ${String(saved)}; expected an object of fields`,
          );
        // What this optimizer would start from for the parameter (initState reads only values and size).
        const template = this.initState(paramView(param, param.data.data), group) as unknown as StateFields;
        const fields = importState(
          `${where}: state[${ids[j]}]`,
          param,
          saved as Record<string, unknown>,
          template,
        );
        state.set(param, fields as unknown as S);
      });
    }
    // Commit: the group objects stay the same (schedulers hold them); only their options change.
    for (const [i, { group }] of restored.entries()) Object.assign(this.paramGroups[i], group);
    this.state.clear();
    for (const [param, fields] of state) this.state.set(param, fields);
  }

  /** Fresh state for a parameter at its first step. */
  protected abstract initState(param: ParamView, group: ParamGroup<O>): S;

  /** Updates `param.values` in place from `param.grad`, the group's options and the state. */
  protected abstract update(param: ParamView, group: ParamGroup<O>, state: S): void;
}

/** The flat view `update` works on: the parameter's storage and `grad`, element i at index i. */
function paramView(param: Tensor, grad: TypedArray): ParamView {
  return { values: param.data.data as FloatArray, offset: param.data.offset, grad, size: param.size };
}

/** A zeroed buffer of `size` elements in the same float type as `values`. */
export function stateBuffer(values: FloatArray, size: number): FloatArray {
  return values instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
}
