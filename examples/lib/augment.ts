/** Data augmentation for image batches. */
import { Tensor } from '@xent/autograd';
import { type Generator, NDArray } from '@xent/tensor';

/**
 * Each image of a `[N, side·side]` batch moved by its own random whole-pixel offset in
 * [−maxShift, maxShift]² (zeros shifted in). Translations keep the digit's label, so the
 * model sees more varied handwriting and overfits 8 000 images less.
 */
export function randomShift(images: Tensor, maxShift: number, generator: Generator, side = 28): Tensor {
  const [count, pixels] = images.shape;
  const source = images.data.values();
  const out = NDArray.empty([count, pixels], images.dtype);
  const target = out.data;
  for (let n = 0; n < count; n++) {
    const dx = generator.integer(-maxShift, maxShift + 1);
    const dy = generator.integer(-maxShift, maxShift + 1);
    const base = n * pixels;
    for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
        target[base + y * side + x] = source[base + (y - dy) * side + (x - dx)];
      }
    }
  }
  return new Tensor(out);
}
