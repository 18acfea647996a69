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

/**
 * Builds a backend the first time it is selected, so optional dependencies (gpu.js) load
 * only when asked for.
 */
export interface BackendLoader {
  /** The backend now, or null when it cannot load synchronously here (or at all). */
  loadSync(): Backend | null;
  /** The backend through a dynamic import; null when it cannot run here. */
  load(): Promise<Backend | null>;
  /** One line saying why the last load failed. */
  error(): string;
}

const loaders = new Map<string, BackendLoader>();

/** Makes a lazily loaded backend selectable by name. */
export function registerBackendLoader(name: string, loader: BackendLoader): void {
  loaders.set(name, loader);
}

/** An environment variable (Node), or undefined when unset, empty or there is no `process`. */
export function environment(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

const warned = new Set<string>();

function fallBack(name: string, reason: string): Backend {
  if (!warned.has(name))
    console.warn(`xent: backend '${name}' is unavailable (${reason}); using the js backend`);
  warned.add(name);
  active = backends.get('js') ?? getBackend();
  return active;
}

/** Makes a backend selectable by name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  if (active === null) active = backend;
}

/**
 * Selects the backend every op uses from now on:
 * - `'js'` (default): TypeScript kernels and the WebAssembly SIMD gemm; every dtype.
 * - `'gpu'`: float32 ops gpu.js can run go to gpu.js once their work (multiply-adds for
 *   matmul, elements otherwise) reaches a floor per kernel class — 64³ for matmul, 2¹⁶ for the
 *   rest, or `XENT_GPU_MIN_WORK` for all; everything else runs on js.
 * - `'auto'`: per kernel class, the first op that could go either way times js and gpu.js at a
 *   few sizes once per process; ops then go to whichever was faster at their size. On a machine
 *   without a GPU (gpu.js `webasm`) gpu.js lost at every size measured, so `auto` runs all on js.
 *
 * gpu.js runs in `XENT_GPU_MODE` (or `configureGpu({ mode })`) when set, else `webgl2` on a
 * hardware WebGL2 renderer, else `webasm`; `XENT_GPU_ASYNC=1` (or `configureGpu({ async: true })`)
 * runs its webasm kernels in gpu.js's worker pool behind a blocking bridge (Node). A lazily loaded backend that cannot load prints a
 * one-line warning and selects js. In a browser gpu.js cannot be loaded synchronously: use
 * {@link loadBackend}. `XENT_BACKEND` selects a backend when the package is imported.
 * See packages/tensor/GPU.md for the measured timings.
 */
export function setBackend(name: string): Backend {
  const loader = backends.has(name) ? undefined : loaders.get(name);
  if (loader) {
    const loaded = loader.loadSync();
    if (!loaded) return fallBack(name, loader.error());
    backends.set(name, loaded);
  }
  const backend = backends.get(name);
  if (!backend) {
    throw new ValueError(
      `setBackend: unknown backend '${name}'; expected one of ${listBackends().join(', ')}`,
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

/** Names of the registered backends, loaded or loadable. */
export function listBackends(): string[] {
  return [...new Set([...backends.keys(), ...loaders.keys()])];
}

/**
 * Loads and selects a backend (see {@link setBackend} for what `'js'`, `'gpu'` and `'auto'`
 * do). For the gpu backends it takes the global `GPU` of a page that included gpu-browser.js,
 * else `import('gpu.js')` — a literal specifier, so bundlers split gpu.js into a chunk fetched
 * only here. Resolves to the active backend: the js backend, after a one-line warning, when
 * the requested one cannot run.
 */
export async function loadBackend(name: string): Promise<Backend> {
  const loader = backends.has(name) ? undefined : loaders.get(name);
  if (loader) {
    const loaded = await loader.load();
    if (!loaded) return fallBack(name, loader.error());
    backends.set(name, loaded);
  }
  return setBackend(name);
}

/** Selects the backend named by `XENT_BACKEND`, if set. */
export function selectBackendFromEnvironment(): void {
  const requested = environment('XENT_BACKEND');
  if (requested) setBackend(requested);
}
