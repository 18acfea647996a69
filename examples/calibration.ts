/**
 * Calibration of an MNIST classifier: an MLP trained well past the point where its training
 * loss stops helping becomes over-confident; one temperature T, fitted on a held-out split,
 * repairs its probabilities (ECE, NLL, reliability diagram on the test split) without
 * changing a single prediction.
 */
import { noGrad, type Tensor } from '@xent/autograd';
import {
  accuracy,
  crossEntropy,
  expectedCalibrationError,
  type ReliabilityBin,
  temperatureScale,
} from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, learningCurves, lineChart, writeChart } from './lib/chart.js';
import { loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** Test-split numbers with the raw logits or the temperature-scaled ones. */
export interface CalibrationRow {
  probabilities: 'raw' | 'temperature-scaled';
  accuracy: number;
  /** Mean NLL, nats. */
  nll: number;
  /** Expected calibration error, 15 bins. */
  ece: number;
  /** Maximum calibration error over the non-empty bins. */
  mce: number;
  /** Mean top-class probability. */
  meanConfidence: number;
}

/** What {@link main} returns. */
export interface CalibrationExampleResult {
  /** The fitted temperature (> 1 softens an over-confident model). */
  temperature: number;
  before: CalibrationRow;
  after: CalibrationRow;
  seconds: number;
}

/** Trains the classifier, fits T on the validation split, reports on the test split. */
export async function main(options: ExampleOptions = {}): Promise<CalibrationExampleResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const epochs = quick ? 20 : 20;
  manualSeed(seed);

  // Data: per digit, 700 images train, the next 100 fit the temperature, the rest (2 000) test.
  // The quick run trains on 100 per digit with a larger step (so that it over-fits in seconds)
  // and tests on 200 per digit.
  const { train, validation, test } = loadDigits(
    quick
      ? { trainPerDigit: 100, validationPerDigit: 100, testPerDigit: 200 }
      : { trainPerDigit: 700, validationPerDigit: 100 },
  );
  console.log(
    `mnist: ${train.labels.size} train, ${validation.labels.size} validation, ${test.labels.size} test`,
  );
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), {
    batchSize: 64,
    shuffle: true,
    generator: new Generator(seed + 1),
  });

  // Model and loss: a plain MLP and cross-entropy, no regularisation, so it grows over-confident.
  const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
  const optimizer = new Adam(model.parameters(), { lr: quick ? 3e-3 : 1e-3 });

  // Loop
  const trainLoss: number[] = [];
  const testNll: number[] = [];
  const progress = progressBar(epochs * loader.length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (const [images, labels] of loader) {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(images), labels);
      loss.backward();
      optimizer.step();
      total += loss.item();
      progress.tick(loss.item());
    }
    trainLoss.push(total / loader.length);
    testNll.push(noGrad(() => crossEntropy(predict(model, test.images), test.labels).item()));
  }
  progress.stop();

  // Temperature scaling: T minimises the validation NLL of softmax(logits / T).
  const { temperature } = temperatureScale(predict(model, validation.images), validation.labels);
  const testLogits = predict(model, test.images);
  const raw = evaluate('raw', testLogits, test.labels);
  const scaled = evaluate('temperature-scaled', testLogits.div(temperature), test.labels);
  const seconds = (performance.now() - started) / 1000;

  printTable(
    [raw.row, scaled.row].map((row) => ({
      probabilities: row.probabilities,
      accuracy: row.accuracy,
      NLL: row.nll,
      ECE: row.ece,
      MCE: row.mce,
      'mean confidence': row.meanConfidence,
    })),
    {
      title: `test split (${test.labels.size} digits), ${epochs} epochs, T = ${temperature.toFixed(3)} fitted on validation`,
    },
  );
  if (chart) {
    const path = await writeChart(
      'calibration',
      [
        learningCurves(
          { 'train loss': trainLoss, 'test NLL': testNll },
          { title: 'learning curves', y: 'NLL (nats)' },
        ),
        reliabilityDiagram(raw.bins, scaled.bins),
        barChart(
          [raw.row, scaled.row].flatMap((row) => [
            { category: 'ECE', group: row.probabilities, value: row.ece },
            { category: 'NLL', group: row.probabilities, value: row.nll },
          ]),
          { title: 'before and after temperature scaling', y: 'value' },
        ),
      ],
      { title: `MNIST MLP calibration: T = ${temperature.toFixed(2)}`, columns: 3 },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { temperature, before: raw.row, after: scaled.row, seconds };
}

/** Accuracy, NLL, ECE/MCE with the bins, and mean confidence of `logits` on `labels`. */
function evaluate(
  probabilities: CalibrationRow['probabilities'],
  logits: Tensor,
  labels: Tensor,
): { row: CalibrationRow; bins: ReliabilityBin[] } {
  const probs = logits.softmax(-1);
  const { ece, maxCalibrationError, bins } = expectedCalibrationError(probs, labels, { bins: 15 });
  const confidence = bins.reduce((total, bin) => total + bin.count * bin.confidence, 0) / labels.size;
  return {
    row: {
      probabilities,
      accuracy: accuracy(logits, labels),
      nll: noGrad(() => crossEntropy(logits, labels).item()),
      ece,
      mce: maxCalibrationError,
      meanConfidence: confidence,
    },
    bins,
  };
}

/** Accuracy against mean confidence per bin; a calibrated model lies on the diagonal. */
function reliabilityDiagram(before: ReliabilityBin[], after: ReliabilityBin[]) {
  // Points at the bins' mean confidence; empty bins (NaN) are left out by the chart.
  const points = (bins: ReliabilityBin[]) => bins.map((bin) => (bin.count > 0 ? bin.accuracy : Number.NaN));
  const centres = before.map((bin) => (bin.lower + bin.upper) / 2);
  return lineChart(
    { 'perfect calibration': centres, raw: points(before), 'temperature-scaled': points(after) },
    {
      title: 'reliability diagram (test)',
      x: 'confidence (bin centre)',
      y: 'accuracy in bin',
      xValues: centres,
      yDomain: [0, 1],
      points: true,
    },
  );
}

runIfMain(import.meta.url, main);
