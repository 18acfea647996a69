/**
 * Contrastive learning on MNIST without labels: an encoder sees two augmented views of each
 * digit (random shifts and pixel noise) and learns, with NT-Xent (SimCLR) or InfoNCE, to
 * pick a view's partner out of the batch — a cross-entropy over similarities. A linear
 * probe on the frozen embeddings then measures what was learned, against the same encoder
 * left at its random initial weights.
 */
import { noGrad, type Tensor } from '@xent/autograd';
import { accuracy, crossEntropy, infoNCE, ntXent } from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { randomShift } from './lib/augment.js';
import { barChart, learningCurves, writeChart } from './lib/chart.js';
import { type DigitSet, loadDigits } from './lib/data.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** Linear-probe accuracy of one encoder's embedding. */
export interface ProbeResult {
  encoder: 'random (untrained)' | 'NT-Xent' | 'InfoNCE';
  probeTrainAccuracy: number;
  probeTestAccuracy: number;
}

/** What {@link main} returns. */
export interface ContrastiveResult {
  results: ProbeResult[];
  /** Mean contrastive loss per epoch, per loss. */
  curves: Record<string, number[]>;
  seconds: number;
}

const EMBEDDING = 64;
const NOISE = 0.2; // standard deviation of the Gaussian pixel noise of a view

function makeEncoder(): Sequential {
  return new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, EMBEDDING));
}

/** A view of a batch: each image shifted by up to 2 pixels, plus Gaussian noise, clamped to [0, 1]. */
function augment(images: Tensor, generator: Generator): Tensor {
  const shifted = randomShift(images, 2, generator);
  const values = shifted.data.data;
  for (let i = 0; i < values.length; i++)
    values[i] = Math.min(1, Math.max(0, values[i] + NOISE * generator.normal()));
  return shifted;
}

/** Trains `encoder` with `loss` on pairs of views of the (unlabelled) images; returns the loss per epoch. */
function pretrain(
  label: string,
  encoder: Sequential,
  loss: (z1: Tensor, z2: Tensor) => Tensor,
  images: Tensor,
  epochs: number,
  seed: number,
): number[] {
  const loader = new DataLoader(new TensorDataset(images), {
    batchSize: 128,
    shuffle: true,
    dropLast: true,
    generator: new Generator(seed + 1),
  });
  const views = new Generator(seed + 2);
  const optimizer = new Adam(encoder.parameters(), { lr: 1e-3 });
  const curve: number[] = [];
  const progress = progressBar(epochs * loader.length, label);
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (const [batch] of loader) {
      optimizer.zeroGrad();
      const value = loss(encoder.forward(augment(batch, views)), encoder.forward(augment(batch, views)));
      value.backward();
      optimizer.step();
      total += value.item();
      progress.tick(value.item());
    }
    curve.push(total / loader.length);
  }
  progress.stop();
  return curve;
}

/** Logistic regression (one Linear layer, cross-entropy) on frozen embeddings. */
function linearProbe(encoder: Sequential, train: DigitSet, test: DigitSet, steps: number): [number, number] {
  const embed = (images: Tensor) => noGrad(() => encoder.forward(images));
  const trainFeatures = embed(train.images);
  const testFeatures = embed(test.images);
  // Standardise each embedding dimension with the training statistics, so one step size fits all encoders.
  const mean = trainFeatures.mean(0, true);
  const spread = trainFeatures.sub(mean).pow(2).mean(0, true).sqrt().add(1e-6);
  const standardise = (features: Tensor) => features.sub(mean).div(spread).detach();
  const probe = new Linear(EMBEDDING, 10);
  const optimizer = new Adam(probe.parameters(), { lr: 1e-2 });
  const inputs = standardise(trainFeatures);
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    crossEntropy(probe.forward(inputs), train.labels).backward();
    optimizer.step();
  }
  return noGrad(() => [
    accuracy(probe.forward(inputs), train.labels),
    accuracy(probe.forward(standardise(testFeatures)), test.labels),
  ]);
}

/** Pretrains with NT-Xent and InfoNCE, probes them and a random encoder; prints and returns the accuracies. */
export async function main(options: ExampleOptions = {}): Promise<ContrastiveResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const epochs = quick ? 2 : 8;

  // Data: the images alone for pretraining; the labels only for the linear probe.
  const { train, test } = loadDigits(quick ? { trainPerDigit: 300, testPerDigit: 200 } : {});
  console.log(
    `mnist: ${train.labels.size} unlabelled for pretraining (and labelled for the probe), ${test.labels.size} test`,
  );

  // Encoders: the same initial weights for all three.
  const losses = {
    'NT-Xent': (z1: Tensor, z2: Tensor) => ntXent(z1, z2, { temperature: 0.5 }),
    InfoNCE: (z1: Tensor, z2: Tensor) => infoNCE(z1, z2, { temperature: 0.1, symmetric: true }),
  };
  const curves: Record<string, number[]> = {};
  const results: ProbeResult[] = [];
  manualSeed(seed);
  const [probeTrain, probeTest] = linearProbe(makeEncoder(), train, test, 300);
  results.push({
    encoder: 'random (untrained)',
    probeTrainAccuracy: probeTrain,
    probeTestAccuracy: probeTest,
  });
  for (const [name, loss] of Object.entries(losses) as [ProbeResult['encoder'], typeof losses.InfoNCE][]) {
    manualSeed(seed);
    const encoder = makeEncoder();
    curves[name] = pretrain(name, encoder, loss, train.images, epochs, seed);
    const [trainAccuracy, testAccuracy] = linearProbe(encoder, train, test, 300);
    results.push({ encoder: name, probeTrainAccuracy: trainAccuracy, probeTestAccuracy: testAccuracy });
  }
  const seconds = (performance.now() - started) / 1000;

  printTable(
    results.map((r) => ({
      encoder: r.encoder,
      'probe train accuracy': r.probeTrainAccuracy,
      'probe test accuracy': r.probeTestAccuracy,
    })),
    { title: `linear probe on ${EMBEDDING}-d embeddings, ${epochs} pretraining epochs`, digits: 4 },
  );
  if (chart) {
    const path = await writeChart(
      'contrastive',
      [
        learningCurves(curves, { title: 'contrastive loss', y: 'loss' }),
        barChart(
          results.map((r) => ({ category: r.encoder, value: r.probeTestAccuracy })),
          { title: 'linear-probe test accuracy', y: 'accuracy', yDomain: [0.5, 1] },
        ),
      ],
      { title: 'MNIST contrastive pretraining: NT-Xent and InfoNCE vs a random encoder' },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { results, curves, seconds };
}

runIfMain(import.meta.url, main);
