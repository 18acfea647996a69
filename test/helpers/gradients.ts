/**
 * The one shared gradient-check helper. Every differentiable op and every loss is checked
 * through `checkGradients`: first order always, second order (through `createGraph`)
 * unless the function is only piecewise smooth in a way finite differences cannot see.
 */
import {
  type CheckedFunction,
  type GradcheckOptions,
  gradcheck,
  gradgradcheck,
  Tensor,
} from '@xent/autograd';
import { Generator, type NDArray, randn } from '@xent/tensor';

/** Options of {@link checkGradients}. */
export interface CheckGradientsOptions extends GradcheckOptions {
  /** Also run gradgradcheck (default true). */
  secondOrder?: boolean;
}

/** Runs gradcheck (and gradgradcheck) on `fn` at `inputs`; throws with the failing element. */
export function checkGradients(
  fn: CheckedFunction,
  inputs: Tensor[],
  options: CheckGradientsOptions = {},
): void {
  const { secondOrder = true, ...tolerances } = options;
  gradcheck(fn, inputs, tolerances);
  if (secondOrder) gradgradcheck(fn, inputs, tolerances);
}

/** How a random test input is laid out in memory. */
export type Layout = 'contiguous' | 'transposed' | 'sliced';

/** Options of {@link randomInput}. */
export interface RandomInputOptions {
  /** Seed of the values (default 1). */
  seed?: number;
  /** Memory layout of the returned view (default contiguous). */
  layout?: Layout;
  /** Multiplies the normal samples (default 1). */
  scale?: number;
  /** Added after scaling, and after `minAbs` / `positive` / `distinct` (default 0). */
  shift?: number;
  /** Default true. */
  requiresGrad?: boolean;
  /**
   * Keeps values away from 0 (the kink of abs / relu, the pole of div): each sample v becomes
   * sign(v)·(minAbs + |v|), before `shift`.
   */
  minAbs?: number;
  /** Takes |v| (after `minAbs`), for log / sqrt / pow bases. */
  positive?: boolean;
  /**
   * Replaces the samples by a random permutation of evenly spaced values `distinct` apart,
   * centred on 0: no two elements are within `distinct` of each other, so max / min /
   * maximum never meet a tie that a finite-difference step could cross.
   */
  distinct?: number;
}

/** Applies `minAbs`, `positive`, `distinct`, `scale` and `shift` to normal samples in place. */
function shapeValues(values: Float64Array, options: RandomInputOptions): void {
  const { scale = 1, shift = 0, minAbs = 0, positive = false, distinct } = options;
  if (distinct !== undefined) {
    const order = Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
    const centre = (values.length - 1) / 2;
    order.forEach((index, rank) => {
      values[index] = (rank - centre) * distinct;
    });
  }
  for (let i = 0; i < values.length; i++) {
    let v = distinct === undefined ? values[i] * scale : values[i];
    if (minAbs > 0) v = Math.sign(v || 1) * (minAbs + Math.abs(v));
    if (positive) v = Math.abs(v);
    values[i] = v + shift;
  }
}

/**
 * A float64 leaf of `shape` with seeded normal values, scaled by `scale` and shifted by
 * `shift` (see {@link RandomInputOptions} for keeping values away from kinks). `transposed`
 * and `sliced` give the same logical shape through a non-contiguous view (a transposed
 * buffer, or every other element of a larger one).
 */
export function randomInput(shape: number[], options: RandomInputOptions = {}): Tensor {
  const generator = new Generator(options.seed ?? 1);
  const { layout = 'contiguous' } = options;
  const fill = (s: number[]): NDArray => {
    const values = randn(s, { dtype: 'float64', generator });
    shapeValues(values.data as Float64Array, options);
    return values;
  };
  let data: NDArray;
  if (layout === 'transposed' && shape.length >= 2) {
    const swapped = [...shape];
    [swapped[swapped.length - 2], swapped[swapped.length - 1]] = [
      swapped[swapped.length - 1],
      swapped[swapped.length - 2],
    ];
    data = fill(swapped).transpose();
  } else if (layout === 'sliced' && shape.length >= 1) {
    const wide = [...shape];
    wide[wide.length - 1] *= 2;
    data = fill(wide).slice(
      ...shape.map((_, i) => (i === shape.length - 1 ? ([null, null, 2] as const) : null)),
    );
  } else data = fill(shape);
  return new Tensor(data, { requiresGrad: options.requiresGrad ?? true });
}
