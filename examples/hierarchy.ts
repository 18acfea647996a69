/**
 * Hierarchical labels: a two-level tree over the digits (loops: 0 6 8 9; straight strokes:
 * 1 4 7; open curves: 2 3 5) trained with hierarchicalCrossEntropy, the sum of a softmax
 * cross-entropy at the root (which group?) and one inside the true group (which digit?),
 * against flat 10-way cross-entropy; accuracy at each level of the tree, and how many
 * mistakes stay inside the right group.
 */
import { softmax, type Tensor, tensor } from '@xent/autograd';
import { crossEntropy, hierarchicalCrossEntropy, hierarchicalLogProbs, LabelTree } from '@xent/losses';
import { Adam, DataLoader, Linear, ReLU, Sequential, TensorDataset } from '@xent/nn';
import { Generator, manualSeed } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { firstPerClass, labelArray, loadDigits } from './lib/data.js';
import { predict } from './lib/evaluate.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** The tree: each digit's group, by the strokes it is usually written with. */
const groups: Record<string, number[]> = {
  loops: [0, 6, 8, 9],
  'straight strokes': [1, 4, 7],
  'open curves': [2, 3, 5],
};
const tree = LabelTree.fromPaths(
  Object.entries(groups).flatMap(([group, digits]) => digits.map((digit) => [group, String(digit)])),
);
/** The tree orders leaves by group: each digit's leaf, and its group's index. */
const leafOfDigit = Array.from({ length: 10 }, (_, digit) => tree.leafNames.indexOf(String(digit)));
const groupOfDigit = Array.from({ length: 10 }, (_, digit) =>
  Object.values(groups).findIndex((digits) => digits.includes(digit)),
);

/** Accuracy of one model at each level of the tree. */
export interface HierarchyScores {
  method: string;
  /** Right group (argmax of the summed probabilities of the group's digits). */
  groupAccuracy: number;
  /** Right digit. */
  digitAccuracy: number;
  /** Among wrong digits, the fraction still in the right group. */
  mistakesInGroup: number;
}

/** The headline numbers of a run. */
export interface HierarchyResult {
  scores: HierarchyScores[];
  seconds: number;
}

/** Digit probabilities `[N, 10]` scored at both levels of the tree. */
function score(method: string, digitProbs: number[][], labels: Int32Array): HierarchyScores {
  const groupCount = Object.keys(groups).length;
  let groupRight = 0;
  let digitRight = 0;
  let wrongInGroup = 0;
  digitProbs.forEach((probs, n) => {
    const groupProbs = new Array<number>(groupCount).fill(0);
    probs.forEach((p, digit) => {
      groupProbs[groupOfDigit[digit]] += p;
    });
    const group = groupProbs.indexOf(Math.max(...groupProbs));
    const digit = probs.indexOf(Math.max(...probs));
    if (group === groupOfDigit[labels[n]]) groupRight++;
    if (digit === labels[n]) digitRight++;
    else if (groupOfDigit[digit] === groupOfDigit[labels[n]]) wrongInGroup++;
  });
  return {
    method,
    groupAccuracy: groupRight / labels.length,
    digitAccuracy: digitRight / labels.length,
    mistakesInGroup: wrongInGroup / (labels.length - digitRight),
  };
}

/** Trains the flat and the hierarchical classifier and scores both at each level. */
export async function main(options: ExampleOptions = {}): Promise<HierarchyResult> {
  const { quick, seed, chart } = withDefaults(options);
  const epochs = quick ? 5 : 15;
  const started = performance.now();

  // Data: digits, and the same labels as leaves of the tree
  const { train: allTrain, test } = loadDigits();
  const train = quick ? firstPerClass(allTrain, 250) : allTrain;
  const leafLabels = tensor(
    Array.from(labelArray(train.labels), (digit) => leafOfDigit[digit]),
    { dtype: 'int32' },
  );
  const testLabels = labelArray(test.labels);
  console.log(
    `digits: ${train.labels.size} train, ${test.labels.size} test; tree: ${tree.numLogits} node logits`,
  );

  // Flat: 10 logits, one softmax. Hierarchical: one logit per non-root node (3 groups + 10
  // digits); its digit probabilities are P(group) · P(digit | group), put back in digit order.
  const methods: {
    name: string;
    outputs: number;
    labels: Tensor;
    loss: (logits: Tensor, labels: Tensor) => Tensor;
    digitProbs: (logits: Tensor) => number[][];
  }[] = [
    {
      name: 'flat CE',
      outputs: 10,
      labels: train.labels,
      loss: (logits, labels) => crossEntropy(logits, labels),
      digitProbs: (logits) => softmax(logits).toArray() as number[][],
    },
    {
      name: 'hierarchical CE',
      outputs: tree.numLogits,
      labels: leafLabels,
      loss: (logits, leaves) => hierarchicalCrossEntropy(logits, leaves, tree),
      digitProbs: (logits) =>
        (hierarchicalLogProbs(logits, tree).exp().toArray() as number[][]).map((leafProbs) =>
          leafOfDigit.map((leaf) => leafProbs[leaf]),
        ),
    },
  ];
  const scores: HierarchyScores[] = [];
  const curves: Record<string, number[]> = {};
  for (const method of methods) {
    manualSeed(seed);
    const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, method.outputs));
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const loader = new DataLoader(new TensorDataset(train.images, method.labels), {
      batchSize: 64,
      shuffle: true,
      generator: new Generator(seed + 1),
    });
    // Loop
    curves[method.name] = [];
    const progress = progressBar(epochs * loader.length, method.name.padEnd(15));
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [images, labels] of loader) {
        optimizer.zeroGrad();
        const loss = method.loss(model.forward(images), labels);
        loss.backward();
        optimizer.step();
        progress.tick(loss.item());
      }
      const probs = method.digitProbs(predict(model, test.images));
      curves[method.name].push(score(method.name, probs, testLabels).digitAccuracy);
    }
    progress.stop();
    scores.push(score(method.name, method.digitProbs(predict(model, test.images)), testLabels));
  }
  const seconds = (performance.now() - started) / 1000;

  // Result
  if (chart) {
    const path = await writeChart('hierarchy', [
      lineChart(curves, { title: 'test digit accuracy while training', y: 'accuracy' }),
      barChart(
        scores.flatMap((s) => [
          { category: 'group (level 1)', group: s.method, value: s.groupAccuracy },
          { category: 'digit (level 2)', group: s.method, value: s.digitAccuracy },
          { category: 'mistakes in right group', group: s.method, value: s.mistakesInGroup },
        ]),
        { title: 'accuracy at each level of the tree', yDomain: [0, 1] },
      ),
    ]);
    console.log(`chart: ${path}`);
  }
  printTable(
    scores.map((s) => ({
      method: s.method,
      'group accuracy': s.groupAccuracy,
      'digit accuracy': s.digitAccuracy,
      'mistakes in right group': s.mistakesInGroup,
    })),
    { title: `test digits (${test.labels.size}), ${epochs} epochs; time ${seconds.toFixed(1)} s` },
  );
  return { scores, seconds };
}

runIfMain(import.meta.url, main);
