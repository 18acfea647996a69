/**
 * One training run in a Web Worker, so the page stays responsive. The page starts a worker per
 * variant and terminates it to stop or restart; the worker posts the data once, then
 * progress every ten steps.
 */
import { gpuInfo, setBackend } from '@xent/tensor';
import { makeDataset } from './datasets.js';
import type { BackendName, TrainRequest, WorkerMessage } from './protocol.js';
import { train } from './train.js';

/** The parts of DedicatedWorkerGlobalScope used here (the DOM lib types `self` as a Window). */
interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<TrainRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/**
 * Selects the backend. gpu.js is bundled as a separate chunk, fetched only when asked for; the
 * tensor package finds it as the global `GPU` (how a page that loads gpu-browser.js provides it).
 * When it cannot run, setBackend warns once and keeps the js backend.
 */
async function selectBackend(name: BackendName): Promise<string> {
  if (name === 'gpu') {
    try {
      const gpujs: { GPU?: unknown; default?: { GPU?: unknown } } = await import('gpu.js');
      (globalThis as { GPU?: unknown }).GPU = gpujs.GPU ?? gpujs.default?.GPU;
    } catch (error) {
      console.warn(`playground: gpu.js did not load (${error instanceof Error ? error.message : error})`);
    }
  }
  const backend = setBackend(name);
  const mode = backend.name === 'gpu' ? gpuInfo()?.mode : undefined;
  return mode ? `${backend.name} (gpu.js ${mode})` : backend.name;
}

async function fetchDigits(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`fetching ${url} gave HTTP ${response.status}; run pnpm build or pnpm dev`);
  return response.arrayBuffer();
}

async function run({ shared, loss }: TrainRequest): Promise<void> {
  const backend = await selectBackend(shared.backend);
  const bytes = shared.dataset === 'digits' ? await fetchDigits(shared.digitsUrl) : undefined;
  const data = makeDataset(shared.dataset, shared.seed, bytes);
  const shown = data.features === 2 ? Math.min(data.train.size, 600) : 0;
  const stride = shown > 0 ? data.train.size / shown : 1;
  const picked = Array.from({ length: shown }, (_, i) => Math.floor(i * stride));
  scope.postMessage({
    type: 'data',
    classNames: data.classNames,
    multiLabel: data.multiLabel,
    points:
      shown > 0
        ? Float32Array.from(picked.flatMap((i) => [data.train.inputs[2 * i], data.train.inputs[2 * i + 1]]))
        : null,
    labels: shown > 0 ? Int32Array.from(picked, (i) => data.train.labels[i]) : null,
    extent: data.extent,
    backend,
  });
  let started = performance.now();
  let stepsSince = 0;
  train(data, shared, loss, ({ losses, snapshot, done }) => {
    stepsSince += losses.length;
    const seconds = (performance.now() - started) / 1000;
    scope.postMessage({
      type: 'progress',
      losses,
      snapshot,
      done,
      stepsPerSecond: seconds > 0 ? stepsSince / seconds : 0,
    });
    if (snapshot.step === 0) {
      started = performance.now();
      stepsSince = 0;
    }
  });
}

scope.onmessage = (event) => {
  run(event.data).catch((error: unknown) => {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
