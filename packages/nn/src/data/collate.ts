import { stack, Tensor } from '@xent/autograd';
import { ValueError } from '@xent/tensor';

/**
 * PyTorch's `default_collate` for tensor samples: a batch of `[x, y, …]` samples becomes
 * `[stack(xs), stack(ys), …]` (a new leading batch axis); a batch of single tensors becomes
 * their stack.
 */
export function defaultCollate<T>(samples: readonly T[]): T {
  if (samples.length === 0) throw new ValueError('defaultCollate: empty batch');
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as unknown as readonly Tensor[], 0) as T;
  if (Array.isArray(first) && first.every((item) => item instanceof Tensor)) {
    return first.map((_, field) =>
      stack(
        (samples as readonly Tensor[][]).map((sample) => sample[field]),
        0,
      ),
    ) as T;
  }
  throw new ValueError(
    'defaultCollate: samples must be tensors or arrays of tensors; pass a `collate` for other items',
  );
}
