/**
 * Crowd labels: an items × annotators matrix of class indices with −1 where an annotator gave
 * no label. This module parses and checks that matrix (shared with {@link dawidSkene}) and
 * holds the simplest aggregation, {@link majorityVote}.
 */
import { Tensor } from '@xent/autograd';
import {
  formatShape,
  IndexError,
  NDArray,
  type NestedArray,
  ShapeError,
  ValueError,
  XentError,
} from '@xent/tensor';

/** A crowd label matrix: items × annotators, class indices in [0, numClasses) or −1 for "no label". */
export type CrowdLabelsLike = Tensor | NDArray | NestedArray;

/** The label value meaning "this annotator did not label this item". */
export const NO_LABEL = -1;

/** A checked crowd label matrix, row-major: `values[i * annotators + a]`. */
export interface CrowdLabels {
  readonly items: number;
  readonly annotators: number;
  readonly values: Int32Array;
}

/** Throws unless `numClasses` is an integer ≥ 2 (a crowd needs two classes to disagree on). */
export function checkNumClasses(fn: string, numClasses: number): number {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 2) {
    throw new ValueError(`${fn}: numClasses is ${String(numClasses)}, expected an integer ≥ 2`);
  }
  return numClasses;
}

/**
 * Converts and checks a crowd label matrix. Nested arrays must be rectangular (one entry per
 * annotator in every row); every entry must be −1 or an integer in [0, numClasses).
 */
export function toCrowdLabels(fn: string, labels: CrowdLabelsLike, numClasses: number): CrowdLabels {
  let items: number;
  let annotators: number;
  let flat: ArrayLike<number>;
  if (labels instanceof Tensor || labels instanceof NDArray) {
    const data = labels instanceof Tensor ? labels.data : labels;
    if (data.ndim !== 2) {
      throw new ShapeError(
        `${fn}: labels has shape ${formatShape(data.shape)}, expected 2 dimensions [items, annotators]`,
      );
    }
    [items, annotators] = data.shape;
    flat = data.values();
  } else if (Array.isArray(labels)) {
    items = labels.length;
    const rows = labels.map((row, i) => {
      if (!Array.isArray(row) || row.some((v) => typeof v !== 'number')) {
        throw new ShapeError(
          `${fn}: labels row ${i} is not an array of numbers; expected items × annotators`,
        );
      }
      return row as number[];
    });
    annotators = rows.length > 0 ? rows[0].length : 0;
    rows.forEach((row, i) => {
      if (row.length !== annotators) {
        throw new ShapeError(
          `${fn}: labels is ragged: row ${i} has ${row.length} entries but row 0 has ${annotators}; expected one entry per annotator in every row (−1 for no label)`,
        );
      }
    });
    flat = rows.flat();
  } else {
    throw new XentError(
      `${fn}: labels must be a Tensor, an NDArray or an array of rows, got ${typeof labels}`,
    );
  }
  if (items === 0 || annotators === 0) {
    throw new ShapeError(
      `${fn}: labels has shape [${items}, ${annotators}], expected at least one item and one annotator`,
    );
  }
  const values = new Int32Array(items * annotators);
  for (let n = 0; n < values.length; n++) {
    const v = flat[n];
    if (v !== NO_LABEL && !(Number.isInteger(v) && v >= 0 && v < numClasses)) {
      const at = `[${Math.floor(n / annotators)}, ${n % annotators}]`;
      const hint = Number.isInteger(v) && v >= numClasses ? ` (is numClasses ${numClasses} too small?)` : '';
      throw new IndexError(
        `${fn}: labels contains ${v} at ${at}; expected an integer in [0, ${numClasses}) or −1 for no label${hint}`,
      );
    }
    values[n] = v;
  }
  return { items, annotators, values };
}

/**
 * Vote fractions as soft labels: `out[i][k]` = (number of annotators who gave item i class k)
 * / (number who labelled item i). An item nobody labelled gets the uniform 1/K.
 *
 * The baseline every crowd aggregation is compared with; it treats every annotator as equally
 * reliable (see {@link dawidSkene} for per-annotator reliability). The result is a float64
 * Tensor `[items, numClasses]` (no grad) ready to be a probability target of `crossEntropy`.
 *
 * Reference: the usual majority / plurality vote, kept soft (ties stay split) instead of
 * taking an argmax.
 *
 * @param labels items × annotators, class indices or −1 for no label.
 * @param numClasses K ≥ 2.
 */
export function majorityVote(labels: CrowdLabelsLike, numClasses: number): Tensor {
  const fn = 'majorityVote';
  const classes = checkNumClasses(fn, numClasses);
  const crowd = toCrowdLabels(fn, labels, classes);
  return new Tensor(NDArray.fromStorage(voteFractions(crowd, classes), [crowd.items, classes]));
}

/** Row-major [items, K] vote fractions (uniform for unlabelled items). */
export function voteFractions(crowd: CrowdLabels, numClasses: number): Float64Array {
  const { items, annotators, values } = crowd;
  const out = new Float64Array(items * numClasses);
  for (let i = 0; i < items; i++) {
    const row = out.subarray(i * numClasses, (i + 1) * numClasses);
    let votes = 0;
    for (let a = 0; a < annotators; a++) {
      const label = values[i * annotators + a];
      if (label === NO_LABEL) continue;
      row[label] += 1;
      votes++;
    }
    if (votes === 0) row.fill(1 / numClasses);
    else for (let k = 0; k < numClasses; k++) row[k] /= votes;
  }
  return out;
}
