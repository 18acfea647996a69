/**
 * A two-layer perceptron on handwritten digits: 8 000 training images, 2 000 test images,
 * cross-entropy and Adam with a cosine learning-rate decay, and one-pixel random shifts as
 * augmentation. Run `pnpm demo` (or `pnpm tsx examples/mnist.ts [--quick]`); the last line
 * printed is `test accuracy: 0.xxxx`.
 */
import { noGrad } from '@xent/autograd';
import { accuracy, crossEntropy } from '@xent/losses';
import { Adam, CosineAnnealingLR, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { randomShift } from './lib/augment.js';
import { loadDigits } from './lib/digits.js';
import { progressBar } from './lib/progress.js';

const quick = process.argv.includes('--quick');
const epochs = quick ? 2 : 15;
const started = performance.now();
manualSeed(0); // the initial weights

// Data
const { train, test } = loadDigits();
console.log(`mnist digits: ${train.labels.size} train, ${test.labels.size} test`);
const loader = new DataLoader(new TensorDataset(train.images, train.labels), {
  batchSize: 64,
  shuffle: true,
  generator: new Generator(1),
});
const augmentation = new Generator(2);

// Model, optimizer, schedule
const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
console.log(model.toString());
const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
const schedule = new CosineAnnealingLR(optimizer, { tMax: epochs * loader.length });

// Loop
const progress = progressBar(epochs * loader.length);
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const [images, labels] of loader) {
    optimizer.zeroGrad();
    const logits = model.forward(randomShift(images, 1, augmentation));
    const loss = crossEntropy(logits, labels);
    loss.backward();
    optimizer.step();
    schedule.step();
    progress.tick(loss.item());
  }
}
progress.stop();

// Result
model.eval();
const trainAccuracy = noGrad(() => accuracy(model.forward(train.images), train.labels));
const testAccuracy = noGrad(() => accuracy(model.forward(test.images), test.labels));
console.log(`epochs: ${epochs}, time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`train accuracy: ${trainAccuracy.toFixed(4)}`);
console.log(`test accuracy: ${testAccuracy.toFixed(4)}`);
