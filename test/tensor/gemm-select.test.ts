/**
 * The js backend's matmul on each gemm kernel: the same public-API products (batched, broadcast,
 * transposed and sliced views, 1-D operands) against float64, whichever kernel is selected.
 */
import { Generator, matmul, type NDArray, rand } from '@xent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { type GemmKernel, gemmKernel, setGemmKernel } from '../../packages/tensor/src/kernels/gemm-select.ts';

/** max |actual − expected| / max |expected|. */
function relativeError(actual: NDArray, expected: NDArray): number {
  const x = actual.values();
  const y = expected.values();
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    difference = Math.max(difference, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return difference / scale;
}

/**
 * The selected kernel's float32 and float64 products against a float64 reference computed on the
 * TypeScript gemm (independent of the wasm kernels).
 */
function compare(a: NDArray, b: NDArray) {
  const kernel = gemmKernel();
  const actual = matmul(a, b);
  const actual64 = matmul(a.astype('float64'), b.astype('float64'));
  setGemmKernel('ts');
  const expected = matmul(a.astype('float64'), b.astype('float64'));
  setGemmKernel(kernel);
  expect(actual.dtype).toBe('float32');
  expect(actual64.dtype).toBe('float64');
  expect(actual.shape).toEqual(expected.shape);
  expect(relativeError(actual, expected)).toBeLessThan(1e-5);
  expect(relativeError(actual64, expected)).toBeLessThan(1e-13);
}

afterAll(() => setGemmKernel('wasm'));

describe.each(['wasm', 'ts'] as GemmKernel[])('matmul on the %s gemm', (kernel) => {
  it('is the selected kernel', () => {
    setGemmKernel(kernel);
    expect(gemmKernel()).toBe(kernel);
  });

  it('batched, broadcast, transposed and sliced float32 and float64 products match float64', () => {
    setGemmKernel(kernel);
    const generator = new Generator(3);
    compare(rand([3, 37, 50], { generator }), rand([3, 50, 29], { generator }));
    compare(rand([2, 1, 20, 33], { generator }), rand([4, 33, 18], { generator }));
    compare(rand([64, 45], { generator }).transpose(), rand([31, 64], { generator }).transpose());
    compare(
      rand([70, 90], { generator }).slice([3, 60], [5, 80]),
      rand([100, 50], { generator }).slice([10, 85], [1, 49, 2]),
    );
    // Negative strides (a reversed slice) and a broadcast (stride 0) operand.
    compare(rand([40, 60], { generator }).slice(null, [58, 0, -2]), rand([29, 35], { generator }));
    compare(rand([5, 16, 24], { generator }), rand([24, 1], { generator }).broadcastTo([24, 20]));
    compare(rand([300], { generator }), rand([300, 40], { generator }));
    compare(rand([40, 300], { generator }), rand([300], { generator }));
  });
});
