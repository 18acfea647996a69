/**
 * One training step of a small MLP in the browser, on the backend the query string names:
 * `?backend=js` or `?backend=gpu&mode=webgl2|webasm`. The result lands in
 * `window.xentResult` (and `#status` says done or failed) for the runner to read.
 *
 * Every eligible op goes to gpu.js (XENT_GPU_MIN_WORK=0): at these sizes the thresholds
 * would otherwise keep everything on js and the comparison would prove nothing.
 */
import { tensor } from '@xent/autograd';
import { crossEntropy } from '@xent/losses';
import { Linear, ReLU, Sequential, SGD } from '@xent/nn';
import { configureGpu, type GpuMode, gpuInfo, loadBackend, manualSeed, randint, randn } from '@xent/tensor';

/** What one page load reports back to the runner. */
export interface StepResult {
  backend: string;
  /** gpu.js mode the kernels ran in (gpu backend only). */
  mode: string | null;
  /** UNMASKED_RENDERER_WEBGL of a WebGL2 context, or why there is none. */
  renderer: string;
  /** Loss before each step. */
  losses: number[];
  /** Parameters after the steps, by name, flattened. */
  parameters: Record<string, number[]>;
  /** Gradients of the last step, by name, flattened. */
  gradients: Record<string, number[]>;
  /** WebGL2 draw calls made during the steps (each gpu.js webgl2 kernel run draws once). */
  webgl2Draws: number;
  /** Ops gpu.js ran, per kernel class (null on js). */
  gpuRoutes: Record<string, number> | null;
  milliseconds: number;
}

declare global {
  interface Window {
    xentResult?: StepResult;
    xentError?: string;
  }
}

const STEPS = 2;

function webgl2Renderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2 context';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

let webgl2Draws = 0;

/** Counts WebGL2 draws, the proof that a webgl2 run used the GPU path and not a fallback. */
function countWebGL2Draws(): void {
  const prototype = WebGL2RenderingContext.prototype;
  const drawArrays = prototype.drawArrays;
  prototype.drawArrays = function (this: WebGL2RenderingContext, mode: GLenum, first: GLint, count: GLsizei) {
    webgl2Draws++;
    drawArrays.call(this, mode, first, count);
  };
}

async function run(): Promise<StepResult> {
  countWebGL2Draws();
  const query = new URLSearchParams(location.search);
  const requested = query.get('backend') ?? 'js';
  // A built page has no environment variables (Vite replaces `process.env` with `{}`).
  const mode = query.get('mode');
  if (mode !== null) configureGpu({ mode: mode as GpuMode, minWork: 0 });
  const backend = await loadBackend(requested);
  if (backend.name !== requested) throw new Error(`asked for backend '${requested}', got '${backend.name}'`);

  const started = performance.now();
  manualSeed(0);
  const model = new Sequential(
    new Linear(16, 32),
    new ReLU(),
    new Linear(32, 32),
    new ReLU(),
    new Linear(32, 4),
  );
  const inputs = tensor(randn([64, 16]));
  const labels = randint(0, 4, [64], { dtype: 'int32' });
  const optimizer = new SGD(model.parameters(), { lr: 0.5 });
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(inputs), labels);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  const parameters: Record<string, number[]> = {};
  const gradients: Record<string, number[]> = {};
  for (const [name, parameter] of model.namedParameters()) {
    parameters[name] = Array.from(parameter.data.contiguous().data);
    gradients[name] = Array.from(parameter.grad!.data.contiguous().data);
  }
  const info = backend.name === 'gpu' ? gpuInfo() : null;
  return {
    backend: backend.name,
    mode: info?.mode ?? null,
    renderer: webgl2Renderer(),
    losses,
    parameters,
    gradients,
    webgl2Draws,
    gpuRoutes: info ? { ...info.routes.gpu } : null,
    milliseconds: performance.now() - started,
  };
}

const status = document.getElementById('status')!;
run().then(
  (result) => {
    window.xentResult = result;
    status.textContent = 'done';
  },
  (error: unknown) => {
    window.xentError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
    status.textContent = 'failed';
  },
);
