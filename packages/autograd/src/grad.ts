import * as nd from '@xent/tensor';
import { type NDArray, ValueError, XentError } from '@xent/tensor';
import { type BackwardOptions, runBackward } from './graph.js';
import { seedGradient, Tensor } from './tensor.js';

/** Options of {@link grad}. */
export interface GradOptions extends BackwardOptions {
  /** Upstream gradients, one per output (required for outputs with more than one element). */
  gradOutputs?: readonly (Tensor | NDArray | number)[];
  /** Return zeros for inputs the outputs do not depend on instead of throwing. */
  allowUnused?: boolean;
}

/**
 * `torch.autograd.grad`: the gradients of `outputs` (weighted by `gradOutputs`) with respect
 * to each of `inputs`, returned rather than accumulated into `.grad` (which is left
 * untouched). With `createGraph` the results are themselves differentiable.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): Tensor[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  if (options.gradOutputs && options.gradOutputs.length !== outs.length) {
    // An extra gradOutput would be ignored and a missing one taken as ones: both hide a mix-up.
    throw new ValueError(
      `grad: ${options.gradOutputs.length} gradOutputs given for ${outs.length} outputs; expected one per output`,
    );
  }
  for (const [i, input] of ins.entries()) {
    if (!input.requiresGrad) throw new XentError(`grad: input ${i} does not require grad`);
  }
  const seeds = outs.map((output, i) => {
    if (!output.requiresGrad)
      throw new XentError(`grad: output ${i} does not require grad and has no gradFn`);
    return seedGradient('grad', output, options.gradOutputs?.[i]);
  });
  const found = new Map<Tensor, Tensor>();
  runBackward(outs, seeds, options, new Set(ins), (tensor, gradient) => {
    found.set(tensor, gradient);
  });
  return ins.map((input, i) => {
    const gradient = found.get(input);
    if (gradient) return gradient;
    if (!options.allowUnused) {
      throw new ValueError(
        `grad: input ${i} was not used to compute the outputs; pass { allowUnused: true } to get zeros`,
      );
    }
    return new Tensor(nd.zeros(input.shape, { dtype: input.dtype }));
  });
}
