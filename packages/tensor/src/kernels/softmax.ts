import type { FloatArray, TypedArray } from '../dtype.js';

/**
 * Row-wise softmax or log-softmax of a contiguous `[rows, cols]` block. Subtracting the row
 * maximum first keeps every exponent ≤ 0, so no logit, however large, overflows; sums run
 * in float64 even for float32 storage.
 */
export function softmaxRows(
  x: TypedArray,
  xOffset: number,
  rows: number,
  cols: number,
  out: FloatArray,
  outOffset: number,
  log: boolean,
): void {
  for (let row = 0; row < rows; row++) {
    const start = xOffset + row * cols;
    const outStart = outOffset + row * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (x[start + j] > max) max = x[start + j];
    if (max === Number.NEGATIVE_INFINITY) max = 0;
    let sum = 0;
    if (log) {
      for (let j = 0; j < cols; j++) sum += Math.exp(x[start + j] - max);
      const logSum = max + Math.log(sum);
      for (let j = 0; j < cols; j++) out[outStart + j] = x[start + j] - logSum;
    } else {
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(x[start + j] - max);
        out[outStart + j] = e;
        sum += e;
      }
      const scale = 1 / sum;
      for (let j = 0; j < cols; j++) out[outStart + j] *= scale;
    }
  }
}
