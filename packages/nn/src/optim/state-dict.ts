/**
 * An optimizer's state as plain data, for checkpoints (PyTorch's `optimizer.state_dict()` /
 * `load_state_dict()`): the per-parameter state keyed by the parameter's position across the
 * groups, and each group's options with its parameters as positions. Buffers are copied out as
 * NDArrays shaped like their parameter, and copied back in, so neither side aliases the other.
 */
import type { Tensor } from '@xent/autograd';
import { type FloatArray, formatShape, NDArray, ShapeError, ValueError } from '@xent/tensor';

/** One field of a parameter's state: a step count, a buffer shaped like the parameter, or unused. */
export type OptimizerStateValue = number | NDArray | null;

/** An optimizer's state, as `Optimizer.stateDict()` returns it and `loadStateDict` takes it. */
export interface OptimizerStateDict {
  /**
   * Per-parameter state, keyed by the parameter's position when the groups' `params` are laid
   * end to end (PyTorch's integer ids); parameters that never stepped have no entry.
   */
  state: Record<number, Record<string, OptimizerStateValue>>;
  /** Each group's options (lr, betas, …), with `params` as positions. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** A state object's fields as the optimizers keep them: numbers, typed-array buffers, or null. */
export type StateFields = Record<string, number | FloatArray | null>;

/** Copies one parameter's state out: buffers become NDArrays shaped like `param`. */
export function exportState(param: Tensor, state: StateFields): Record<string, OptimizerStateValue> {
  const out: Record<string, OptimizerStateValue> = {};
  for (const [key, value] of Object.entries(state)) {
    out[key] =
      value === null || typeof value === 'number' ? value : NDArray.fromStorage(value.slice(), param.shape);
  }
  return out;
}

/** Copies an option value (numbers, booleans, and arrays of them such as Adam's betas). */
export function copyOption(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

/**
 * Checks one parameter's saved state against `template` (what the optimizer would create for
 * it) and returns a copy in the optimizer's own types: numbers stay numbers, NDArrays become
 * buffers of the parameter's float type, null stays null where the template allows it.
 *
 * @throws ValueError on a missing, unexpected or mistyped field; ShapeError on a buffer whose
 * shape is not the parameter's.
 */
export function importState(
  where: string,
  param: Tensor,
  saved: Readonly<Record<string, unknown>>,
  template: StateFields,
): StateFields {
  const expected = Object.keys(template);
  const unexpected = Object.keys(saved).filter((key) => !Object.hasOwn(template, key));
  const missing = expected.filter((key) => !Object.hasOwn(saved, key));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new ValueError(
      `${where} has fields [${Object.keys(saved).join(', ')}]; expected [${expected.join(', ')}]`,
    );
  }
  const out: StateFields = {};
  for (const key of expected) {
    const value = saved[key];
    const slot = template[key];
    if (typeof slot === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new ValueError(`${where}.${key} is ${String(value)}; expected a finite number`);
      out[key] = value;
    } else if (value === null) {
      // Only where the optimizer itself starts without the buffer (it creates it on first use).
      if (slot !== null) throw new ValueError(`${where}.${key} is null; expected an NDArray`);
      out[key] = null;
    } else if (value instanceof NDArray) {
      if (value.shape.length !== param.ndim || value.shape.some((d, i) => d !== param.shape[i])) {
        throw new ShapeError(
          `${where}.${key} has shape ${formatShape(value.shape)}; expected the parameter's ${formatShape(param.shape)}`,
        );
      }
      const buffer = param.dtype === 'float64' ? new Float64Array(param.size) : new Float32Array(param.size);
      buffer.set(value.values());
      out[key] = buffer;
    } else {
      throw new ValueError(`${where}.${key} is ${typeof value}; expected an NDArray or null`);
    }
  }
  return out;
}
