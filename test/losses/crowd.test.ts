import { tensor } from '@xent/autograd';
import { crossEntropy, dawidSkene, majorityVote } from '@xent/losses';
import { array, Generator, IndexError, ShapeError, ValueError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

/** Draws an index from the discrete distribution `probs`. */
function draw(generator: Generator, probs: readonly number[]): number {
  let u = generator.next();
  for (let k = 0; k < probs.length - 1; k++) {
    if (u < probs[k]) return k;
    u -= probs[k];
  }
  return probs.length - 1;
}

const TRUE_PRIORS = [0.5, 0.3, 0.2];
// confusions[a][k][l] = P(annotator a says l | true k)
const TRUE_CONFUSIONS = [
  [
    [0.9, 0.05, 0.05],
    [0.05, 0.9, 0.05],
    [0.05, 0.05, 0.9],
  ],
  [
    [0.7, 0.2, 0.1],
    [0.15, 0.7, 0.15],
    [0.1, 0.2, 0.7],
  ],
  // Lazy: says 0 whenever unsure.
  [
    [0.8, 0.1, 0.1],
    [0.5, 0.4, 0.1],
    [0.5, 0.1, 0.4],
  ],
  // Swaps classes 1 and 2: misleads a vote, informative once its confusion is known.
  [
    [0.8, 0.1, 0.1],
    [0.1, 0.2, 0.7],
    [0.1, 0.7, 0.2],
  ],
  // Close to random.
  [
    [0.4, 0.3, 0.3],
    [0.3, 0.4, 0.3],
    [0.3, 0.3, 0.4],
  ],
];
const ITEMS = 2000;
const UNLABELLED = 10; // the last 10 items: nobody labels them
const SILENT = TRUE_CONFUSIONS.length; // the last annotator column: labels nothing

/** A seeded synthetic crowd: truth, labels (items × 6 annotators, −1 = none). */
function syntheticCrowd(seed: number): { truth: number[]; labels: number[][] } {
  const generator = new Generator(seed);
  const truth: number[] = [];
  const labels: number[][] = [];
  for (let i = 0; i < ITEMS; i++) {
    const z = draw(generator, TRUE_PRIORS);
    truth.push(z);
    const row = TRUE_CONFUSIONS.map((confusion) =>
      i < ITEMS - UNLABELLED && generator.next() < 0.6 ? draw(generator, confusion[z]) : -1,
    );
    row.push(-1);
    labels.push(row);
  }
  return { truth, labels };
}

function argmaxRows(rows: number[][]): number[] {
  return rows.map((row) => row.indexOf(Math.max(...row)));
}

function accuracyOf(predicted: number[], truth: number[], count = truth.length): number {
  let hits = 0;
  for (let i = 0; i < count; i++) if (predicted[i] === truth[i]) hits++;
  return hits / count;
}

describe('majorityVote', () => {
  it('gives vote fractions, uniform for unlabelled items', () => {
    const votes = majorityVote(
      [
        [0, 0, 1],
        [2, -1, -1],
        [-1, -1, -1],
        [1, 2, 0],
      ],
      3,
    );
    expect(votes.dtype).toBe('float64');
    expect(votes.requiresGrad).toBe(false);
    const third = 1 / 3;
    expect(votes.toArray()).toEqual([
      [2 / 3, 1 / 3, 0],
      [0, 0, 1],
      [third, third, third],
      [third, third, third],
    ]);
  });

  it('accepts an int32 NDArray or Tensor', () => {
    const nested = [
      [0, 1],
      [1, -1],
    ];
    const expected = majorityVote(nested, 2).toArray();
    expect(majorityVote(array(nested, { dtype: 'int32' }), 2).toArray()).toEqual(expected);
    expect(majorityVote(tensor(nested, { dtype: 'int32' }), 2).toArray()).toEqual(expected);
  });
});

describe('dawidSkene on a seeded synthetic crowd with known confusions', () => {
  const { truth, labels } = syntheticCrowd(7);
  // EM converges linearly; this crowd needs 114 iterations to gain < 1e-6.
  const result = dawidSkene(labels, { numClasses: 3, maxIter: 300 });
  const posteriors = result.posteriors.toArray() as number[][];
  const labelledItems = ITEMS - UNLABELLED;

  it('beats majority vote in accuracy', () => {
    const voteAccuracy = accuracyOf(
      argmaxRows(majorityVote(labels, 3).toArray() as number[][]),
      truth,
      labelledItems,
    );
    const emAccuracy = accuracyOf(argmaxRows(posteriors), truth, labelledItems);
    // Seeded: majority vote 0.7362, Dawid–Skene 0.8291 on this crowd.
    expect(voteAccuracy).toBeLessThan(0.75);
    expect(emAccuracy).toBeGreaterThan(0.82);
    expect(emAccuracy - voteAccuracy).toBeGreaterThan(0.08);
  });

  it("recovers each annotator's confusion matrix within 0.1 (largest error 0.071)", () => {
    for (const [a, confusion] of TRUE_CONFUSIONS.entries()) {
      for (let k = 0; k < 3; k++) {
        for (let l = 0; l < 3; l++) {
          expect(Math.abs(result.confusions[a][k][l] - confusion[k][l])).toBeLessThan(0.1);
        }
      }
    }
    for (let k = 0; k < 3; k++) expect(Math.abs(result.priors[k] - TRUE_PRIORS[k])).toBeLessThan(0.05);
  });

  it('converges, and the log-likelihood never decreases', () => {
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(result.logLikelihood.length);
    expect(result.iterations).toBeLessThan(300);
    for (let t = 1; t < result.logLikelihood.length; t++) {
      expect(result.logLikelihood[t]).toBeGreaterThanOrEqual(result.logLikelihood[t - 1]);
    }
    const last = result.logLikelihood.length - 1;
    expect(result.logLikelihood[last] - result.logLikelihood[last - 1]).toBeLessThan(1e-6);
  });

  it('never decreases the plain log-likelihood without smoothing either', () => {
    const plain = dawidSkene(labels, { numClasses: 3, smoothing: 0, tol: 0, maxIter: 30 });
    expect(plain.iterations).toBe(30);
    expect(plain.converged).toBe(false);
    for (let t = 1; t < plain.logLikelihood.length; t++) {
      expect(plain.logLikelihood[t]).toBeGreaterThanOrEqual(plain.logLikelihood[t - 1] - 1e-9);
    }
  });

  it('gives posteriors that sum to 1 and priors that sum to 1', () => {
    expect(result.posteriors.shape).toEqual([ITEMS, 3]);
    for (const row of posteriors) {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(result.priors.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    for (const matrix of result.confusions) {
      for (const row of matrix) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    }
  });

  it('gives posteriors that are probability targets for crossEntropy', () => {
    const logits = tensor(
      posteriors.slice(0, 4).map((row) => row.map((p) => Math.log(p))),
      { dtype: 'float64', requiresGrad: true },
    );
    const target = result.posteriors.slice([0, 4]);
    // With logits = log posteriors the cross-entropy is the mean entropy of the posteriors.
    const entropy =
      posteriors.slice(0, 4).reduce((total, row) => total - row.reduce((s, p) => s + p * Math.log(p), 0), 0) /
      4;
    const loss = crossEntropy(logits, target);
    expect(loss.item()).toBeCloseTo(entropy, 12);
    loss.backward();
    // d/dlogits = (softmax(logits) − target) / N = 0 at the posteriors themselves.
    for (const v of (logits.grad as NonNullable<typeof logits.grad>).data.values())
      expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it('gives items nobody labelled the priors as posteriors', () => {
    for (let i = labelledItems; i < ITEMS; i++) {
      for (let k = 0; k < 3; k++) expect(posteriors[i][k]).toBeCloseTo(result.priors[k], 14);
    }
  });

  it('gives an annotator who labels nothing uniform confusion rows and no influence', () => {
    expect(result.confusions).toHaveLength(TRUE_CONFUSIONS.length + 1);
    for (const row of result.confusions[SILENT]) for (const v of row) expect(v).toBeCloseTo(1 / 3, 14);
    const withoutSilent = dawidSkene(
      labels.map((row) => row.slice(0, SILENT)),
      { numClasses: 3, maxIter: 300 },
    );
    const reference = withoutSilent.posteriors.toArray() as number[][];
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 3; k++) expect(posteriors[i][k]).toBeCloseTo(reference[i][k], 6);
    }
    // Without smoothing a silent annotator has no counts at all: its rows fall back to uniform.
    const unsmoothed = dawidSkene(labels, { numClasses: 3, smoothing: 0 });
    for (const row of unsmoothed.confusions[SILENT]) expect(row).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});

describe('dawidSkene by hand', () => {
  it('agrees with unanimous annotators and stops after one gain below tol', () => {
    const labels = [
      [0, 0, 0],
      [1, 1, 1],
      [1, 1, -1],
      [0, -1, 0],
    ];
    const result = dawidSkene(labels, { numClasses: 2, maxIter: 50 });
    expect(argmaxRows(result.posteriors.toArray() as number[][])).toEqual([0, 1, 1, 0]);
    expect(result.converged).toBe(true);
    // The first E-step already reproduces the majority vote (the fixed point): one more to see it.
    expect(result.iterations).toBe(2);
    // Annotator 0 labelled two 0s and two 1s, all correct: θ[k][k] = (2 + s)/(2 + 2s) with exact
    // posteriors; the posteriors are within 5e-5 of exact.
    expect(result.confusions[0][0][0]).toBeCloseTo(2.01 / 2.02, 4);
  });

  it('stops at maxIter with converged false', () => {
    const { labels } = syntheticCrowd(3);
    const result = dawidSkene(labels, { numClasses: 3, maxIter: 2, tol: 0 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
    expect(result.logLikelihood).toHaveLength(2);
  });
});

describe('crowd labels: bad input', () => {
  it('rejects ragged rows, naming labels', () => {
    const ragged = [
      [0, 1, 1],
      [0, 1],
    ];
    expect(() => dawidSkene(ragged, { numClasses: 2 })).toThrow(ShapeError);
    expect(() => dawidSkene(ragged, { numClasses: 2 })).toThrow(
      /labels is ragged: row 1 has 2 entries but row 0 has 3/,
    );
    expect(() => majorityVote(ragged, 2)).toThrow(/majorityVote: labels is ragged/);
  });

  it('rejects out-of-range and non-integer labels, naming labels and the position', () => {
    expect(() => dawidSkene([[0, 3]], { numClasses: 3 })).toThrow(IndexError);
    expect(() => dawidSkene([[0, 3]], { numClasses: 3 })).toThrow(
      /dawidSkene: labels contains 3 at \[0, 1\]; expected an integer in \[0, 3\) or −1 for no label \(is numClasses 3 too small\?\)/,
    );
    expect(() => dawidSkene([[0, -2]], { numClasses: 3 })).toThrow(/labels contains -2 at \[0, 1\]/);
    expect(() => majorityVote([[0.5, 1]], 3)).toThrow(/majorityVote: labels contains 0.5 at \[0, 0\]/);
  });

  it('rejects numClasses below 2 and bad options', () => {
    expect(() => dawidSkene([[0]], { numClasses: 1 })).toThrow(ValueError);
    expect(() => dawidSkene([[0]], { numClasses: 1 })).toThrow(
      /dawidSkene: numClasses is 1, expected an integer ≥ 2/,
    );
    expect(() => majorityVote([[0]], 2.5)).toThrow(/majorityVote: numClasses is 2.5/);
    expect(() => dawidSkene([[0]], { numClasses: 2, smoothing: -1 })).toThrow(/smoothing is -1/);
    expect(() => dawidSkene([[0]], { numClasses: 2, maxIter: 0 })).toThrow(/maxIter is 0/);
  });

  it('rejects empty matrices and wrong ranks', () => {
    expect(() => dawidSkene([], { numClasses: 2 })).toThrow(
      /labels has shape \[0, 0\], expected at least one item/,
    );
    expect(() => majorityVote(array([0, 1], { dtype: 'int32' }), 2)).toThrow(
      /majorityVote: labels has shape \[2\], expected 2 dimensions \[items, annotators\]/,
    );
  });
});
