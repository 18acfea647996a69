/**
 * Multi-label digits: five sigmoids trained with binary cross-entropy against one softmax
 * trained with cross-entropy, on five attributes of each MNIST digit (even, ≥ 5, closed loop,
 * straight stroke, prime), scored by Hamming loss and per-label calibration. An image can have
 * up to three attributes (an 8 is even, ≥ 5 and looped), and a softmax whose probabilities sum
 * to 1 cannot give two of them more than 0.5: it cannot express co-occurring labels.
 */
import { sigmoid, softmax, type Tensor, tensor } from '@xent/autograd';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  expectedCalibrationError,
  hammingLoss,
} from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { firstPerClass, labelArray, loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/**
 * The attributes and the rule deriving them from the digit: a digit has an attribute when it
 * is in the list. "Closed loop" and "straight stroke" follow common handwriting (a 4 is
 * usually written open, so it has a straight stroke, not a loop). Every digit has at least
 * one attribute; 6, 7 and 8 have three.
 */
const attributes = [
  { name: 'even', digits: [0, 2, 4, 6, 8] },
  { name: '≥ 5', digits: [5, 6, 7, 8, 9] },
  { name: 'closed loop', digits: [0, 6, 8, 9] },
  { name: 'straight stroke', digits: [1, 4, 7] },
  { name: 'prime', digits: [2, 3, 5, 7] },
];

/** The 0/1 attribute matrix `[N, K]` of the digits `labels`. */
function attributeTargets(labels: Int32Array): Tensor {
  return tensor(
    Array.from(labels, (digit) => attributes.map(({ digits }) => (digits.includes(digit) ? 1 : 0))),
  );
}

/** The headline numbers of a run (on the test images). */
export interface MultilabelResult {
  /** Fraction of wrong label entries, each probability thresholded at 0.5. */
  hamming: { sigmoid: number; softmax: number; softmaxBestThreshold: number };
  /** Per-label expected calibration error of P(label), in `labels` order. */
  ece: { sigmoid: number[]; softmax: number[] };
  /** Mean over labels of `ece`. */
  meanEce: { sigmoid: number; softmax: number };
  /** Among images with ≥ 2 attributes, the fraction whose every attribute is predicted (> 0.5). */
  coOccurrenceRecall: { sigmoid: number; softmax: number };
  /** Mean number of attributes per image: true, and predicted (> 0.5) by each model. */
  labelsPerImage: { truth: number; sigmoid: number; softmax: number };
  labels: string[];
  seconds: number;
}

/** Trains both models and compares them (see the file comment). */
export async function main(options: ExampleOptions = {}): Promise<MultilabelResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 4 : 12;
  const started = performance.now();
  manualSeed(seed);

  // Data: digits and their attributes
  const { train: allTrain, test } = loadDigits();
  const train = quick ? firstPerClass(allTrain, 250) : allTrain;
  const trainTargets = attributeTargets(labelArray(train.labels));
  const testTargets = attributeTargets(labelArray(test.labels));
  console.log(`multi-label digits: ${train.labels.size} train, ${test.labels.size} test, attributes:`);
  for (const { name, digits } of attributes) console.log(`  ${name.padEnd(16)} ${digits.join(' ')}`);

  // Two models, two losses. The softmax is trained towards the attributes normalised to sum
  // to 1 (cross-entropy with probability targets), the usual way to fit one softmax to sets.
  const losses = {
    sigmoid: (logits: Tensor, targets: Tensor) => binaryCrossEntropyWithLogits(logits, targets),
    softmax: (logits: Tensor, targets: Tensor) => crossEntropy(logits, targets.div(targets.sum(-1, true))),
  };
  const probabilities = {
    sigmoid: (logits: Tensor) => sigmoid(logits),
    softmax: (logits: Tensor) => softmax(logits),
  };
  const curves: Record<string, number[]> = {};
  const testProbs: Record<string, Tensor> = {};
  for (const kind of ['sigmoid', 'softmax'] as const) {
    const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, attributes.length));
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const loader = new DataLoader(new TensorDataset(train.images, trainTargets), {
      batchSize: 64,
      shuffle: true,
      generator: new Generator(seed + 1),
    });
    // Loop
    curves[kind] = [];
    const progress = progressBar(epochs * loader.length, kind);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [images, targets] of loader) {
        optimizer.zeroGrad();
        const loss = losses[kind](model.forward(images), targets);
        loss.backward();
        optimizer.step();
        progress.tick(loss.item());
      }
      testProbs[kind] = probabilities[kind](predict(model, test.images));
      curves[kind].push(hammingLoss(testProbs[kind], testTargets));
    }
    progress.stop();
  }

  // Result
  const truth = testTargets.toArray() as number[][];
  const probs = {
    sigmoid: testProbs.sigmoid.toArray() as number[][],
    softmax: testProbs.softmax.toArray() as number[][],
  };
  const perLabelEce = (rows: number[][]) =>
    attributes.map(
      (_, k) =>
        expectedCalibrationError(
          rows.map((row) => row[k]),
          truth.map((row) => row[k]),
          { bins: 10 },
        ).ece,
    );
  const ece = { sigmoid: perLabelEce(probs.sigmoid), softmax: perLabelEce(probs.softmax) };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const predictedCount = (rows: number[][]) => mean(rows.map((row) => row.filter((p) => p > 0.5).length));
  const multi = truth
    .map((row, n) => [row, n] as const)
    .filter(([row]) => row.filter((y) => y === 1).length >= 2);
  const coOccurrence = (rows: number[][]) =>
    mean(multi.map(([row, n]) => (row.every((y, k) => (y === 1) === rows[n][k] > 0.5) ? 1 : 0)));
  // The softmax's best case: the threshold that minimises its Hamming loss, chosen on the test set.
  const thresholds = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));
  const softmaxBestThreshold = Math.min(
    ...thresholds.map((t) => hammingLoss(testProbs.softmax, testTargets, t)),
  );
  const result: MultilabelResult = {
    hamming: { sigmoid: curves.sigmoid.at(-1)!, softmax: curves.softmax.at(-1)!, softmaxBestThreshold },
    ece,
    meanEce: { sigmoid: mean(ece.sigmoid), softmax: mean(ece.softmax) },
    coOccurrenceRecall: { sigmoid: coOccurrence(probs.sigmoid), softmax: coOccurrence(probs.softmax) },
    labelsPerImage: {
      truth: mean(truth.map((row) => row.filter((y) => y === 1).length)),
      sigmoid: predictedCount(probs.sigmoid),
      softmax: predictedCount(probs.softmax),
    },
    labels: attributes.map(({ name }) => name),
    seconds: (performance.now() - started) / 1000,
  };

  if (chart) {
    const frequency = (rows: number[][], k: number) => mean(rows.map((row) => row[k]));
    const path = await writeChart('multilabel', [
      lineChart(curves, { title: 'test Hamming loss while training', y: 'Hamming loss' }),
      barChart(
        attributes.flatMap(({ name }, k) => [
          { category: name, group: 'true frequency', value: frequency(truth, k) },
          { category: name, group: 'mean P, sigmoid', value: frequency(probs.sigmoid, k) },
          { category: name, group: 'mean P, softmax', value: frequency(probs.softmax, k) },
        ]),
        { title: 'label frequency vs mean predicted probability', y: 'probability', yDomain: [0, 1] },
      ),
      barChart(
        attributes.flatMap(({ name }, k) => [
          { category: name, group: 'sigmoid + BCE', value: ece.sigmoid[k] },
          { category: name, group: 'softmax + CE', value: ece.softmax[k] },
        ]),
        { title: 'per-label calibration error (ECE, 10 bins)', y: 'ECE' },
      ),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable(
    [
      ...(['sigmoid', 'softmax'] as const).map((kind) => ({
        model: kind === 'sigmoid' ? 'K sigmoids + BCE' : 'softmax + CE',
        'Hamming loss': result.hamming[kind],
        'mean per-label ECE': result.meanEce[kind],
        'labels / image': result.labelsPerImage[kind],
        'all labels found (≥2 true)': result.coOccurrenceRecall[kind],
      })),
      {
        model: 'truth',
        'Hamming loss': 0,
        'mean per-label ECE': 0,
        'labels / image': result.labelsPerImage.truth,
        'all labels found (≥2 true)': 1,
      },
    ],
    { title: `test set, ${test.labels.size} images, threshold 0.5` },
  );
  printTable(
    attributes.map(({ name }, k) => ({
      label: name,
      'ECE sigmoid': ece.sigmoid[k],
      'ECE softmax': ece.softmax[k],
    })),
    { title: 'per-label calibration' },
  );
  console.log(
    `softmax with its best threshold (chosen on test): Hamming loss ${softmaxBestThreshold.toFixed(4)}; time ${result.seconds.toFixed(1)} s`,
  );
  return result;
}

runIfMain(import.meta.url, main);
