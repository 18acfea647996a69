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

/**
 * A float64 leaf of `shape` with seeded normal values, scaled by `scale` and shifted by
 * `shift`. `transposed` and `sliced` give the same logical shape through a non-contiguous
 * view (a transposed buffer, or every other element of a larger one).
 */
export function randomInput(
  shape: number[],
  options: { seed?: number; layout?: Layout; scale?: number; shift?: number; requiresGrad?: boolean } = {},
): Tensor {
  const generator = new Generator(options.seed ?? 1);
  const { layout = 'contiguous', scale = 1, shift = 0 } = options;
  const fill = (s: number[]): NDArray => {
    const values = randn(s, { dtype: 'float64', generator });
    for (let i = 0; i < values.data.length; i++) values.data[i] = values.data[i] * scale + shift;
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
