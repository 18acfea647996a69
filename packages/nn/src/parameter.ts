import { Tensor } from '@xent/autograd';
import type { NDArray } from '@xent/tensor';

/**
 * A leaf tensor that a {@link Module} owns and an optimizer updates (PyTorch's
 * `nn.Parameter`). Any `Parameter` stored in a property of a module is found by
 * `module.parameters()`; `requiresGrad` defaults to true.
 */
export class Parameter extends Tensor {
  /** Wraps `data` (shared, not copied); a Tensor contributes its values, cut from its graph. */
  constructor(data: NDArray | Tensor, requiresGrad = true) {
    super(data instanceof Tensor ? data.data : data, { requiresGrad });
  }
}
