/**
 * Ordinal labels: predict an iris flower's petal-length rank (six ordered bins) from its other
 * three measurements, with training labels that are sometimes one rank off (a rater confusing
 * neighbouring bins). Targets are one-hot (no smoothing), uniformly smoothed, or ordinally
 * smoothed (the ε goes to the neighbouring ranks only). Repeated 5-fold cross-validation;
 * reported on the clean held-out ranks: mean absolute rank error, accuracy, NLL and ECE.
 */
import { noGrad, Tensor } from '@xent/autograd';
import { crossEntropy, expectedCalibrationError, ordinalSmoothing, uniformSmoothing } from '@xent/losses';
import { Adam, Linear, ReLU, Sequential } from '@xent/nn';
import { Generator, manualSeed, NDArray } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { loadIris } from './lib/data.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** Held-out numbers of one target scheme, pooled over every fold and repeat. */
export interface OrdinalVariantResult {
  variant: Variant;
  /** Mean |predicted rank − true rank| (argmax prediction). */
  meanAbsoluteError: number;
  accuracy: number;
  /** Mean NLL of the true rank, nats. */
  nll: number;
  /** Expected calibration error, 10 bins. */
  ece: number;
  /** Held-out NLL every {@link CURVE_EVERY} steps, averaged over folds and repeats. */
  curve: number[];
}

/** What {@link main} returns. */
export interface OrdinalResult {
  results: OrdinalVariantResult[];
  seconds: number;
}

type Variant = 'one-hot' | 'uniform' | 'ordinal';
const VARIANTS: Variant[] = ['one-hot', 'uniform', 'ordinal'];
const NUM_RANKS = 6;
const EPSILON = 0.3;
const LABEL_NOISE = 0.3; // chance that a training label is moved one rank up or down
const CURVE_EVERY = 10;

/** Trains the three target schemes on every fold; prints and returns the pooled held-out numbers. */
export async function main(options: ExampleOptions = {}): Promise<OrdinalResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const repeats = quick ? 2 : 10;
  const steps = 200;

  // Data: features = sepal length, sepal width, petal width; label = petal-length rank,
  // six equal-count bins (ties keep their order in the sorted lengths).
  const rows = loadIris().raw;
  const features = rows.map(([sepalLength, sepalWidth, , petalWidth]) => [
    sepalLength,
    sepalWidth,
    petalWidth,
  ]);
  const byLength = rows.map((row, i) => [row[2], i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ranks = new Array<number>(rows.length);
  byLength.forEach(([, i], position) => {
    ranks[i] = Math.floor((position * NUM_RANKS) / rows.length);
  });
  console.log(`iris: ${rows.length} flowers, ${NUM_RANKS} petal-length ranks, ${LABEL_NOISE} label noise`);

  const pooled = new Map(
    VARIANTS.map((variant) => [
      variant,
      {
        probs: [] as number[][],
        labels: [] as number[],
        curve: new Array<number>(steps / CURVE_EVERY).fill(0),
      },
    ]),
  );
  const generator = new Generator(seed);
  const progress = progressBar(repeats * 5 * VARIANTS.length * steps);
  for (let repeat = 0; repeat < repeats; repeat++) {
    const order = shuffled(rows.length, generator);
    for (let fold = 0; fold < 5; fold++) {
      const testIndex = order.filter((_, k) => k % 5 === fold);
      const trainIndex = order.filter((_, k) => k % 5 !== fold);
      // Messy labels: each training rank moves one step (up or down, kept in range) with
      // probability LABEL_NOISE. The held-out ranks stay clean.
      const noisy = trainIndex.map((i) => {
        if (generator.next() >= LABEL_NOISE) return ranks[i];
        const step = generator.next() < 0.5 ? -1 : 1;
        const moved = ranks[i] + step;
        return moved < 0 || moved >= NUM_RANKS ? ranks[i] - step : moved;
      });
      const { train, test } = standardised(features, trainIndex, testIndex);
      for (const variant of VARIANTS) {
        manualSeed(seed + 100 * repeat + fold); // the same initial weights for every variant
        const model = new Sequential(new Linear(3, 32), new ReLU(), new Linear(32, NUM_RANKS));
        const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
        const targets =
          variant === 'one-hot'
            ? new Tensor(NDArray.fromStorage(Int32Array.from(noisy), [noisy.length]))
            : variant === 'uniform'
              ? uniformSmoothing(noisy, NUM_RANKS, EPSILON)
              : ordinalSmoothing(noisy, NUM_RANKS, EPSILON);
        const sink = pooled.get(variant) ?? { probs: [], labels: [], curve: [] };
        const testLabels = testIndex.map((i) => ranks[i]);
        for (let step = 0; step < steps; step++) {
          if (step % CURVE_EVERY === 0) {
            const heldOut = noGrad(() => crossEntropy(model.forward(test), testLabels).item());
            sink.curve[step / CURVE_EVERY] += heldOut / (repeats * 5);
          }
          optimizer.zeroGrad();
          const loss = crossEntropy(model.forward(train), targets);
          loss.backward();
          optimizer.step();
          progress.tick(loss.item());
        }
        const probs = noGrad(() => model.forward(test).softmax(-1)).toArray() as number[][];
        sink.probs.push(...probs);
        sink.labels.push(...testLabels);
      }
    }
  }
  progress.stop();

  const results = VARIANTS.map((variant): OrdinalVariantResult => {
    const { probs, labels, curve } = pooled.get(variant) ?? { probs: [], labels: [], curve: [] };
    let absoluteError = 0;
    let correct = 0;
    let nll = 0;
    probs.forEach((p, n) => {
      const predicted = p.indexOf(Math.max(...p));
      absoluteError += Math.abs(predicted - labels[n]);
      if (predicted === labels[n]) correct++;
      nll -= Math.log(Math.max(p[labels[n]], 1e-12));
    });
    return {
      variant,
      meanAbsoluteError: absoluteError / probs.length,
      accuracy: correct / probs.length,
      nll: nll / probs.length,
      ece: expectedCalibrationError(probs, labels, { bins: 10 }).ece,
      curve,
    };
  });
  const seconds = (performance.now() - started) / 1000;
  printTable(
    results.map((r) => ({
      targets: r.variant,
      'mean abs rank error': r.meanAbsoluteError,
      accuracy: r.accuracy,
      NLL: r.nll,
      ECE: r.ece,
    })),
    {
      title: `held-out ranks, ${repeats}× 5-fold CV, ε = ${EPSILON}, training-label noise ${LABEL_NOISE}`,
      digits: 3,
    },
  );
  if (chart) {
    const path = await writeChart(
      'ordinal',
      [
        lineChart(Object.fromEntries(results.map((r) => [r.variant, r.curve])), {
          title: 'held-out NLL (clean ranks)',
          x: 'step',
          y: 'NLL (nats)',
          xValues: results[0].curve.map((_, i) => i * CURVE_EVERY),
        }),
        barChart(
          results.flatMap((r) => [
            { category: 'mean abs rank error', group: r.variant, value: r.meanAbsoluteError },
            { category: 'NLL', group: r.variant, value: r.nll },
            { category: 'ECE', group: r.variant, value: r.ece },
          ]),
          { title: 'held-out errors (lower is better)', y: 'value' },
        ),
      ],
      { title: 'iris petal-length ranks: one-hot vs uniform vs ordinal smoothing' },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { results, seconds };
}

/** 0 … n − 1 in a random order (Fisher–Yates). */
function shuffled(n: number, generator: Generator): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = generator.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Train and test feature tensors, standardised with the training rows' mean and spread. */
function standardised(
  features: number[][],
  trainIndex: number[],
  testIndex: number[],
): { train: Tensor; test: Tensor } {
  const columns = features[0].length;
  const mean = new Array<number>(columns).fill(0);
  const spread = new Array<number>(columns).fill(0);
  for (const i of trainIndex) for (let c = 0; c < columns; c++) mean[c] += features[i][c] / trainIndex.length;
  for (const i of trainIndex)
    for (let c = 0; c < columns; c++) spread[c] += (features[i][c] - mean[c]) ** 2 / trainIndex.length;
  const build = (index: number[]) =>
    new Tensor(
      NDArray.fromStorage(
        Float32Array.from(
          index.flatMap((i) => features[i].map((value, c) => (value - mean[c]) / Math.sqrt(spread[c]))),
        ),
        [index.length, columns],
      ),
    );
  return { train: build(trainIndex), test: build(testIndex) };
}

runIfMain(import.meta.url, main);
