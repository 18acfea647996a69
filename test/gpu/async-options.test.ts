/**
 * The async setting's errors: `configureGpu({ async: true })` with a mode other than webasm, or
 * in a realm without SharedArrayBuffer / worker_threads, throws a ValueError naming the setting,
 * what was given and what was expected; the same problems in XENT_GPU_ASYNC / XENT_GPU_MODE
 * make the gpu backends fall back to js with that message in the one-line warning.
 */
import { Script } from 'node:vm';
import { configureGpu, getBackend, gpuInfo, loadBackend, setBackend, ValueError } from '@xent/tensor';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_WORKER_SOURCE } from '../../packages/tensor/src/backends/gpu/bridge-worker.js';
import { gpuAvailable } from './helpers.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete process.env.XENT_GPU_ASYNC;
  delete process.env.XENT_GPU_MODE;
});
afterAll(() => {
  setBackend('js');
});

describe('XENT_GPU_ASYNC', () => {
  // First: gpu.js has not started, and configureGpu has set no mode over XENT_GPU_MODE.
  it('an unknown value, or async with XENT_GPU_MODE=cpu: one warning naming both, and js', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    process.env.XENT_GPU_ASYNC = 'yes';
    expect((await loadBackend('gpu')).name).toBe('js');
    process.env.XENT_GPU_ASYNC = '1';
    process.env.XENT_GPU_MODE = 'cpu';
    expect((await loadBackend('auto')).name).toBe('js');
    expect(gpuInfo()).toBeNull();
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual(
      gpuAvailable
        ? [
            expect.stringMatching(
              /backend 'gpu' is unavailable \(.*XENT_GPU_ASYNC is 'yes'; expected 1 \(or true\) for async, 0 \(or false\) or unset for sync.*\); using the js backend/,
            ),
            expect.stringMatching(
              /backend 'auto' is unavailable \(.*XENT_GPU_ASYNC=1: XENT_GPU_MODE is 'cpu'; expected 'webasm'.*\); using the js backend/,
            ),
          ]
        : [
            expect.stringContaining("backend 'gpu' is unavailable"),
            expect.stringContaining("backend 'auto' is unavailable"),
          ],
    );
  });
});

describe('configureGpu({ async })', () => {
  it('refuses a mode other than webasm, given now or before', () => {
    expect(() => configureGpu({ async: true, mode: 'webgl2' })).toThrow(ValueError);
    expect(() => configureGpu({ async: true, mode: 'cpu' })).toThrow(
      "configureGpu({ async: true }): mode is 'cpu'; expected 'webasm'",
    );
    configureGpu({ mode: 'headlessgl' });
    expect(() => configureGpu({ async: true })).toThrow(/mode is 'headlessgl'; expected 'webasm'/);
    configureGpu({ mode: 'webasm' });
  });

  it('refuses a realm without shared memory or worker_threads (a browser)', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(() => configureGpu({ async: true })).toThrow(
      /^configureGpu\(\{ async: true \}\): this realm has no SharedArrayBuffer; expected Node with worker_threads, SharedArrayBuffer and Atomics.wait/,
    );
    vi.unstubAllGlobals();
    vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    expect(() => configureGpu({ async: true })).toThrow(
      /this realm has no node:worker_threads; expected Node/,
    );
  });
});

describe('configureGpu({ mode: webgpu })', () => {
  it('refuses a realm without worker_threads, saying why WebGPU needs the bridge', () => {
    vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    expect(() => configureGpu({ mode: 'webgpu' })).toThrow(
      /^configureGpu\(\{ mode: 'webgpu' \}\): this realm has no node:worker_threads; expected Node .*WebGPU hands results back only through Promises/,
    );
  });
});

describe('the bridge worker source', () => {
  // A worker that fails to parse reports it through the calling thread's event loop, which is
  // blocked in Atomics.wait: the caller would only time out. So check that it compiles.
  it('is valid JavaScript', () => {
    expect(() => new Script(BRIDGE_WORKER_SOURCE)).not.toThrow();
  });
});

describe('configureGpu({ async: false })', () => {
  it('wins over XENT_GPU_ASYNC=1', async () => {
    process.env.XENT_GPU_ASYNC = '1';
    configureGpu({ async: false, mode: 'cpu' });
    const backend = (await loadBackend('gpu')).name;
    if (!gpuAvailable) {
      expect(backend).toBe('js');
      return;
    }
    expect(backend).toBe('gpu');
    expect(gpuInfo()).toMatchObject({ mode: 'cpu', async: false, threadedRuns: 0 });
    expect(getBackend().name).toBe('gpu');
  });
});
