/**
 * An autoencoder for mixed-type tabular data: iris flowers described by four measurements
 * (continuous), three yes/no columns (binary) and three categorical columns, squeezed
 * through a two-number code. The decoder has one head per type, and mixedReconstructionLoss
 * adds MSE, binary cross-entropy and one cross-entropy per categorical column. Held-out
 * reconstruction error per type (5-fold cross-validation) against predicting the training
 * mean / mode.
 */
import { concat, noGrad, type Tensor, tensor } from '@xent/autograd';
import { mixedReconstructionLoss } from '@xent/losses';
import { Adam, Linear, Module, Sequential, Tanh } from '@xent/nn';
import { Generator, manualSeed, NDArray } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { loadIris, takeRows } from './lib/data.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** Held-out reconstruction error of one column type, for the autoencoder and the baseline. */
export interface TypeResult {
  type: 'continuous (MSE)' | 'binary (error rate)' | 'categorical (error rate)';
  autoencoder: number;
  /** Predicting the training mean (continuous) or the most frequent value (binary, categorical). */
  baseline: number;
}

/** What {@link main} returns. */
export interface AutoencoderResult {
  results: TypeResult[];
  /** Error rate of each categorical column (autoencoder, baseline). */
  categoricalColumns: { column: string; autoencoder: number; baseline: number }[];
  seconds: number;
}

const BINARY = ['petal length > 4 cm', 'sepal width ≥ 3 cm', 'sepal length > 2 × sepal width'];
const CATEGORICAL = ['species', 'petal-width size (S/M/L)', 'site'];
const CATEGORIES = 3; // every categorical column has three values
const SITE_AGREEMENT = 0.7; // chance that a flower's site is the one its species grows at
const CODE_SIZE = 2;

/** The table: continuous `[N, 4]`, binary `[N, 3]` and three categorical columns of 0 | 1 | 2. */
interface MixedTable {
  continuous: Tensor;
  binary: Tensor;
  categorical: Int32Array[];
}

/**
 * Iris as a mixed table. Continuous: the four measurements, standardised (over all 150
 * flowers). Binary: {@link BINARY}, thresholds on the measurements in cm. Categorical: the
 * species; petal width in three size classes (< 0.8, 0.8–1.7, > 1.7 cm); and a simulated
 * collection site, seeded: site = species index with probability {@link SITE_AGREEMENT},
 * otherwise one of the other two sites at random.
 */
function mixedTable(generator: Generator): MixedTable {
  const iris = loadIris();
  const species = Int32Array.from(iris.labels.data.values());
  const binary = iris.raw.map(([sepalLength, sepalWidth, petalLength]) =>
    [petalLength > 4, sepalWidth >= 3, sepalLength > 2 * sepalWidth].map(Number),
  );
  const size = Int32Array.from(iris.raw, ([, , , petalWidth]) =>
    petalWidth < 0.8 ? 0 : petalWidth <= 1.7 ? 1 : 2,
  );
  const site = species.map((s) =>
    generator.next() < SITE_AGREEMENT ? s : (s + 1 + generator.integer(0, 2)) % 3,
  );
  return { continuous: iris.features, binary: tensor(binary), categorical: [species, size, site] };
}

/** The model's input: continuous, binary and one-hot categorical columns side by side. */
function encodeInput(table: MixedTable): Tensor {
  const rows = table.binary.shape[0];
  const oneHots = table.categorical.map((column) => {
    const values = new Float32Array(rows * CATEGORIES);
    column.forEach((category, n) => {
      values[n * CATEGORIES + category] = 1;
    });
    return tensor(NDArray.fromStorage(values, [rows, CATEGORIES]));
  });
  return concat([table.continuous, table.binary, ...oneHots], 1);
}

/** Encoder → 2-number code → decoder with a head per type; `forward` returns the code. */
class MixedAutoencoder extends Module {
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  readonly continuousHead = new Linear(16, 4);
  readonly binaryHead = new Linear(16, BINARY.length);
  readonly categoricalHeads = CATEGORICAL.map(() => new Linear(16, CATEGORIES));

  constructor(inputSize: number) {
    super();
    this.encoder = new Sequential(new Linear(inputSize, 16), new Tanh(), new Linear(16, CODE_SIZE));
    this.decoder = new Sequential(new Linear(CODE_SIZE, 16), new Tanh());
  }

  forward(input: Tensor): Tensor {
    return this.encoder.forward(input);
  }

  reconstruct(input: Tensor): { continuous: Tensor; binary: Tensor; categorical: Tensor[] } {
    const hidden = this.decoder.forward(this.forward(input));
    return {
      continuous: this.continuousHead.forward(hidden),
      binary: this.binaryHead.forward(hidden),
      categorical: this.categoricalHeads.map((head) => head.forward(hidden)),
    };
  }
}

function rows(table: MixedTable, index: number[]): MixedTable {
  return {
    continuous: takeRows(table.continuous, index),
    binary: takeRows(table.binary, index),
    categorical: table.categorical.map((column) => Int32Array.from(index, (i) => column[i])),
  };
}

/** Argmax of each row of `[N, C]` scores. */
function argmaxRows(scores: Tensor): Int32Array {
  const [count, width] = scores.shape;
  const values = scores.data.values();
  return Int32Array.from({ length: count }, (_, n) => {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[n * width + c] > values[n * width + best]) best = c;
    return best;
  });
}

/** Trains an autoencoder per fold; prints and returns the pooled held-out errors per type. */
export async function main(options: ExampleOptions = {}): Promise<AutoencoderResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const steps = quick ? 500 : 1500;

  // Data
  const generator = new Generator(seed);
  const table = mixedTable(generator);
  const count = table.binary.shape[0];
  console.log(
    `iris as a mixed table: ${count} rows; 4 continuous, binary: ${BINARY.join(', ')}; categorical: ${CATEGORICAL.join(', ')}`,
  );
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = generator.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }

  // Errors summed over the five held-out folds.
  const sums = { squared: [0, 0], binaryWrong: [0, 0], categoricalWrong: CATEGORICAL.map(() => [0, 0]) };
  const curves: Record<string, number[]> = { continuous: [], binary: [], categorical: [] };
  const progress = progressBar(5 * steps);
  for (let fold = 0; fold < 5; fold++) {
    const train = rows(
      table,
      order.filter((_, k) => k % 5 !== fold),
    );
    const test = rows(
      table,
      order.filter((_, k) => k % 5 === fold),
    );
    const trainInput = encodeInput(train);
    const targets = (part: MixedTable, output: ReturnType<MixedAutoencoder['reconstruct']>) => ({
      continuous: { pred: output.continuous, target: part.continuous },
      binary: { logits: output.binary, target: part.binary },
      categorical: output.categorical.map((logits, j) => ({
        logits,
        target: tensor(NDArray.fromStorage(part.categorical[j], [part.categorical[j].length])),
      })),
    });

    // Model, loss, loop: full batch, Adam.
    manualSeed(seed + fold);
    const model = new MixedAutoencoder(trainInput.shape[1]);
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    for (let step = 0; step < steps; step++) {
      optimizer.zeroGrad();
      const { total, parts } = mixedReconstructionLoss(targets(train, model.reconstruct(trainInput)));
      total.backward();
      optimizer.step();
      progress.tick(total.item());
      if (fold === 0 && step % 10 === 0) {
        curves.continuous.push(parts.continuous?.item() ?? Number.NaN);
        curves.binary.push(parts.binary?.item() ?? Number.NaN);
        curves.categorical.push((parts.categorical ?? []).reduce((total, loss) => total + loss.item(), 0));
      }
    }

    // Held-out reconstruction against the training mean / mode.
    const output = noGrad(() => model.reconstruct(encodeInput(test)));
    const mean = train.continuous.mean(0);
    const predicted = output.continuous.data.values();
    const truth = test.continuous.data.values();
    const meanValues = mean.data.values();
    for (let i = 0; i < truth.length; i++) {
      sums.squared[0] += (predicted[i] - truth[i]) ** 2;
      sums.squared[1] += (meanValues[i % 4] - truth[i]) ** 2;
    }
    const binaryLogits = output.binary.data.values();
    const binaryTruth = test.binary.data.values();
    const binaryMode = train.binary
      .mean(0)
      .data.values()
      .map((rate) => (rate >= 0.5 ? 1 : 0));
    for (let i = 0; i < binaryTruth.length; i++) {
      if ((binaryLogits[i] > 0 ? 1 : 0) !== binaryTruth[i]) sums.binaryWrong[0]++;
      if (binaryMode[i % BINARY.length] !== binaryTruth[i]) sums.binaryWrong[1]++;
    }
    output.categorical.forEach((logits, j) => {
      const counts = [0, 0, 0];
      for (const category of train.categorical[j]) counts[category]++;
      const mode = counts.indexOf(Math.max(...counts));
      const guesses = argmaxRows(logits);
      test.categorical[j].forEach((category, n) => {
        if (guesses[n] !== category) sums.categoricalWrong[j][0]++;
        if (mode !== category) sums.categoricalWrong[j][1]++;
      });
    });
  }
  progress.stop();

  const categoricalColumns = CATEGORICAL.map((column, j) => ({
    column,
    autoencoder: sums.categoricalWrong[j][0] / count,
    baseline: sums.categoricalWrong[j][1] / count,
  }));
  const results: TypeResult[] = [
    {
      type: 'continuous (MSE)',
      autoencoder: sums.squared[0] / (4 * count),
      baseline: sums.squared[1] / (4 * count),
    },
    {
      type: 'binary (error rate)',
      autoencoder: sums.binaryWrong[0] / (BINARY.length * count),
      baseline: sums.binaryWrong[1] / (BINARY.length * count),
    },
    {
      type: 'categorical (error rate)',
      autoencoder: categoricalColumns.reduce((total, c) => total + c.autoencoder, 0) / CATEGORICAL.length,
      baseline: categoricalColumns.reduce((total, c) => total + c.baseline, 0) / CATEGORICAL.length,
    },
  ];
  const seconds = (performance.now() - started) / 1000;

  printTable(
    results.map((r) => ({
      'column type': r.type,
      autoencoder: r.autoencoder,
      'mean / mode baseline': r.baseline,
    })),
    {
      title: `held-out reconstruction, 5-fold CV, ${CODE_SIZE}-number code, ${steps} steps per fold`,
      digits: 3,
    },
  );
  printTable(
    categoricalColumns.map((c) => ({
      'categorical column': c.column,
      'autoencoder error': c.autoencoder,
      'baseline error': c.baseline,
    })),
    { digits: 3 },
  );
  if (chart) {
    const path = await writeChart(
      'autoencoder',
      [
        lineChart(curves, {
          title: 'training loss parts (fold 1)',
          x: 'step',
          y: 'loss',
          xValues: curves.continuous.map((_, i) => i * 10),
          logY: true,
        }),
        barChart(
          results.flatMap((r) => [
            { category: r.type, group: 'autoencoder', value: r.autoencoder },
            { category: r.type, group: 'mean / mode', value: r.baseline },
          ]),
          { title: 'held-out reconstruction error (lower is better)', y: 'error' },
        ),
      ],
      { title: 'iris mixed-type autoencoder: mixedReconstructionLoss' },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { results, categoricalColumns, seconds };
}

runIfMain(import.meta.url, main);
