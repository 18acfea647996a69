/**
 * The training recipe both variants follow, free of DOM and worker code: the model, the loss
 * picked in the page, the loop, and the evaluation drawn in the charts.
 */
import { noGrad, sigmoid, softmax, Tensor } from '@xent/autograd';
import {
  accuracy,
  binaryCrossEntropyWithLogits,
  classWeights,
  crossEntropy,
  expectedCalibrationError,
  focalLoss,
  logitAdjustedCrossEntropy,
} from '@xent/losses';
import { Adam, DataLoader, Linear, type Module, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed, NDArray } from '@xent/tensor';
import type { Dataset, Split } from './datasets.js';
import type { LossSettings, SharedSettings, Snapshot } from './protocol.js';

/** Side of the grid the decision regions are evaluated on. */
export const GRID_SIZE = 48;
/** Bins of the reliability diagram. */
export const CALIBRATION_BINS = 10;

/** A loss of a batch's logits and targets (class indices, or multi-hot rows). */
export type LossFunction = (logits: Tensor, targets: Tensor) => Tensor;

function matrix(values: Float32Array, columns: number): Tensor {
  return new Tensor(NDArray.fromStorage(values, [values.length / columns, columns]));
}

function labelArray(labels: Int32Array): NDArray {
  return NDArray.fromStorage(labels, [labels.length]);
}

/** The targets a loss is trained on: multi-hot rows for a multi-label set, else class indices. */
export function targetsOf(split: Split, classes: number): Tensor {
  if (split.multiHot) return matrix(split.multiHot, classes);
  return new Tensor(labelArray(split.labels));
}

/** An MLP: `layers` hidden layers of `hidden` ReLU units, initialised from `seed`. */
export function buildModel(inputs: number, hidden: number, layers: number, outputs: number, seed: number) {
  manualSeed(seed);
  const modules: Module[] = [];
  let width = inputs;
  for (let layer = 0; layer < layers; layer++) {
    modules.push(new Linear(width, hidden), new ReLU());
    width = hidden;
  }
  modules.push(new Linear(width, outputs));
  return new Sequential(...modules);
}

/** Training-set class frequencies (each label's share of all positive labels when multi-label). */
export function classPriors(data: Dataset): number[] {
  const classes = data.classNames.length;
  const counts = new Array<number>(classes).fill(0);
  const { train } = data;
  if (train.multiHot)
    for (let i = 0; i < train.multiHot.length; i++) counts[i % classes] += train.multiHot[i];
  else for (const label of train.labels) counts[label]++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => count / total);
}

/**
 * The loss a variant trains with. Multi-label targets: K independent sigmoids (BCE on each
 * label) or one softmax over the labels with the multi-hot row normalised into a distribution
 * (a point with two labels gets 1/2 on each).
 */
export function lossFunction(settings: LossSettings, data: Dataset): LossFunction {
  const classes = data.classNames.length;
  switch (settings.loss) {
    case 'ce':
      return (logits, targets) => crossEntropy(logits, targets);
    case 'smoothing':
      return (logits, targets) => crossEntropy(logits, targets, { labelSmoothing: settings.epsilon });
    case 'focal':
      return (logits, targets) => focalLoss(logits, targets, { gamma: settings.gamma });
    case 'weighted': {
      const weight = classWeights(labelArray(data.train.labels), classes, { scheme: settings.scheme });
      return (logits, targets) => crossEntropy(logits, targets, { weight });
    }
    case 'adjusted': {
      const priors = classPriors(data);
      return (logits, targets) => logitAdjustedCrossEntropy(logits, targets, { priors, tau: settings.tau });
    }
    case 'sigmoid':
      return (logits, targets) => binaryCrossEntropyWithLogits(logits, targets);
    case 'softmax':
      return (logits, targets) => crossEntropy(logits, targets.div(targets.sum(-1, true)));
  }
}

/** Per-class probabilities: a softmax over classes, or K sigmoids for the sigmoid loss. */
export function probabilities(logits: Tensor, settings: LossSettings): Tensor {
  return settings.loss === 'sigmoid' ? sigmoid(logits) : softmax(logits, -1);
}

/**
 * Held-out metrics. Single-label: the prediction is the argmax of the plain logits (for the
 * logit-adjusted loss too: training with the adjustment is what makes them balanced), recall
 * per class, and the reliability of the top-class probability. Multi-label: label c is
 * predicted when p_c ≥ 1/2 (the same rule for sigmoid and softmax), recall per label, and
 * the reliability of every p_c as a yes/no forecast.
 */
export function evaluate(
  model: Module,
  data: Dataset,
  settings: LossSettings,
  loss: LossFunction,
  step: number,
): Snapshot {
  return noGrad(() => {
    const classes = data.classNames.length;
    const { test } = data;
    const logits = model.forward(matrix(test.inputs, data.features));
    const targets = targetsOf(test, classes);
    const testLoss = loss(logits, targets).item();
    const probs = probabilities(logits, settings);
    const p = probs.data.values();
    const recall = new Array<number>(classes).fill(0);
    const positives = new Array<number>(classes).fill(0);
    let score: number;
    let calibration: ReturnType<typeof expectedCalibrationError>;
    if (test.multiHot) {
      const truth = test.multiHot;
      let agree = 0;
      for (let i = 0; i < truth.length; i++) {
        const predicted = p[i] >= 0.5 ? 1 : 0;
        if (predicted === truth[i]) agree++;
        if (truth[i] === 1) {
          positives[i % classes]++;
          recall[i % classes] += predicted;
        }
      }
      score = agree / truth.length;
      const flat = new Tensor(NDArray.fromStorage(Float32Array.from(p), [p.length]));
      calibration = expectedCalibrationError(flat, labelArray(Int32Array.from(truth)), {
        bins: CALIBRATION_BINS,
      });
    } else {
      score = accuracy(logits, labelArray(test.labels));
      const rows = test.size;
      for (let row = 0; row < rows; row++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (p[row * classes + c] > p[row * classes + best]) best = c;
        positives[test.labels[row]]++;
        if (best === test.labels[row]) recall[best]++;
      }
      calibration = expectedCalibrationError(probs, labelArray(test.labels), { bins: CALIBRATION_BINS });
    }
    return {
      step,
      testLoss,
      accuracy: score,
      recall: recall.map((hits, c) => (positives[c] > 0 ? hits / positives[c] : 0)),
      ece: calibration.ece,
      bins: calibration.bins.map(({ count, accuracy, confidence }) => ({ count, accuracy, confidence })),
      grid: data.features === 2 ? regionGrid(model, data, settings) : null,
      gridSize: GRID_SIZE,
    };
  });
}

/** Class probabilities at the centres of a GRID_SIZE² grid over the data's extent, top row first. */
function regionGrid(model: Module, data: Dataset, settings: LossSettings): Float32Array {
  const [xMin, xMax, yMin, yMax] = data.extent;
  const points = new Float32Array(GRID_SIZE * GRID_SIZE * 2);
  for (let row = 0; row < GRID_SIZE; row++) {
    for (let column = 0; column < GRID_SIZE; column++) {
      const cell = row * GRID_SIZE + column;
      points[2 * cell] = xMin + ((column + 0.5) / GRID_SIZE) * (xMax - xMin);
      points[2 * cell + 1] = yMax - ((row + 0.5) / GRID_SIZE) * (yMax - yMin);
    }
  }
  return Float32Array.from(probabilities(model.forward(matrix(points, 2)), settings).data.values());
}

/** What {@link train} reports every `every` steps (and after the last). */
export interface Progress {
  losses: number[];
  snapshot: Snapshot;
  done: boolean;
}

/**
 * Trains one variant: Adam on shuffled minibatches (the shuffle seeded by `seed + 1`, so both
 * variants see the same batches), calling `report` with the new batch losses and a snapshot.
 */
export function train(
  data: Dataset,
  shared: SharedSettings,
  settings: LossSettings,
  report: (progress: Progress) => void,
  every = 10,
): void {
  const classes = data.classNames.length;
  const model = buildModel(data.features, shared.hidden, shared.layers, classes, shared.seed);
  const loss = lossFunction(settings, data);
  const optimizer = new Adam(model.parameters(), { lr: shared.learningRate });
  const dataset = new TensorDataset(matrix(data.train.inputs, data.features), targetsOf(data.train, classes));
  const loader = new DataLoader(dataset, {
    batchSize: shared.batchSize,
    shuffle: true,
    dropLast: true,
    generator: new Generator(shared.seed + 1),
  });
  let losses: number[] = [];
  let step = 0;
  report({ losses, snapshot: evaluate(model, data, settings, loss, 0), done: shared.steps === 0 });
  while (step < shared.steps) {
    for (const [inputs, targets] of loader) {
      optimizer.zeroGrad();
      const batchLoss = loss(model.forward(inputs), targets);
      batchLoss.backward();
      optimizer.step();
      losses.push(batchLoss.item());
      step++;
      if (step % every === 0 || step === shared.steps) {
        const done = step === shared.steps;
        report({ losses, snapshot: evaluate(model, data, settings, loss, step), done });
        losses = [];
      }
      if (step === shared.steps) break;
    }
  }
}
