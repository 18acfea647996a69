/**
 * The part of gpu.js xent uses, typed here rather than imported: gpu.js is an optional
 * dependency, and its own types are wrong in two places we rely on — `Input` rejects
 * `Float32Array`, and `asyncMode` kernels are not typed as returning Promises. The one
 * literal `import('gpu.js')` (for bundlers) is read as `unknown`. Loading is lazy: nothing
 * here touches gpu.js until a gpu backend is selected.
 */
import { environment } from '../../backend.js';

/**
 * gpu.js execution modes xent drives. All but `webgpu` run synchronously on the calling thread;
 * `webgpu` (whose results are read back asynchronously) always runs behind the async bridge, so it
 * is Node only.
 */
export type GpuMode = 'webasm' | 'webgl2' | 'webgl' | 'headlessgl' | 'cpu' | 'webgpu';

/** Settings passed to `gpu.createKernel`. */
export interface GpuKernelSettings {
  output: number[];
  constants?: Record<string, number>;
  returnType?: 'Number' | 'Float' | 'Array(4)';
  argumentTypes?: Record<string, string>;
  asyncMode?: boolean;
  dynamicOutput?: boolean;
  dynamicArguments?: boolean;
  precision?: 'single';
  tactic?: 'speed' | 'balanced' | 'precision';
}

/** What a kernel returns: a flat `Float32Array` for 1-D scalar outputs, nested arrays otherwise. */
export type GpuKernelResult = Float32Array | GpuKernelResult[];

/** The backend-specific kernel gpu.js wraps; only the fields xent inspects. */
export interface GpuInnerKernel {
  /** gpu.js reshapes raw webasm output into nested per-cell subarrays; xent replaces it with identity. */
  _shapeOutput?: (data: Float32Array, output: number[], components: number) => GpuKernelResult;
  /** Why gpu.js degraded this kernel to its cpu backend (null when it did not). */
  fallbackReason?: string | null;
  /** Number of compiled wasm modules cached for this kernel (webasm only). */
  _moduleCache?: Map<string, unknown>;
}

/** A compiled gpu.js kernel: callable, with a destroy that frees its modules, textures and workers. */
export interface GpuKernel {
  (...args: Array<Float32Array | number>): GpuKernelResult | Promise<GpuKernelResult>;
  destroy(removeCanvasReferences?: boolean): void;
  setOutput(output: number[]): GpuKernel;
  readonly kernel?: GpuInnerKernel;
}

/** A `GPU` instance. */
export interface GpuInstance {
  readonly mode: string;
  createKernel(source: string, settings: GpuKernelSettings): GpuKernel;
  destroy(): void | Promise<void>;
}

/** The `GPU` class with the static capability probes xent reads. */
export interface GpuConstructor {
  new (settings: { mode: GpuMode }): GpuInstance;
  readonly isWebAssemblySupported?: boolean;
  readonly isWebGL2Supported?: boolean;
  readonly isWebGLSupported?: boolean;
  readonly isHeadlessGLSupported?: boolean;
}

/** The gpu.js module namespace (CommonJS in Node, the UMD global `GPU` in a browser). */
export interface GpuJsModule {
  GPU: GpuConstructor;
  WebAssemblyKernel?: { readonly isSIMDSupported?: boolean; readonly isThreadsSupported?: boolean };
}

let loaded: GpuJsModule | null = null;
let lastError = '';

function asModule(candidate: unknown): GpuJsModule | null {
  // gpu-browser.js sets the global `GPU` to the class itself (a function), with `GPU.GPU = GPU`.
  if (candidate === null || (typeof candidate !== 'object' && typeof candidate !== 'function')) return null;
  const direct = candidate as Partial<GpuJsModule> & { default?: unknown };
  if (typeof direct.GPU === 'function') return direct as GpuJsModule;
  return direct.default !== undefined ? asModule(direct.default) : null;
}

/** Why the last load attempt failed ('' when none did). */
export function gpuJsLoadError(): string {
  return lastError;
}

/**
 * gpu.js, loaded synchronously where that is possible: already loaded, a browser page that
 * included gpu-browser.js (the global `GPU`), or Node (≥ 20.16) through `createRequire`.
 * Null when none applies; {@link loadGpuJs} then may still succeed.
 */
export function loadGpuJsSync(): GpuJsModule | null {
  if (loaded) return loaded;
  const fromGlobal = asModule((globalThis as { GPU?: unknown }).GPU);
  if (fromGlobal) {
    loaded = fromGlobal;
    return loaded;
  }
  type NodeProcess = { getBuiltinModule?: (name: string) => unknown };
  const nodeProcess = (globalThis as { process?: NodeProcess }).process;
  const nodeModule = nodeProcess?.getBuiltinModule?.('node:module') as
    | { createRequire(url: string): (id: string) => unknown }
    | undefined;
  if (!nodeModule) {
    lastError = 'gpu.js cannot be loaded synchronously here; await loadBackend(...) first';
    return null;
  }
  try {
    loaded = asModule(nodeModule.createRequire(import.meta.url)('gpu.js'));
    if (!loaded) lastError = 'gpu.js loaded but exports no GPU class';
  } catch (error) {
    lastError = `gpu.js could not be loaded (${firstLine(error)})`;
  }
  return loaded;
}

/**
 * gpu.js for {@link loadBackend}: the global `GPU` when a page included gpu-browser.js,
 * otherwise a dynamic `import('gpu.js')`. The specifier is a literal so bundlers (Vite,
 * esbuild, webpack) resolve the optional package and split it into a chunk fetched only
 * here; Node resolves it as usual. Null (with {@link gpuJsLoadError} set) when it fails.
 */
export async function loadGpuJs(): Promise<GpuJsModule | null> {
  if (loaded) return loaded;
  const fromGlobal = asModule((globalThis as { GPU?: unknown }).GPU);
  if (fromGlobal) {
    loaded = fromGlobal;
    return loaded;
  }
  try {
    loaded = asModule(await importGpuJs());
    if (!loaded) lastError = 'gpu.js loaded but exports no GPU class';
  } catch (error) {
    lastError = `gpu.js could not be loaded (${firstLine(error)})`;
  }
  return loaded;
}

/** `import('gpu.js')`, typed as unknown: its own types are not the ones xent relies on. */
function importGpuJs(): Promise<unknown> {
  return import('gpu.js');
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/**
 * The mode to run gpu.js in: `XENT_GPU_MODE` when set; in a browser, WebGL2 when its
 * renderer is hardware (SwiftShader and llvmpipe are slower than webasm); otherwise webasm.
 */
export function chooseMode(gpujs: GpuJsModule, requested = environment('XENT_GPU_MODE')): GpuMode {
  const modes: readonly GpuMode[] = ['webasm', 'webgl2', 'webgl', 'headlessgl', 'cpu', 'webgpu'];
  if (requested) {
    if ((modes as readonly string[]).includes(requested)) return requested as GpuMode;
    throw new Error(`XENT_GPU_MODE is '${requested}'; expected one of ${modes.join(', ')}`);
  }
  if (gpujs.GPU.isWebGL2Supported && hardwareWebGL2()) return 'webgl2';
  return 'webasm';
}

function hardwareWebGL2(): boolean {
  const doc = (globalThis as { document?: { createElement(tag: string): unknown } }).document;
  if (!doc) return false;
  type GL = { getExtension(name: string): unknown; getParameter(p: number): unknown };
  const canvas = doc.createElement('canvas') as { getContext(kind: string): GL | null };
  const gl = canvas.getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '');
  return !/swiftshader|llvmpipe|software|softpipe/i.test(renderer);
}
