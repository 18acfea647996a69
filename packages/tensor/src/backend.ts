import { ValueError } from './errors.js';
import type { NDArray } from './ndarray.js';

/** Unary elementwise ops every backend implements (`p`, `q` are the op's scalar parameters). */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'erf'
  | 'softplus'
  | 'logSigmoid'
  | 'reciprocal'
  | 'square'
  | 'clamp'
  | 'leakyRelu'
  | 'isFinite';

/** Binary elementwise ops every backend implements. Comparisons give 1 or 0. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge';

/** Reductions over the inner axis of a `[outer, inner]` contiguous block. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin' | 'logsumexp';

/**
 * What a compute backend provides. The public functions of @xent/tensor check shapes and
 * dtypes, allocate the contiguous output, and hand the backend views that already have the
 * output's shape (broadcast inputs arrive with stride-0 axes).
 */
export interface Backend {
  /** Name used by {@link setBackend}. */
  readonly name: string;
  /** `out = op(a)`; `a` has `out`'s shape. */
  unary(op: UnaryOp, a: NDArray, out: NDArray, p: number, q: number): void;
  /** `out = op(a, b)`; `a` and `b` are views broadcast to `out`'s shape. */
  binary(op: BinaryOp, a: NDArray, b: NDArray, out: NDArray): void;
  /** `out[outer] = op(a[outer, :])` for a contiguous `a` of `outer × inner` elements. */
  reduce(op: ReduceOp, a: NDArray, outer: number, inner: number, out: NDArray): void;
  /**
   * `out[o, j] = op(a[o, :, j])` for a contiguous `a` of `outer × reduced × inner` elements:
   * reduces leading or middle axes in place (the bias gradient `sum(g, { axis: 0 })`) without
   * moving them last. Optional: without it those axes are moved last and copied.
   */
  reduceMiddle?(op: ReduceOp, a: NDArray, outer: number, reduced: number, inner: number, out: NDArray): void;
  /**
   * Batched `out[i] = a[i] @ b[i]` for `a: [batch, m, k]`, `b: [batch, k, n]` (any strides,
   * so transposed operands need no copy), `out: [batch, m, n]` contiguous.
   */
  matmul(a: NDArray, b: NDArray, out: NDArray): void;
  /** Row-wise softmax (or log-softmax) of a contiguous `[rows, cols]` block into `out`. */
  softmax(a: NDArray, rows: number, cols: number, out: NDArray, log: boolean): void;
}

const backends = new Map<string, Backend>();
let active: Backend | null = null;

/** Makes a backend selectable by name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  if (active === null) active = backend;
}

/** Selects the backend every op uses from now on. */
export function setBackend(name: string): Backend {
  const backend = backends.get(name);
  if (!backend) {
    throw new ValueError(
      `setBackend: unknown backend '${name}'; expected one of ${[...backends.keys()].join(', ')}`,
    );
  }
  active = backend;
  return backend;
}

/** The backend ops currently run on. */
export function getBackend(): Backend {
  if (active === null) throw new ValueError('getBackend: no backend is registered');
  return active;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}
