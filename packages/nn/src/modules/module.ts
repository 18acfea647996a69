import { Tensor } from '@xent/autograd';
import { assign, formatShape, NDArray, ShapeError, ValueError } from '@xent/tensor';
import { Parameter } from '../parameter.js';

/** Named tensors, as `Module.stateDict()` returns them: PyTorch's dotted keys (`0.weight`). */
export type StateDict = Record<string, Tensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Throw on a missing or unexpected key (default true). Mis-shaped keys always throw. */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match (both empty under `strict`). */
export interface LoadStateDictResult {
  /** Keys the module has but the state dict lacks. */
  missingKeys: string[];
  /** Keys the state dict has but the module lacks. */
  unexpectedKeys: string[];
}

/** How an error message names a state dict value that is not an array. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `a plain array of ${value.length} elements (wrap it with tensor())`;
  if (typeof value === 'object') return `an object of class ${value.constructor?.name ?? 'Object'}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Base class of every layer and model (PyTorch's `nn.Module`). Parameters, buffers and
 * child modules are discovered from the object's own properties, in declaration order: a
 * {@link Parameter} is a parameter, a `Module` a child, an array of modules a list of
 * children named `name.0`, `name.1`, … and {@link Module.registerBuffer} adds
 * non-trainable state (saved in the state dict, skipped by the optimizer).
 */
export abstract class Module {
  /** True in training mode (Dropout drops), false after {@link Module.eval}. */
  training = true;
  private readonly buffers = new Map<string, Tensor>();

  /** The module's computation. Compose it from autograd ops so that it is differentiable. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Direct children, `[name, module]`, in declaration order. */
  namedChildren(): [string, Module][] {
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module) children.push([`${key}.${i}`, item]);
        });
      }
    }
    return children;
  }

  /** Direct children, in declaration order. */
  children(): Module[] {
    return this.namedChildren().map(([, child]) => child);
  }

  /** This module and every descendant, depth first, with dotted names (this one is `''`). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, module]) => module);
  }

  /** Parameters held directly by this module (not its children). */
  private ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter(
      (entry): entry is [string, Parameter] => entry[1] instanceof Parameter,
    );
  }

  /**
   * Every parameter of this module and its descendants with its dotted name (`0.weight`).
   * A parameter shared by two modules is listed once, under its first name (as in PyTorch).
   */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, parameter] of module.ownParameters()) {
        if (seen.has(parameter)) continue;
        seen.add(parameter);
        out.push([prefix ? `${prefix}.${name}` : name, parameter]);
      }
    }
    return out;
  }

  /** Every parameter, recursively, each once: what an optimizer is given. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, parameter]) => parameter);
  }

  /** Adds non-trainable state under `name` (saved in the state dict, not a parameter). */
  registerBuffer(name: string, value: Tensor): void {
    if (name.includes('.') || name === '') {
      throw new ValueError(`registerBuffer: buffer name must be non-empty without '.', got '${name}'`);
    }
    this.buffers.set(name, value);
  }

  /** Every buffer of this module and its descendants with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, buffer] of module.buffers) out.push([prefix ? `${prefix}.${name}` : name, buffer]);
    }
    return out;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  /** Evaluation mode (Dropout becomes the identity): `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter (sets it to null, PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    for (const parameter of this.parameters()) parameter.grad = null;
  }

  /**
   * Parameters then buffers by dotted name, as detached tensors sharing the module's
   * storage (as PyTorch's `state_dict()`): copy them before mutating if that matters.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, parameter] of this.namedParameters()) out[name] = parameter.detach();
    for (const [name, buffer] of this.namedBuffers()) out[name] = buffer.detach();
    return out;
  }

  /**
   * Copies `stateDict` (tensors or NDArrays, as `stateDict()`, `load()` or `save()` take
   * them) into this module's parameters and buffers in place. Everything is checked before
   * anything is written: a mis-shaped key or a value that is not an array (or, under
   * `strict`, the default, a missing or unexpected key) throws naming the key and what was
   * expected, and the module is left unchanged. Values are converted to each parameter's dtype.
   */
  loadStateDict(
    stateDict: Readonly<Record<string, Tensor | NDArray>>,
    options: LoadStateDictOptions = {},
  ): LoadStateDictResult {
    const strict = options.strict ?? true;
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    // Own keys only: `'constructor' in {}` is true.
    const has = (key: string) => Object.hasOwn(stateDict, key);
    const missingKeys = [...own.keys()].filter((key) => !has(key));
    const unexpectedKeys = Object.keys(stateDict).filter((key) => !own.has(key));
    const problems: string[] = [];
    const sources = new Map<Tensor, NDArray>();
    for (const [key, target] of own) {
      if (!has(key)) continue;
      const value: unknown = stateDict[key];
      const source = value instanceof Tensor ? value.data : value instanceof NDArray ? value : null;
      if (source === null) {
        problems.push(`'${key}': expected a Tensor or an NDArray, got ${describeValue(value)}`);
        continue;
      }
      const a = source.shape;
      const b = target.shape;
      if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
        problems.push(`'${key}': the state dict has shape ${formatShape(a)}, the module ${formatShape(b)}`);
      }
      // Copied now, so a source that is a view of another parameter is read before any write.
      sources.set(target, source.astype(target.dtype));
    }
    if (strict) {
      for (const key of missingKeys)
        problems.push(
          `'${key}': missing from the state dict (module shape ${formatShape(own.get(key)?.shape ?? [])})`,
        );
      for (const key of unexpectedKeys) {
        const value: unknown = stateDict[key];
        const described =
          value instanceof Tensor || value instanceof NDArray
            ? `state dict shape ${formatShape(value.shape)}`
            : describeValue(value);
        problems.push(`'${key}': unexpected (${described}, not in the module)`);
      }
    }
    if (problems.length > 0) {
      throw new ShapeError(`loadStateDict: nothing loaded; ${problems.join('; ')}`);
    }
    for (const [target, source] of sources) assign(target.data, source);
    return { missingKeys, unexpectedKeys };
  }

  /** Constructor arguments shown by {@link Module.toString}, e.g. `inFeatures=784, outFeatures=10`. */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-style tree of the modules, each line with its own parameter count, and the total. */
  toString(): string {
    const total = this.parameters().reduce((sum, p) => sum + p.size, 0);
    return `${this.describe('', 0)}\nTotal parameters: ${total.toLocaleString('en-US')}`;
  }

  private describe(name: string, depth: number): string {
    const indent = '  '.repeat(depth);
    const label = name ? `(${name}): ` : '';
    const own = this.ownParameters().reduce((sum, [, p]) => sum + p.size, 0);
    const count = own > 0 ? `  # ${own.toLocaleString('en-US')} parameters` : '';
    const children = this.namedChildren();
    const head = `${indent}${label}${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})${count}`;
    const body = children.map(([childName, child]) => child.describe(childName, depth + 1));
    return `${head}${count}\n${body.join('\n')}\n${indent})`;
  }
}
