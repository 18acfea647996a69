/**
 * When gpu.js cannot run, selecting a gpu backend prints one line and leaves the js backend
 * active. Forced here with an invalid XENT_GPU_MODE so the path is exercised on every machine.
 */
process.env.XENT_GPU_MODE = 'no-such-mode';

import { getBackend, gpuInfo, listBackends, loadBackend, matmul, ones, setBackend } from '@xent/tensor';
import { describe, expect, it, vi } from 'vitest';

describe('gpu backend fallback', () => {
  it('lists gpu and auto as selectable before anything is loaded', () => {
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'gpu', 'auto']));
    expect(gpuInfo()).toBeNull();
  });
  it('warns once, in one line, and keeps computing on js', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(setBackend('gpu').name).toBe('js');
    expect((await loadBackend('gpu')).name).toBe('js');
    expect(getBackend().name).toBe('js');
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0][0]);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/backend 'gpu' is unavailable \(.*XENT_GPU_MODE.*\); using the js backend/);
    expect(matmul(ones([2, 3]), ones([3, 4])).toArray()).toEqual([
      [3, 3, 3, 3],
      [3, 3, 3, 3],
    ]);
    warn.mockRestore();
  });
  it('still rejects names that are neither registered nor loadable', () => {
    expect(() => setBackend('tpu')).toThrow(/unknown backend 'tpu'; expected one of js, gpu, auto/);
  });
});
