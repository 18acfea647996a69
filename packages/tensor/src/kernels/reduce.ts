/**
 * Reduction kernels over contiguous typed arrays, with no allocation per element.
 *
 * The data is seen as `[outer, reduced, inner]`: {@link reduceRows} handles `inner = 1`
 * (reducing the last axes: each row is one tight loop), {@link reduceMiddle} any `inner`
 * (reducing leading or middle axes, e.g. the bias gradient `sum(grad, { axis: 0 })` of a
 * `[B, N]` array) by sweeping whole rows of `inner` accumulators, so nothing is transposed
 * or copied. Both follow the same rules:
 * - sums accumulate in float64 whatever the storage;
 * - max / min propagate NaN; argmax / argmin return the first extreme (or the first NaN);
 * - logsumexp is m + log Σ exp(x − m) with m the maximum, so no finite input overflows; it
 *   is NaN if any input is NaN, and ±Infinity when the maximum is.
 */
import type { ReduceOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/** `out[o] = op(x[offset + o·reduced ..< offset + (o + 1)·reduced])` for `o < outer`. */
export function reduceRows(
  op: ReduceOp,
  x: TypedArray,
  offset: number,
  outer: number,
  reduced: number,
  out: TypedArray,
): void {
  for (let row = 0; row < outer; row++) {
    const start = offset + row * reduced;
    const end = start + reduced;
    switch (op) {
      case 'sum': {
        let sum = 0;
        for (let i = start; i < end; i++) sum += x[i];
        out[row] = sum;
        break;
      }
      case 'max': {
        let best = x[start];
        for (let i = start + 1; i < end && !Number.isNaN(best); i++)
          if (x[i] > best || Number.isNaN(x[i])) best = x[i];
        out[row] = best;
        break;
      }
      case 'min': {
        let best = x[start];
        for (let i = start + 1; i < end && !Number.isNaN(best); i++)
          if (x[i] < best || Number.isNaN(x[i])) best = x[i];
        out[row] = best;
        break;
      }
      case 'argmax':
      case 'argmin': {
        const sign = op === 'argmax' ? 1 : -1;
        let best = sign * x[start];
        let bestIndex = start;
        for (let i = start + 1; i < end && !Number.isNaN(best); i++) {
          const v = sign * x[i];
          if (v > best || Number.isNaN(v)) {
            best = v;
            bestIndex = i;
          }
        }
        out[row] = bestIndex - start;
        break;
      }
      case 'logsumexp': {
        let max = x[start];
        for (let i = start + 1; i < end && !Number.isNaN(max); i++)
          if (x[i] > max || Number.isNaN(x[i])) max = x[i];
        if (!Number.isFinite(max)) {
          out[row] = max; // NaN, or ±Infinity: the sum is dominated by (or empty but for) it
          break;
        }
        let sum = 0;
        for (let i = start; i < end; i++) sum += Math.exp(x[i] - max);
        out[row] = max + Math.log(sum);
        break;
      }
    }
  }
}

/**
 * `out[o·inner + j] = op over r of x[offset + (o·reduced + r)·inner + j]`: reduces the middle
 * axis of a contiguous `[outer, reduced, inner]` block. `reduced` must be at least 1.
 */
export function reduceMiddle(
  op: ReduceOp,
  x: TypedArray,
  offset: number,
  outer: number,
  reduced: number,
  inner: number,
  out: TypedArray,
): void {
  // Rows of float64 accumulators, reused for every outer index.
  const acc = new Float64Array(inner);
  const sums = op === 'logsumexp' ? new Float64Array(inner) : acc;
  for (let o = 0; o < outer; o++) {
    const base = offset + o * reduced * inner;
    const outBase = o * inner;
    switch (op) {
      case 'sum': {
        acc.fill(0);
        for (let r = 0; r < reduced; r++) {
          const row = base + r * inner;
          for (let j = 0; j < inner; j++) acc[j] += x[row + j];
        }
        for (let j = 0; j < inner; j++) out[outBase + j] = acc[j];
        break;
      }
      case 'max':
      case 'min':
      case 'logsumexp': {
        for (let j = 0; j < inner; j++) acc[j] = x[base + j];
        const sign = op === 'min' ? -1 : 1;
        for (let r = 1; r < reduced; r++) {
          const row = base + r * inner;
          for (let j = 0; j < inner; j++) {
            const v = x[row + j];
            const best = acc[j];
            if (!Number.isNaN(best) && (sign * v > sign * best || Number.isNaN(v))) acc[j] = v;
          }
        }
        if (op !== 'logsumexp') {
          for (let j = 0; j < inner; j++) out[outBase + j] = acc[j];
          break;
        }
        // acc holds the column maxima; a non-finite maximum is the answer itself.
        sums.fill(0);
        for (let r = 0; r < reduced; r++) {
          const row = base + r * inner;
          for (let j = 0; j < inner; j++) sums[j] += Math.exp(x[row + j] - acc[j]);
        }
        for (let j = 0; j < inner; j++) {
          const max = acc[j];
          out[outBase + j] = Number.isFinite(max) ? max + Math.log(sums[j]) : max;
        }
        break;
      }
      case 'argmax':
      case 'argmin': {
        const sign = op === 'argmax' ? 1 : -1;
        for (let j = 0; j < inner; j++) {
          acc[j] = sign * x[base + j];
          out[outBase + j] = 0;
        }
        for (let r = 1; r < reduced; r++) {
          const row = base + r * inner;
          for (let j = 0; j < inner; j++) {
            const v = sign * x[row + j];
            const best = acc[j];
            if (!Number.isNaN(best) && (v > best || Number.isNaN(v))) {
              acc[j] = v;
              out[outBase + j] = r;
            }
          }
        }
        break;
      }
    }
  }
}
