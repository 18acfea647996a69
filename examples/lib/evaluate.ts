/**
 * Evaluation helpers the metrics in @xent/losses leave to the examples: a model's outputs
 * without a graph, predicted classes, per-class recall and balanced accuracy.
 */
import { noGrad, type Tensor } from '@xent/autograd';
import type { Module } from '@xent/nn';

/**
 * The model's output on `inputs` in evaluation mode (Dropout off) and without building a
 * graph; the model's previous mode is restored afterwards.
 */
export function predict(model: Module, inputs: Tensor): Tensor {
  const wasTraining = model.training;
  model.eval();
  const outputs = noGrad(() => model.forward(inputs));
  model.train(wasTraining);
  return outputs;
}

/** The arg-max class of each row of `[N, C]` scores (logits or probabilities). */
export function predictedClasses(scores: Tensor): Int32Array {
  const [rows, classes] = scores.shape;
  const values = scores.data.values();
  const predicted = new Int32Array(rows);
  for (let n = 0; n < rows; n++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[n * classes + c] > values[n * classes + best]) best = c;
    predicted[n] = best;
  }
  return predicted;
}

/** `matrix[true][predicted]`: how many samples of each class went to each prediction. */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predicted[i]]++;
  return matrix;
}

/** Recall of each class: the fraction of its samples predicted as it (NaN for an absent class). */
export function perClassRecall(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number[] {
  return confusionMatrix(predicted, labels, numClasses).map(
    (row, c) => row[c] / row.reduce((a, b) => a + b, 0),
  );
}

/**
 * Balanced accuracy: the mean per-class recall over the classes present (sklearn's
 * `balanced_accuracy_score`), so a rare class counts as much as a frequent one.
 */
export function balancedAccuracy(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number {
  const recalls = perClassRecall(predicted, labels, numClasses).filter((recall) => !Number.isNaN(recall));
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}
