/**
 * Shared set-up for the gpu tests: whether gpu.js can run here, and comparisons with the js
 * backend. Tests that need gpu.js branch on {@link gpuAvailable} and, without it, assert the
 * documented fallback (one warning, the js backend) instead of skipping.
 */
import { createRequire } from 'node:module';
import { type NDArray, rand } from '@xent/tensor';
import { expect } from 'vitest';

/** True when gpu.js resolves and can create a webasm kernel in this process. */
export const gpuAvailable: boolean = (() => {
  try {
    const gpujs = createRequire(import.meta.url)('gpu.js') as { GPU: { isWebAssemblySupported?: boolean } };
    return gpujs.GPU.isWebAssemblySupported === true;
  } catch {
    return false;
  }
})();

/** Random float32 array in [-1, 1). */
export function random(shape: number[]): NDArray {
  const x = rand(shape);
  const data = x.data;
  for (let i = 0; i < data.length; i++) data[i] = 2 * data[i] - 1;
  return x;
}

/** max |got − want| / max(max |want|, floor): relative to the array's scale, so cancellation near 0 is fine. */
export function relativeError(got: NDArray, want: NDArray, floor = 1e-6): number {
  expect(got.shape).toEqual(want.shape);
  const g = got.contiguous().data;
  const w = want.contiguous().data;
  let worst = 0;
  let scale = floor;
  for (let i = 0; i < w.length; i++) {
    worst = Math.max(worst, Math.abs(g[i] - w[i]));
    scale = Math.max(scale, Math.abs(w[i]));
  }
  return worst / scale;
}

/** max over elements of |got − want| / max(|want|, floor). */
export function elementwiseRelativeError(got: NDArray, want: NDArray, floor = 1e-3): number {
  expect(got.shape).toEqual(want.shape);
  const g = got.contiguous().data;
  const w = want.contiguous().data;
  let worst = 0;
  for (let i = 0; i < w.length; i++)
    worst = Math.max(worst, Math.abs(g[i] - w[i]) / Math.max(Math.abs(w[i]), floor));
  return worst;
}
