/** Scalar special functions JavaScript's Math lacks, accurate to ~1e-15 relative. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function. For |x| < 3 the all-positive series
 * erf(x) = 2/√π · e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) (no cancellation); beyond, 1 − erfc
 * by its continued fraction (modified Lentz), which converges in a few dozen steps there.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 3) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  return Math.sign(x) * (1 - erfcContinuedFraction(ax));
}

/** erfc(x) for x ≥ 3: e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

// exp for float32 results: e^x = 2^(k/64) · e^r with k = round(64·x·log2 e) and |r| ≤ ln 2 / 128;
// 2^(k/64) = 2^(k >> 6) · 2^((k & 63)/64) from two small tables, e^r by a cubic Taylor polynomial.
// Relative error < 4e-11 before the result is rounded to float32 (whose step is 6e-8), and about
// three times faster than Math.exp. bench/NOTES.md has the measurement, test/tensor/math.test.ts
// the check against Math.exp.
const EXP_SCALE = 64 * Math.LOG2E;
const EXP_STEP = Math.LN2 / 64;
const EXP_FRACTIONS = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^q for q in [−160, 130], at index q + 160. */
const EXP_POWERS = Float64Array.from({ length: 291 }, (_, i) => 2 ** (i - 160));

/**
 * e^x to float32 accuracy: within one float32 rounding step of `Math.fround(Math.exp(x))` for
 * every x, computed in double from tables. Below −104 (under float32's smallest subnormal) it is
 * 0, above 89 (over float32's largest value) Infinity, NaN stays NaN. For float32 kernels only:
 * in float64 it is not exact to the last bit, as Math.exp is.
 */
export function expFloat32(x: number): number {
  if (!(x > -104)) return Number.isNaN(x) ? x : 0;
  if (x > 89) return Number.POSITIVE_INFINITY;
  const y = x * EXP_SCALE;
  const k = Math.floor(y + 0.5);
  const r = (y - k) * EXP_STEP;
  return EXP_POWERS[(k >> 6) + 160] * EXP_FRACTIONS[k & 63] * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
}
