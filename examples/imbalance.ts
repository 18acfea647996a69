/**
 * Class imbalance: MNIST subsampled to a 100:1 long tail (digit 0 the most frequent, digit 9
 * the rarest), trained with plain cross-entropy, class-weighted cross-entropy, a
 * WeightedRandomSampler, focal loss, logit-adjusted cross-entropy, and plain cross-entropy
 * corrected afterwards with adjustLogits. Scored on the ordinary (roughly balanced) test
 * digits by balanced accuracy, recall of the three rarest digits, and NLL.
 */
import type { Tensor } from '@xent/autograd';
import { adjustLogits, classWeights, crossEntropy, focalLoss, logitAdjustedCrossEntropy } from '@xent/losses';
import {
  Adam,
  DataLoader,
  Linear,
  ReLU,
  type Sampler,
  Sequential,
  TensorDataset,
  WeightedRandomSampler,
} from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { classCounts, labelArray, loadDigits, longTail, longTailCounts } from './lib/data.js';
import { balancedAccuracy, perClassRecall, predict, predictedClasses } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** The scores of one method on the test digits. */
export interface ImbalanceScores {
  method: string;
  balancedAccuracy: number;
  /** Mean recall of the three rarest digits (7, 8, 9). */
  minorityRecall: number;
  /** Mean negative log-likelihood of the true digit (nats). */
  nll: number;
  /** Recall of each digit 0–9. */
  recall: number[];
}

/** The headline numbers of a run. */
export interface ImbalanceResult {
  /** Training images per digit (0 … 9). */
  trainCounts: number[];
  scores: ImbalanceScores[];
  seconds: number;
}

/** Trains the five models, adjusts the plain one post hoc, and scores all six. */
export async function main(options: ExampleOptions = {}): Promise<ImbalanceResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 10 : 30;
  const started = performance.now();

  // Data: a long tail over the digits, 100:1 from digit 0 to digit 9
  const { train: allTrain, test } = loadDigits();
  const trainCounts = longTailCounts(quick ? 400 : 800, 10, 100);
  const train = longTail(allTrain, trainCounts).set;
  const trainLabels = labelArray(train.labels);
  const priors = trainCounts.map((count) => count / train.labels.size);
  const testLabels = labelArray(test.labels);
  console.log(`long-tailed digits: ${train.labels.size} train (per digit ${trainCounts.join(', ')})`);
  console.log(`test: ${test.labels.size} (per digit ${classCounts(test.labels, 10).join(', ')})`);

  // The methods: a loss, and for the sampler a different data order
  const weights = classWeights(train.labels, 10, { scheme: 'balanced' });
  const sampleWeights = Array.from(trainLabels, (label) => 1 / trainCounts[label]);
  const methods: {
    name: string;
    loss: (logits: Tensor, labels: Tensor) => Tensor;
    sampler?: () => Sampler;
  }[] = [
    { name: 'plain CE', loss: (logits, labels) => crossEntropy(logits, labels) },
    {
      name: 'class-weighted CE',
      loss: (logits, labels) => crossEntropy(logits, labels, { weight: weights }),
    },
    {
      name: 'WeightedRandomSampler',
      loss: (logits, labels) => crossEntropy(logits, labels),
      sampler: () =>
        new WeightedRandomSampler(sampleWeights, train.labels.size, { generator: new Generator(seed + 3) }),
    },
    { name: 'focal loss (γ = 2)', loss: (logits, labels) => focalLoss(logits, labels, { gamma: 2 }) },
    {
      name: 'logit-adjusted CE',
      loss: (logits, labels) => logitAdjustedCrossEntropy(logits, labels, { priors }),
    },
  ];

  const score = (method: string, logits: Tensor): ImbalanceScores => {
    const predicted = predictedClasses(logits);
    const recall = perClassRecall(predicted, testLabels, 10);
    return {
      method,
      balancedAccuracy: balancedAccuracy(predicted, testLabels, 10),
      minorityRecall: (recall[7] + recall[8] + recall[9]) / 3,
      nll: crossEntropy(logits, test.labels).item(),
      recall,
    };
  };

  const scores: ImbalanceScores[] = [];
  const curves: Record<string, number[]> = {};
  for (const method of methods) {
    manualSeed(seed); // the same initial weights for every method
    const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, 10));
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const loader = new DataLoader(new TensorDataset(train.images, train.labels), {
      batchSize: 64,
      ...(method.sampler
        ? { sampler: method.sampler() }
        : { shuffle: true, generator: new Generator(seed + 1) }),
    });
    // Loop
    curves[method.name] = [];
    const progress = progressBar(epochs * loader.length, method.name.padEnd(21));
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [images, labels] of loader) {
        optimizer.zeroGrad();
        const loss = method.loss(model.forward(images), labels);
        loss.backward();
        optimizer.step();
        progress.tick(loss.item());
      }
      curves[method.name].push(
        balancedAccuracy(predictedClasses(predict(model, test.images)), testLabels, 10),
      );
    }
    progress.stop();
    const logits = predict(model, test.images);
    scores.push(score(method.name, logits));
    // Post hoc: the plain model's logits moved from the training priors to uniform ones.
    if (method.name === 'plain CE')
      scores.push(score('plain CE + adjustLogits', adjustLogits(logits, { from: priors })));
  }
  const seconds = (performance.now() - started) / 1000;

  // Result
  if (chart) {
    const digits = trainCounts.map((count, digit) => `${digit} (${count})`);
    const path = await writeChart('imbalance', [
      lineChart(curves, { title: 'test balanced accuracy while training', y: 'balanced accuracy' }),
      barChart(
        scores.flatMap((s) => [
          { category: s.method, group: 'balanced accuracy', value: s.balancedAccuracy },
          { category: s.method, group: 'recall of 7, 8, 9', value: s.minorityRecall },
        ]),
        { title: 'balanced accuracy and minority recall', yDomain: [0, 1] },
      ),
      barChart(
        scores
          .filter((s) =>
            ['plain CE', 'plain CE + adjustLogits', 'logit-adjusted CE', 'class-weighted CE'].includes(
              s.method,
            ),
          )
          .flatMap((s) =>
            s.recall.map((value, digit) => ({ category: digits[digit], group: s.method, value })),
          ),
        {
          title: 'recall per digit (training count)',
          x: 'digit (training images)',
          y: 'recall',
          yDomain: [0, 1],
        },
      ),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable(
    scores.map((s) => ({
      method: s.method,
      'balanced accuracy': s.balancedAccuracy,
      'recall 7-9': s.minorityRecall,
      'recall 9': s.recall[9],
      NLL: s.nll,
    })),
    { title: `test digits (${test.labels.size}), after ${epochs} epochs; time ${seconds.toFixed(1)} s` },
  );
  return { trainCounts, scores, seconds };
}

runIfMain(import.meta.url, main);
