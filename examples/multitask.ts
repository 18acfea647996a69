/**
 * Multi-task learning on MNIST: one shared body, a 10-way digit head trained with
 * cross-entropy and four binary attribute heads (even, ≥ 5, has a loop, prime) trained with
 * binary cross-entropy on sloppy attribute labels. Three ways to combine the two losses —
 * a fixed equal sum, learned UncertaintyWeighting, and PCGrad's gradient surgery — with the
 * cosine between the two tasks' gradients on the shared body logged during training.
 */
import { type Tensor, tensor } from '@xent/autograd';
import {
  accuracy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  gradientCosine,
  pcgrad,
  taskGradients,
  UncertaintyWeighting,
} from '@xent/losses';
import { Adam, DataLoader, Linear, Module, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed, NDArray } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** How the digit and attribute losses are combined. */
export type Strategy = 'equal weights' | 'uncertainty' | 'pcgrad';

/** Test numbers of one strategy. */
export interface StrategyResult {
  strategy: Strategy;
  digitAccuracy: number;
  /** Mean over the four attributes of the fraction predicted right (clean test attributes). */
  attributeAccuracy: number;
  /** Final task weights (digit, attributes): 1, 1 for equal weights and PCGrad, exp(−s) learned for uncertainty. */
  weights: [number, number];
  /** Cosine between the digit and attribute gradients on the shared body, every {@link LOG_EVERY} steps. */
  cosines: number[];
  /** Fraction of the logged steps where the two gradients conflict (cosine < 0). */
  conflictRate: number;
  /** PCGrad only: fraction of all steps where it projected the gradients (0 for the others). */
  projectedRate: number;
}

/** What {@link main} returns. */
export interface MultitaskResult {
  results: StrategyResult[];
  seconds: number;
}

const STRATEGIES: Strategy[] = ['equal weights', 'uncertainty', 'pcgrad'];
const ATTRIBUTES = ['even', '≥ 5', 'loop', 'prime'];
const LOOP_DIGITS = [0, 6, 8, 9]; // digits usually written with a closed loop
const PRIMES = [2, 3, 5, 7];
const ATTRIBUTE_NOISE = 0.2; // each training attribute label is flipped with this probability
const LOG_EVERY = 10;

/** The four 0/1 attributes of a digit. */
function attributesOf(digit: number): number[] {
  return [digit % 2 === 0, digit >= 5, LOOP_DIGITS.includes(digit), PRIMES.includes(digit)].map(Number);
}

/** `[N, 4]` attribute targets of `labels`, each flipped with probability `noise`. */
function attributeTargets(labels: Tensor, noise: number, generator: Generator): Tensor {
  const digits = labels.data.values();
  const values = new Float32Array(digits.length * ATTRIBUTES.length);
  for (let n = 0; n < digits.length; n++) {
    attributesOf(digits[n]).forEach((value, k) => {
      values[n * ATTRIBUTES.length + k] = noise > 0 && generator.next() < noise ? 1 - value : value;
    });
  }
  return tensor(NDArray.fromStorage(values, [digits.length, ATTRIBUTES.length]));
}

/** Shared body and two heads; `forward` returns the body's features. */
class MultiHeadNet extends Module {
  readonly body = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 64), new ReLU());
  readonly digitHead = new Linear(64, 10);
  readonly attributeHead = new Linear(64, ATTRIBUTES.length);

  forward(images: Tensor): Tensor {
    return this.body.forward(images);
  }

  /** [digit logits, attribute logits]. */
  heads(images: Tensor): [Tensor, Tensor] {
    const features = this.forward(images);
    return [this.digitHead.forward(features), this.attributeHead.forward(features)];
  }
}

/** Trains one strategy from the same initial weights and batches; returns its test numbers. */
function train(
  strategy: Strategy,
  data: { images: Tensor; labels: Tensor; attributes: Tensor },
  test: { images: Tensor; labels: Tensor; attributes: Tensor },
  epochs: number,
  seed: number,
): StrategyResult {
  manualSeed(seed);
  const model = new MultiHeadNet();
  const weighting = new UncertaintyWeighting(2);
  const parameters = model.parameters();
  // The two log-variances learn with a larger step, so they settle within a short run.
  const optimizer = new Adam(
    [{ params: parameters }, { params: strategy === 'uncertainty' ? weighting.parameters() : [], lr: 2e-2 }],
    { lr: 1e-3 },
  );
  const loader = new DataLoader(new TensorDataset(data.images, data.labels, data.attributes), {
    batchSize: 64,
    shuffle: true,
    generator: new Generator(seed + 1),
  });
  const shared = model.body.parameters();
  const surgery = new Generator(seed + 2);
  const cosines: number[] = [];
  const progress = progressBar(epochs * loader.length, strategy);
  let step = 0;
  let projected = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [images, labels, attributes] of loader) {
      optimizer.zeroGrad();
      const [digitLogits, attributeLogits] = model.heads(images);
      const digitLoss = crossEntropy(digitLogits, labels);
      const attributeLoss = binaryCrossEntropyWithLogits(attributeLogits, attributes);
      if (step++ % LOG_EVERY === 0) {
        const [digitGrad, attributeGrad] = taskGradients([digitLoss, attributeLoss], shared);
        cosines.push(gradientCosine(digitGrad, attributeGrad));
      }
      if (strategy === 'pcgrad') {
        // With two tasks a conflicting step projects both gradients: 2 conflicts.
        projected += pcgrad([digitLoss, attributeLoss], parameters, { generator: surgery }).conflicts / 2;
      } else if (strategy === 'uncertainty') weighting.combine([digitLoss, attributeLoss]).backward();
      else digitLoss.add(attributeLoss).backward();
      optimizer.step();
      progress.tick(digitLoss.item() + attributeLoss.item());
    }
  }
  progress.stop();

  const [digitLogits, attributeLogits] = ((): [Tensor, Tensor] => {
    model.eval();
    const features = predict(model, test.images);
    return [predict(model.digitHead, features), predict(model.attributeHead, features)];
  })();
  const predictedAttributes = attributeLogits.data.values();
  const trueAttributes = test.attributes.data.values();
  let attributeHits = 0;
  for (let i = 0; i < trueAttributes.length; i++) {
    if ((predictedAttributes[i] > 0 ? 1 : 0) === trueAttributes[i]) attributeHits++;
  }
  const [digitWeight, attributeWeight] = strategy === 'uncertainty' ? weighting.weights() : [1, 1];
  return {
    strategy,
    digitAccuracy: accuracy(digitLogits, test.labels),
    attributeAccuracy: attributeHits / trueAttributes.length,
    weights: [digitWeight, attributeWeight],
    cosines,
    conflictRate: cosines.filter((cosine) => cosine < 0).length / cosines.length,
    projectedRate: projected / step,
  };
}

/** Trains the three strategies; prints and returns their test numbers. */
export async function main(options: ExampleOptions = {}): Promise<MultitaskResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const epochs = quick ? 2 : 6;

  // Data: digits with their attributes; the training attributes are sloppy (20% flipped,
  // seeded), the test attributes exact.
  const { train: trainSet, test: testSet } = loadDigits(
    quick ? { trainPerDigit: 400, testPerDigit: 200 } : {},
  );
  const noise = new Generator(seed + 3);
  const data = { ...trainSet, attributes: attributeTargets(trainSet.labels, ATTRIBUTE_NOISE, noise) };
  const test = { ...testSet, attributes: attributeTargets(testSet.labels, 0, noise) };
  console.log(
    `mnist: ${trainSet.labels.size} train, ${testSet.labels.size} test; attributes ${ATTRIBUTES.join(', ')} (${ATTRIBUTE_NOISE} of training attribute labels flipped)`,
  );

  const results = STRATEGIES.map((strategy) => train(strategy, data, test, epochs, seed));
  const seconds = (performance.now() - started) / 1000;

  printTable(
    results.map((r) => ({
      strategy: r.strategy,
      'digit accuracy': r.digitAccuracy,
      'attribute accuracy': r.attributeAccuracy,
      'weight digit': r.weights[0],
      'weight attributes': r.weights[1],
      'mean cos(g_digit, g_attr)': r.cosines.reduce((a, b) => a + b, 0) / r.cosines.length,
      'conflicting steps': r.conflictRate,
      'steps projected': r.projectedRate,
    })),
    { title: `test split (${testSet.labels.size} digits), ${epochs} epoch(s)`, digits: 3 },
  );
  if (chart) {
    const path = await writeChart(
      'multitask',
      [
        lineChart(Object.fromEntries(results.map((r) => [r.strategy, r.cosines])), {
          title: 'gradient cosine between tasks (shared body)',
          x: 'step',
          y: 'cos(g_digit, g_attributes)',
          xValues: results[0].cosines.map((_, i) => i * LOG_EVERY),
        }),
        barChart(
          results.flatMap((r) => [
            { category: 'digit accuracy', group: r.strategy, value: r.digitAccuracy },
            { category: 'attribute accuracy', group: r.strategy, value: r.attributeAccuracy },
          ]),
          { title: 'test accuracy', y: 'accuracy', yDomain: [0.8, 1] },
        ),
      ],
      { title: 'MNIST multi-task: equal weights vs uncertainty weighting vs PCGrad' },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { results, seconds };
}

runIfMain(import.meta.url, main);
