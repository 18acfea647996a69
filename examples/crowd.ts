/**
 * Crowd labels: five simulated annotators with known confusion matrices label the MNIST
 * training digits; majority vote and Dawid–Skene's EM each turn their votes into labels,
 * and a classifier is trained on the hard majority labels, on the Dawid–Skene posteriors as
 * soft targets (cross-entropy with probability targets), and, for reference, on the truth.
 */
import { type Tensor, tensor } from '@xent/autograd';
import { accuracy, crossEntropy, dawidSkene, majorityVote } from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, heatmap, lineChart, writeChart } from './lib/chart.js';
import { firstPerClass, labelArray, loadDigits } from './lib/data.js';
import { predict, predictedClasses } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** Each digit's look-alike (0↔6, 1↔7, 2↔5, 3↔8, 4↔9): where the biased annotators err. */
const lookAlike = [6, 7, 5, 8, 9, 2, 0, 1, 3, 4];

/**
 * The annotators, as rules giving P(says l | true digit k); row k of the confusion matrix.
 * - careful: right 85 %, otherwise any other digit uniformly;
 * - two hasty ones sharing a bias: right 60 %, the look-alike 35 %, any other 5 % (so when
 *   both err together they outvote the careful one);
 * - a spammer: any digit uniformly, whatever the image;
 * - a lazy one: right 40 %, otherwise "1" (60 %).
 */
const annotators: { name: string; row: (k: number) => number[] }[] = [
  { name: 'careful', row: (k) => spread(k, 0.85, []) },
  { name: 'hasty A', row: (k) => spread(k, 0.6, [[lookAlike[k], 0.35]]) },
  { name: 'hasty B', row: (k) => spread(k, 0.6, [[lookAlike[k], 0.35]]) },
  { name: 'spammer', row: () => new Array<number>(10).fill(0.1) },
  { name: 'lazy', row: (k) => (k === 1 ? spread(1, 1, []) : spread(k, 0.4, [[1, 0.6]])) },
];

/** A confusion row: `right` on k, the listed extra masses, and what is left spread uniformly. */
function spread(k: number, right: number, extra: [number, number][]): number[] {
  const row = new Array<number>(10).fill(0);
  row[k] = right;
  for (const [l, p] of extra) row[l] += p;
  const rest = 1 - row.reduce((a, b) => a + b, 0);
  const others = row.map((_, l): number => (l !== k && extra.every(([e]) => e !== l) ? 1 : 0));
  const count = others.reduce((a, b) => a + b, 0);
  return row.map((p, l) => p + (others[l] ? rest / count : 0));
}

/** Draws every annotator's label of every item from its confusion row (seeded). */
function annotate(truth: Int32Array, confusions: number[][][], generator: Generator): number[][] {
  return Array.from(truth, (k) =>
    confusions.map((matrix) => {
      let u = generator.next();
      for (let l = 0; l < 10; l++) {
        u -= matrix[k][l];
        if (u < 0) return l;
      }
      return 9;
    }),
  );
}

/** The headline numbers of a run. */
export interface CrowdResult {
  /** Fraction of training items whose aggregated label is the true digit. */
  labelAccuracy: { majorityVote: number; dawidSkene: number };
  /** Test accuracy of the classifier trained on each kind of label. */
  testAccuracy: { majorityVote: number; dawidSkene: number; truth: number };
  /** Mean absolute error of the estimated confusion matrices' entries. */
  confusionError: number;
  dawidSkeneIterations: number;
  seconds: number;
}

/** Simulates the crowd, aggregates its labels two ways, trains on each, and compares. */
export async function main(options: ExampleOptions = {}): Promise<CrowdResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 5 : 15;
  const started = performance.now();

  // Data: digits, and five annotators' labels for each training image
  const { train: allTrain, test } = loadDigits();
  const train = quick ? firstPerClass(allTrain, 200) : allTrain;
  const truth = labelArray(train.labels);
  const trueConfusions = annotators.map(({ row }) => Array.from({ length: 10 }, (_, k) => row(k)));
  const votes = annotate(truth, trueConfusions, new Generator(seed + 10));
  console.log(
    `crowd: ${annotators.length} annotators × ${truth.length} training digits; test ${test.labels.size}`,
  );

  // Aggregation: majority vote (ties go to the smaller digit) and Dawid–Skene
  const majority = predictedClasses(majorityVote(votes, 10));
  const ds = dawidSkene(votes, { numClasses: 10 });
  const dsLabels = predictedClasses(ds.posteriors);
  const agreement = (labels: Int32Array) =>
    labels.filter((label, i) => label === truth[i]).length / truth.length;
  const labelAccuracy = { majorityVote: agreement(majority), dawidSkene: agreement(dsLabels) };
  let confusionError = 0;
  for (const [a, matrix] of trueConfusions.entries()) {
    for (const [k, row] of matrix.entries()) {
      for (const [l, p] of row.entries())
        confusionError += Math.abs(p - ds.confusions[a][k][l]) / (annotators.length * 100);
    }
  }
  console.log(`Dawid–Skene: ${ds.iterations} EM iterations, converged: ${ds.converged}`);

  // Three classifiers: hard majority labels, soft Dawid–Skene posteriors, and the truth
  const targets: Record<keyof CrowdResult['testAccuracy'], Tensor> = {
    majorityVote: tensor(majority, { dtype: 'int32' }),
    dawidSkene: ds.posteriors.to('float32'),
    truth: train.labels,
  };
  const curves: Record<string, number[]> = {};
  const testAccuracy = { majorityVote: 0, dawidSkene: 0, truth: 0 };
  for (const kind of ['majorityVote', 'dawidSkene', 'truth'] as const) {
    manualSeed(seed);
    const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, 10));
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const loader = new DataLoader(new TensorDataset(train.images, targets[kind]), {
      batchSize: 64,
      shuffle: true,
      generator: new Generator(seed + 1),
    });
    // Loop: crossEntropy takes integer labels or, for Dawid–Skene, probability rows
    curves[kind] = [];
    const progress = progressBar(epochs * loader.length, kind.padEnd(12));
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [images, labels] of loader) {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.forward(images), labels);
        loss.backward();
        optimizer.step();
        progress.tick(loss.item());
      }
      curves[kind].push(accuracy(predict(model, test.images), test.labels));
    }
    progress.stop();
    testAccuracy[kind] = curves[kind].at(-1)!;
  }
  const seconds = (performance.now() - started) / 1000;

  // Result
  if (chart) {
    const path = await writeChart('crowd', [
      lineChart(
        {
          'hard majority labels': curves.majorityVote,
          'soft Dawid–Skene': curves.dawidSkene,
          truth: curves.truth,
        },
        { title: 'test accuracy while training', y: 'accuracy' },
      ),
      barChart(
        [
          ...annotators.map(({ name }, a) => ({
            category: name,
            value: votes.filter((row, i) => row[a] === truth[i]).length / truth.length,
          })),
          { category: 'majority vote', value: labelAccuracy.majorityVote },
          { category: 'Dawid–Skene', value: labelAccuracy.dawidSkene },
        ],
        { title: 'training-label accuracy', y: 'fraction right', yDomain: [0, 1] },
      ),
      heatmap(trueConfusions[1], { title: 'hasty A: true confusion', x: 'says', y: 'true digit' }),
      heatmap(ds.confusions[1], { title: 'hasty A: Dawid–Skene estimate', x: 'says', y: 'true digit' }),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable(
    [
      {
        labels: 'majority vote (hard)',
        'label accuracy': labelAccuracy.majorityVote,
        'test accuracy': testAccuracy.majorityVote,
      },
      {
        labels: 'Dawid–Skene (soft)',
        'label accuracy': labelAccuracy.dawidSkene,
        'test accuracy': testAccuracy.dawidSkene,
      },
      { labels: 'truth', 'label accuracy': 1, 'test accuracy': testAccuracy.truth },
    ],
    { title: `${truth.length} crowd-labelled digits, ${epochs} epochs; time ${seconds.toFixed(1)} s` },
  );
  console.log(`mean |error| of the estimated confusion entries: ${confusionError.toFixed(4)}`);
  return { labelAccuracy, testAccuracy, confusionError, dawidSkeneIterations: ds.iterations, seconds };
}

runIfMain(import.meta.url, main);
