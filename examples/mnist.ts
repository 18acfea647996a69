/**
 * A two-layer perceptron on handwritten digits: 8 000 training images, 2 000 test images,
 * cross-entropy and Adam with a cosine learning-rate decay, and one-pixel random shifts as
 * augmentation. Run `pnpm demo` or `pnpm example mnist [--quick]`; the last line printed is
 * `test accuracy: 0.xxxx`, and `examples/out/mnist.svg` shows the learning curves.
 */
import { accuracy, crossEntropy } from '@xent/losses';
import { Adam, CosineAnnealingLR, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { randomShift } from './lib/augment.js';
import { learningCurves, writeChart } from './lib/chart.js';
import { loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** The headline numbers of a run. */
export interface MnistResult {
  epochs: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

/** Trains the MLP and returns its accuracies (see the file comment). */
export async function main(options: ExampleOptions = {}): Promise<MnistResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 2 : 15;
  const started = performance.now();
  manualSeed(seed); // the initial weights

  // Data
  const { train, test } = loadDigits();
  console.log(`mnist digits: ${train.labels.size} train, ${test.labels.size} test`);
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), {
    batchSize: 64,
    shuffle: true,
    generator: new Generator(seed + 1),
  });
  const augmentation = new Generator(seed + 2);

  // Model, optimizer, schedule
  const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
  console.log(model.toString());
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const schedule = new CosineAnnealingLR(optimizer, { tMax: epochs * loader.length });

  // Loop
  const epochLoss: number[] = [];
  const epochTestAccuracy: number[] = [];
  const progress = progressBar(epochs * loader.length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    let lossSum = 0;
    for (const [images, labels] of loader) {
      optimizer.zeroGrad();
      const logits = model.forward(randomShift(images, 1, augmentation));
      const loss = crossEntropy(logits, labels);
      loss.backward();
      optimizer.step();
      schedule.step();
      lossSum += loss.item();
      progress.tick(loss.item());
    }
    epochLoss.push(lossSum / loader.length);
    epochTestAccuracy.push(accuracy(predict(model, test.images), test.labels));
  }
  progress.stop();

  // Result
  const trainAccuracy = accuracy(predict(model, train.images), train.labels);
  const testAccuracy = epochTestAccuracy.at(-1)!;
  const seconds = (performance.now() - started) / 1000;
  if (chart) {
    const path = await writeChart('mnist', [
      learningCurves({ 'train loss': epochLoss }, { title: 'training loss', y: 'cross-entropy' }),
      learningCurves({ 'test accuracy': epochTestAccuracy }, { title: 'test accuracy', y: 'accuracy' }),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable([{ epochs, 'train accuracy': trainAccuracy, 'test accuracy': testAccuracy, seconds }]);
  console.log(`test accuracy: ${testAccuracy.toFixed(4)}`);
  return { epochs, trainAccuracy, testAccuracy, seconds };
}

runIfMain(import.meta.url, main);
