/**
 * General matrix multiply for the js backend: C (+)= A · B on typed arrays.
 *
 * The loops follow BLIS/GotoBLAS. B is copied ("packed") one KC × NC block at a time and A one
 * MC × KC block at a time into contiguous float64 panels, so the micro-kernel reads both operands
 * with unit stride whatever the caller's strides: A·B, A·Bᵀ, Aᵀ·B and slices all run at one speed.
 * The micro-kernel keeps a 4 × 3 tile of C in twelve local variables for a whole k-block.
 * bench/NOTES.md records what each choice below was measured to be worth.
 */

/** The storage types gemm reads and writes. */
export type FloatArray = Float32Array | Float64Array;

/** Rows of C per micro-tile = rows of one packed A sliver. */
const MR = 4;
/** Columns of C per micro-tile = columns of one packed B sliver. */
const NR = 3;
/** Depth of one k-block: one packed B sliver (KC × NR float64, 6 KiB) stays in L1. */
const KC = 256;
/** Rows of one packed A block (MC × KC float64, 256 KiB, meant for L2). A multiple of MR. */
const MC = 128;
/** Columns of one packed B block (KC × NC float64, about 2 MiB). A multiple of NR. */
const NC = 1020;
/**
 * Below this many multiply-adds packing costs more than it saves, and so it does when C has at most
 * MR rows or fewer than NR columns (each packed element would then be used only a few times).
 */
const SMALL_WORK = 16 * 16 * 16;

// The packing buffers are module constants of a fixed, power-of-two length, for two reasons
// measured in bench/NOTES.md. V8 embeds a constant typed array's length and data pointer in the
// optimized micro-kernel instead of reloading them on every iteration. And indices are masked
// with `& (length - 1)`: every index is already in range, so the mask changes nothing, but it lets
// V8 compute `index + i` without an int32 overflow check. Float64 for both input dtypes: the
// micro-kernel sees a single array type, and float32 inputs are widened once, while packing.
const packedA = new Float64Array(powerOfTwoAtLeast(MC * KC));
const packedB = new Float64Array(powerOfTwoAtLeast(KC * NC));
const A_MASK = packedA.length - 1;
const B_MASK = packedB.length - 1;
/** The micro-kernel's output: one MR × NR tile, row-major. */
const tile = new Float64Array(MR * NR);

/**
 * C[m×n] (+)= A[m×k] · B[k×n]. A and B are addressed by (offset, rowStride, colStride), so a transposed
 * operand is just swapped strides (no copy by the caller). C is contiguous row-major at cOffset.
 * When accumulate is false C is overwritten.
 *
 * Products are summed in float64 (JS numbers) within each k-block of 256 and rounded to C's dtype
 * when stored. Nothing is allocated per call: the packing buffers are allocated once, at load.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  b: FloatArray,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  c: FloatArray,
  cOffset: number,
  accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  if (m * n * k < SMALL_WORK || m <= MR || n < NR) {
    gemmSmall(
      m,
      n,
      k,
      a,
      aOffset,
      aRowStride,
      aColStride,
      b,
      bOffset,
      bRowStride,
      bColStride,
      c,
      cOffset,
      accumulate,
    );
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // The first k-block overwrites C unless the caller asked to accumulate; later ones add.
      const addToC = accumulate || pc > 0;
      packB(kc, nc, b, bOffset + pc * bRowStride + jc * bColStride, bRowStride, bColStride);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(mc, kc, a, aOffset + ic * aRowStride + pc * aColStride, aRowStride, aColStride);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir);
            microKernel(kc, ir * kc, jr * kc);
            const cIndex = cOffset + (ic + ir) * n + jc + jr;
            if (c instanceof Float32Array) storeTile32(rows, cols, c, cIndex, n, addToC);
            else storeTile64(rows, cols, c, cIndex, n, addToC);
          }
        }
      }
    }
  }
}

/**
 * Copies A[mc×kc] (strided, from `offset`) into `packedA` as slivers of MR rows: sliver s holds,
 * for p = 0..kc-1, the MR values A[s·MR + 0..MR-1][p] side by side. Rows past mc are zero, so the
 * micro-kernel needs no edge case.
 */
function packA(mc: number, kc: number, a: FloatArray, offset: number, rowStride: number, colStride: number) {
  const slivers = Math.ceil(mc / MR);
  let index = 0;
  for (let s = 0; s < slivers; s++) {
    for (let p = 0; p < kc; p++) {
      const columnStart = offset + p * colStride;
      for (let r = 0; r < MR; r++) {
        const row = s * MR + r;
        packedA[index++] = row < mc ? a[columnStart + row * rowStride] : 0;
      }
    }
  }
}

/**
 * Copies B[kc×nc] (strided, from `offset`) into `packedB` as slivers of NR columns: sliver s holds,
 * for p = 0..kc-1, the NR values B[p][s·NR + 0..NR-1] side by side. Columns past nc are zero.
 */
function packB(kc: number, nc: number, b: FloatArray, offset: number, rowStride: number, colStride: number) {
  const slivers = Math.ceil(nc / NR);
  let index = 0;
  for (let s = 0; s < slivers; s++) {
    for (let p = 0; p < kc; p++) {
      const rowStart = offset + p * rowStride;
      for (let col = 0; col < NR; col++) {
        const column = s * NR + col;
        packedB[index++] = column < nc ? b[rowStart + column * colStride] : 0;
      }
    }
  }
}

/**
 * The register tile: tile = A sliver · B sliver, a 4 × 3 block held in twelve locals while p runs
 * over kc. The A sliver starts at `aIndex` in packedA, the B sliver at `bIndex` in packedB.
 */
function microKernel(kc: number, aIndex: number, bIndex: number) {
  let c00 = 0,
    c01 = 0,
    c02 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = packedB[bIndex & B_MASK];
    const b1 = packedB[(bIndex + 1) & B_MASK];
    const b2 = packedB[(bIndex + 2) & B_MASK];
    const a0 = packedA[aIndex & A_MASK];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    const a1 = packedA[(aIndex + 1) & A_MASK];
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    const a2 = packedA[(aIndex + 2) & A_MASK];
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    const a3 = packedA[(aIndex + 3) & A_MASK];
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    aIndex = (aIndex + MR) | 0;
    bIndex = (bIndex + NR) | 0;
  }
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c10;
  tile[4] = c11;
  tile[5] = c12;
  tile[6] = c20;
  tile[7] = c21;
  tile[8] = c22;
  tile[9] = c30;
  tile[10] = c31;
  tile[11] = c32;
}

// Two copies of the store, one per dtype, keep each monomorphic (one typed-array map per call site).

/** Writes (or adds) the top-left rows × cols of `tile` into float32 C at `cIndex`. */
function storeTile32(
  rows: number,
  cols: number,
  c: Float32Array,
  cIndex: number,
  n: number,
  addToC: boolean,
) {
  for (let r = 0; r < rows; r++) {
    const rowStart = cIndex + r * n;
    for (let col = 0; col < cols; col++) {
      const value = tile[r * NR + col];
      c[rowStart + col] = addToC ? c[rowStart + col] + value : value;
    }
  }
}

/** Writes (or adds) the top-left rows × cols of `tile` into float64 C at `cIndex`. */
function storeTile64(
  rows: number,
  cols: number,
  c: Float64Array,
  cIndex: number,
  n: number,
  addToC: boolean,
) {
  for (let r = 0; r < rows; r++) {
    const rowStart = cIndex + r * n;
    for (let col = 0; col < cols; col++) {
      const value = tile[r * NR + col];
      c[rowStart + col] = addToC ? c[rowStart + col] + value : value;
    }
  }
}

/**
 * The unpacked path, for products too small or too thin to repay packing (bench/NOTES.md): four
 * elements of a row of C at a time, each summed in its own JS number so the four additions
 * overlap, then the leftover columns one dot product at a time.
 */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  b: FloatArray,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  c: FloatArray,
  cOffset: number,
  accumulate: boolean,
) {
  const fullColumns = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const aRow = aOffset + i * aRowStride;
    const cRow = cOffset + i * n;
    for (let j = 0; j < fullColumns; j += 4) {
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      let aIndex = aRow;
      let bIndex = bOffset + j * bColStride;
      for (let p = 0; p < k; p++) {
        const aValue = a[aIndex];
        sum0 += aValue * b[bIndex];
        sum1 += aValue * b[bIndex + bColStride];
        sum2 += aValue * b[bIndex + 2 * bColStride];
        sum3 += aValue * b[bIndex + 3 * bColStride];
        aIndex += aColStride;
        bIndex += bRowStride;
      }
      const cIndex = cRow + j;
      if (accumulate) {
        sum0 += c[cIndex];
        sum1 += c[cIndex + 1];
        sum2 += c[cIndex + 2];
        sum3 += c[cIndex + 3];
      }
      c[cIndex] = sum0;
      c[cIndex + 1] = sum1;
      c[cIndex + 2] = sum2;
      c[cIndex + 3] = sum3;
    }
    for (let j = fullColumns; j < n; j++) {
      const sum = dot(k, a, aRow, aColStride, b, bOffset + j * bColStride, bRowStride);
      c[cRow + j] = accumulate ? c[cRow + j] + sum : sum;
    }
  }
}

/** Σ_p x[xIndex + p·xStride] · y[yIndex + p·yStride], in four interleaved partial sums. */
function dot(
  k: number,
  x: FloatArray,
  xIndex: number,
  xStride: number,
  y: FloatArray,
  yIndex: number,
  yStride: number,
) {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    sum0 += x[xIndex] * y[yIndex];
    sum1 += x[xIndex + xStride] * y[yIndex + yStride];
    sum2 += x[xIndex + 2 * xStride] * y[yIndex + 2 * yStride];
    sum3 += x[xIndex + 3 * xStride] * y[yIndex + 3 * yStride];
    xIndex += 4 * xStride;
    yIndex += 4 * yStride;
  }
  for (; p < k; p++) {
    sum0 += x[xIndex] * y[yIndex];
    xIndex += xStride;
    yIndex += yStride;
  }
  return sum0 + sum1 + (sum2 + sum3);
}

/** The smallest power of two ≥ `size`, so that `length - 1` is a bit mask covering every index. */
function powerOfTwoAtLeast(size: number): number {
  return 2 ** Math.ceil(Math.log2(size));
}
