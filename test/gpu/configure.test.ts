/**
 * configureGpu: the in-code counterpart of XENT_GPU_MODE / XENT_GPU_MIN_WORK (a bundled page
 * has no environment). Its options win over the variables, and it refuses to change
 * anything once gpu.js has started.
 */
process.env.XENT_GPU_MODE = 'webasm';
process.env.XENT_GPU_MIN_WORK = '12345';

import { configureGpu, gpuInfo, loadBackend, matmul, setBackend, ValueError } from '@xent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuAvailable, random, relativeError } from './helpers.js';

afterAll(() => {
  setBackend('js');
});

describe('configureGpu', () => {
  it('overrides XENT_GPU_MODE and XENT_GPU_MIN_WORK when called before the backend loads', async () => {
    configureGpu({ mode: 'cpu', minWork: 1 });
    const backend = await loadBackend('gpu');
    if (!gpuAvailable) {
      expect(backend.name).toBe('js');
      return;
    }
    expect(backend.name).toBe('gpu');
    const info = gpuInfo()!;
    expect(info.mode).toBe('cpu');
    expect(Object.values(info.gpuThresholds)).toEqual([1, 1, 1, 1, 1]);
    const a = random([5, 7]);
    const b = random([7, 3]);
    const onGpu = matmul(a, b);
    expect(gpuInfo()!.routes.gpu.matmul).toBe(1);
    setBackend('js');
    expect(relativeError(onGpu, matmul(a, b))).toBeLessThan(1e-6);
  });
  it('throws a ValueError naming the running mode once gpu.js has started', () => {
    if (!gpuAvailable) return;
    expect(() => configureGpu({ mode: 'webasm' })).toThrow(ValueError);
    expect(() => configureGpu({ minWork: 0 })).toThrow(/already started in mode 'cpu'/);
  });
});
