/**
 * Missing labels: two labels per MNIST image, A = "has a closed loop" (found in the pixels by
 * a flood fill) and B = "digit ≥ 5"; A's positive labels are hidden far more often when B is
 * present (80 % against 10 % for every other entry). Masked BCE (unknowns ignored) and BCE
 * with unknowns treated as negatives both learn that A is rarer when B is present than it
 * is: a spurious negative association with B, strongest for unknowns-as-negatives, that a
 * model trained on the full labels does not have.
 */
import { sigmoid, type Tensor, tensor } from '@xent/autograd';
import { binaryCrossEntropyWithLogits, maskedBinaryCrossEntropyWithLogits } from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { type DigitSet, firstPerClass, labelArray, loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/**
 * Label A, from the pixels: the image (ink = grey level > 0.5) encloses a background region
 * of at least 5 pixels that a 4-connected flood fill from the border does not reach. Most
 * 0s, 6s, 8s and 9s have one, and some 2s (a looped tail).
 */
function hasClosedLoop(pixels: ArrayLike<number>, offset: number): boolean {
  const side = 28;
  const ink = new Uint8Array(side * side);
  for (let i = 0; i < ink.length; i++) ink[i] = pixels[offset + i] > 0.5 ? 1 : 0;
  const outside = new Uint8Array(side * side);
  const stack: number[] = [];
  const visit = (y: number, x: number) => {
    const p = y * side + x;
    if (y >= 0 && y < side && x >= 0 && x < side && !ink[p] && !outside[p]) {
      outside[p] = 1;
      stack.push(p);
    }
  };
  for (let i = 0; i < side; i++) [visit(0, i), visit(side - 1, i), visit(i, 0), visit(i, side - 1)];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const [y, x] = [Math.floor(p / side), p % side];
    [visit(y + 1, x), visit(y - 1, x), visit(y, x + 1), visit(y, x - 1)];
  }
  let enclosed = 0;
  for (let i = 0; i < ink.length; i++) if (!ink[i] && !outside[i]) enclosed++;
  return enclosed >= 5;
}

/** The true labels `[N, 2]` (A = closed loop, B = digit ≥ 5) of a set. */
function trueLabels(set: DigitSet): number[][] {
  const pixels = set.images.data.values();
  return Array.from(labelArray(set.labels), (digit, n) => [
    hasClosedLoop(pixels, n * 784) ? 1 : 0,
    digit >= 5 ? 1 : 0,
  ]);
}

/**
 * The annotation mask (1 = label known): A hidden with probability 0.8 when A = 1 and B = 1
 * (annotators skip the loop of a big digit), every other entry with probability 0.1.
 */
function annotationMask(labels: number[][], generator: Generator): number[][] {
  return labels.map(([a, b]) => [
    generator.next() < (a === 1 && b === 1 ? 0.8 : 0.1) ? 0 : 1,
    generator.next() < 0.1 ? 0 : 1,
  ]);
}

/** What one model learned about A, on the test images. */
export interface MissingLabelScores {
  method: string;
  /** Mean predicted P(A) on test images with B = 1 and with B = 0. */
  meanPA: { bPresent: number; bAbsent: number };
  /** P(A) on B-present minus on B-absent images: the association of A with B. */
  association: number;
  /** Recall of A (P(A) > 0.5) among test images with A = 1 and B = 1. */
  recallABoth: number;
}

/** The headline numbers of a run. */
export interface MissingLabelsResult {
  /** The true rates of A on the test images with B = 1 and B = 0, and their difference. */
  truth: { bPresent: number; bAbsent: number; association: number };
  scores: MissingLabelScores[];
  /** Fraction of training A labels hidden, overall and among A = 1, B = 1. */
  hidden: { overall: number; aPositiveBPresent: number };
  seconds: number;
}

/** Trains on full, masked and unknown-as-negative labels and compares what each learned. */
export async function main(options: ExampleOptions = {}): Promise<MissingLabelsResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 5 : 15;
  const started = performance.now();

  // Data: images, true labels, and which labels an annotator actually gave
  const { train: allTrain, test } = loadDigits();
  const train = quick ? firstPerClass(allTrain, 250) : allTrain;
  const labels = trueLabels(train);
  const mask = annotationMask(labels, new Generator(seed + 10));
  const both = labels.map(([a, b], n) => [a, b, n]).filter(([a, b]) => a === 1 && b === 1);
  const hidden = {
    overall: mask.filter(([known]) => known === 0).length / mask.length,
    aPositiveBPresent: both.filter(([, , n]) => mask[n][0] === 0).length / both.length,
  };
  const targets = tensor(labels);
  const knownMask = tensor(mask);
  const asNegatives = tensor(labels.map((row, n) => row.map((y, k) => y * mask[n][k])));
  console.log(
    `${train.labels.size} training images; A hidden for ${(100 * hidden.aPositiveBPresent).toFixed(0)} % of A∧B`,
  );

  // Three ways to train the same two-sigmoid model
  const methods: {
    name: string;
    loss: (logits: Tensor, labels: Tensor, known: Tensor, negated: Tensor) => Tensor;
  }[] = [
    { name: 'full labels (reference)', loss: (logits, y) => binaryCrossEntropyWithLogits(logits, y) },
    { name: 'masked BCE', loss: (logits, y, known) => maskedBinaryCrossEntropyWithLogits(logits, y, known) },
    {
      name: 'unknown = negative',
      loss: (logits, _y, _known, negated) => binaryCrossEntropyWithLogits(logits, negated),
    },
  ];
  const testLabels = trueLabels(test);
  const bPresent = testLabels.map(([, b]) => b === 1);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const meanWhere = (values: number[], keep: (n: number) => boolean) =>
    mean(values.filter((_, n) => keep(n)));
  const truthA = testLabels.map(([a]) => a);
  const truth = {
    bPresent: meanWhere(truthA, (n) => bPresent[n]),
    bAbsent: meanWhere(truthA, (n) => !bPresent[n]),
    association: 0,
  };
  truth.association = truth.bPresent - truth.bAbsent;

  const scores: MissingLabelScores[] = [];
  const curves: Record<string, number[]> = {};
  for (const method of methods) {
    manualSeed(seed);
    const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, 2));
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const loader = new DataLoader(new TensorDataset(train.images, targets, knownMask, asNegatives), {
      batchSize: 64,
      shuffle: true,
      generator: new Generator(seed + 1),
    });
    // Loop
    curves[method.name] = [];
    let probA: number[] = [];
    const progress = progressBar(epochs * loader.length, method.name.padEnd(23));
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [images, y, known, negated] of loader) {
        optimizer.zeroGrad();
        const loss = method.loss(model.forward(images), y, known, negated);
        loss.backward();
        optimizer.step();
        progress.tick(loss.item());
      }
      probA = (sigmoid(predict(model, test.images)).toArray() as number[][]).map(([pA]) => pA);
      curves[method.name].push(meanWhere(probA, (n) => bPresent[n]) - meanWhere(probA, (n) => !bPresent[n]));
    }
    progress.stop();
    const meanPA = {
      bPresent: meanWhere(probA, (n) => bPresent[n]),
      bAbsent: meanWhere(probA, (n) => !bPresent[n]),
    };
    scores.push({
      method: method.name,
      meanPA,
      association: meanPA.bPresent - meanPA.bAbsent,
      recallABoth: meanWhere(
        probA.map((p) => (p > 0.5 ? 1 : 0)),
        (n) => bPresent[n] && truthA[n] === 1,
      ),
    });
  }
  const seconds = (performance.now() - started) / 1000;

  // Result
  if (chart) {
    curves.truth = new Array<number>(epochs).fill(truth.association);
    const path = await writeChart('missing-labels', [
      lineChart(curves, {
        title: 'learned association of A with B while training',
        y: 'mean P(A) given B − given not B',
      }),
      barChart(
        [
          { category: 'truth', group: 'B present', value: truth.bPresent },
          { category: 'truth', group: 'B absent', value: truth.bAbsent },
          ...scores.flatMap((s) => [
            { category: s.method, group: 'B present', value: s.meanPA.bPresent },
            { category: s.method, group: 'B absent', value: s.meanPA.bAbsent },
          ]),
        ],
        { title: 'rate of A (closed loop) on test images', y: 'mean P(A)', yDomain: [0, 1] },
      ),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable(
    [
      {
        method: 'truth',
        'P(A) given B': truth.bPresent,
        'P(A) given not B': truth.bAbsent,
        association: truth.association,
        'recall of A on A and B': 1,
      },
      ...scores.map((s) => ({
        method: s.method,
        'P(A) given B': s.meanPA.bPresent,
        'P(A) given not B': s.meanPA.bAbsent,
        association: s.association,
        'recall of A on A and B': s.recallABoth,
      })),
    ],
    { title: `test images (${test.labels.size}), ${epochs} epochs; time ${seconds.toFixed(1)} s` },
  );
  return { truth, scores, hidden, seconds };
}

runIfMain(import.meta.url, main);
