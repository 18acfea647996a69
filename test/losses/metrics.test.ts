import { tensor } from '@xent/autograd';
import {
  accuracy,
  bitsPerCharacter,
  brierScore,
  crossEntropy,
  expectedCalibrationError,
  hammingLoss,
  perplexity,
  temperatureScale,
} from '@xent/losses';
import { array, Generator, IndexError, ShapeError, ValueError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

/** Softmax of one row. */
function softmaxRow(row: readonly number[]): number[] {
  const best = Math.max(...row);
  const weights = row.map((v) => Math.exp(v - best));
  const total = weights.reduce((s, v) => s + v, 0);
  return weights.map((v) => v / total);
}

/** Samples from the discrete distribution `probs`. */
function draw(generator: Generator, probs: readonly number[]): number {
  let u = generator.next();
  for (let k = 0; k < probs.length - 1; k++) {
    if (u < probs[k]) return k;
    u -= probs[k];
  }
  return probs.length - 1;
}

/** N rows of "true" logits (scale 2, C classes) and labels drawn from their softmax. */
function syntheticTask(
  seed: number,
  rows: number,
  classes: number,
): { logits: number[][]; labels: number[] } {
  const generator = new Generator(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let n = 0; n < rows; n++) {
    const row = Array.from({ length: classes }, () => 2 * generator.normal());
    logits.push(row);
    labels.push(draw(generator, softmaxRow(row)));
  }
  return { logits, labels };
}

describe('accuracy', () => {
  it('takes the argmax of scores (first maximum on ties)', () => {
    const scores = [
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
      [0.5, 0.5],
    ];
    expect(accuracy(scores, [1, 1, 1, 0])).toBe(0.75);
    expect(accuracy(tensor(scores, { requiresGrad: true }), [1, 1, 1, 1])).toBe(0.5);
  });

  it('skips ignored targets and is NaN with nothing to count', () => {
    const scores = [
      [0.1, 0.9],
      [0.8, 0.2],
    ];
    expect(accuracy(scores, [1, -100])).toBe(1);
    expect(accuracy(scores, [1, 7], { ignoreIndex: 7 })).toBe(1);
    expect(accuracy(scores, [-100, -100])).toBeNaN();
    expect(() => accuracy(scores, [1, 0], { ignoreIndex: 0.5 })).toThrow(
      /accuracy: ignoreIndex is 0.5, expected an integer/,
    );
  });

  it('accepts predicted labels of the target shape and [B, T, C] scores', () => {
    expect(accuracy([0, 1, 2], [0, 2, 2])).toBeCloseTo(2 / 3, 15);
    const scores = [
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      [
        [0, 1, 0],
        [0, 1, 0],
      ],
    ];
    expect(
      accuracy(
        scores,
        array(
          [
            [0, 2],
            [1, 0],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toBe(0.75);
  });

  it('rejects mismatched and out-of-range targets', () => {
    expect(() => accuracy([[0.2, 0.8]], [0, 1])).toThrow(ShapeError);
    expect(() => accuracy([[0.2, 0.8]], [0, 1])).toThrow(
      /accuracy: target has shape \[2\] but predictions \[1, 2\] needs? \[1\]/,
    );
    expect(() => accuracy([[0.2, 0.8]], [2])).toThrow(IndexError);
    // Predicted labels beyond int32 used to wrap (2^32 → 0) and count as right.
    expect(() => accuracy([2 ** 32, 1], [0, 1])).toThrow(
      /accuracy: predictions contains class 4294967296 at index \[0\]; expected an integer in \[0, 2147483648\)/,
    );
  });
});

describe('perplexity and bitsPerCharacter', () => {
  it('perplexity = exp(mean NLL in nats)', () => {
    expect(perplexity(Math.log(10))).toBeCloseTo(10, 13);
    expect(perplexity(0)).toBe(1);
    // A uniform model over 7 tokens has perplexity 7.
    const uniform = crossEntropy(tensor([[0, 0, 0, 0, 0, 0, 0]], { dtype: 'float64' }), [3]);
    expect(perplexity(uniform)).toBeCloseTo(7, 13);
  });

  it('bits per character = total nats / (characters · ln 2)', () => {
    expect(bitsPerCharacter(50 * Math.LN2, 25)).toBeCloseTo(2, 14);
    // One 80-character text, two tokenisations with the same total NLL (120 nats): 40 tokens at
    // 3 nats each, or 60 at 2. Perplexity depends on the tokeniser; bits per character do not.
    expect(perplexity(120 / 40)).toBeCloseTo(Math.exp(3), 12);
    expect(perplexity(120 / 60)).toBeCloseTo(Math.exp(2), 12);
    const perCharacter = 120 / (80 * Math.LN2);
    expect(bitsPerCharacter(3 * 40, 80)).toBeCloseTo(perCharacter, 14);
    expect(bitsPerCharacter(2 * 60, 80)).toBeCloseTo(perCharacter, 14);
    // Accepts the summed loss as a one-element Tensor.
    expect(bitsPerCharacter(tensor([120], { dtype: 'float64' }), 80)).toBeCloseTo(perCharacter, 14);
  });

  it('rejects negative or non-finite NLLs and a non-positive character count', () => {
    expect(() => perplexity(-1)).toThrow(/perplexity: meanNllNats is -1, expected a number ≥ 0/);
    expect(() => perplexity(Number.NaN)).toThrow(ValueError);
    expect(() => bitsPerCharacter(10, 0)).toThrow(/bitsPerCharacter: numChars is 0, expected an integer ≥ 1/);
  });
});

describe('hammingLoss', () => {
  const probs = [
    [0.9, 0.2, 0.6],
    [0.4, 0.7, 0.5],
  ];
  const target = [
    [1, 0, 0],
    [0, 1, 1],
  ];

  it('is the fraction of label entries wrong after thresholding (p > threshold)', () => {
    // threshold 0.5: predictions (1, 0, 1), (0, 1, 0); wrong at [0, 2] and [1, 2].
    expect(hammingLoss(probs, target)).toBeCloseTo(2 / 6, 15);
    // threshold 0.65: (1, 0, 0), (0, 1, 0); wrong at [1, 2] only.
    expect(hammingLoss(probs, target, 0.65)).toBeCloseTo(1 / 6, 15);
    expect(hammingLoss(probs, target, 0.1)).toBeCloseTo(3 / 6, 15);
  });

  it('rejects mismatched shapes and non-binary targets', () => {
    expect(() => hammingLoss(probs, [[1, 0, 0]])).toThrow(
      /hammingLoss: target has shape \[1, 3\] but probs \[2, 3\]/,
    );
    expect(() => hammingLoss([[0.5]], [[0.5]])).toThrow(
      /hammingLoss: target contains 0.5 at flat index 0; expected 0 or 1/,
    );
  });

  it('rejects a threshold outside [0, 1] (NaN included) and probabilities outside [0, 1]', () => {
    // A NaN threshold used to predict every label absent: loss 1/2 here instead of an error.
    expect(() => hammingLoss(probs, target, Number.NaN)).toThrow(
      /hammingLoss: threshold is NaN, expected a number in \[0, 1\]/,
    );
    expect(() => hammingLoss(probs, target, 2)).toThrow(/hammingLoss: threshold is 2/);
    expect(() => hammingLoss([[2.5, -1]], [[1, 0]])).toThrow(
      /hammingLoss: probs contains 2.5 at index \[0, 0\]; expected values in \[0, 1\]/,
    );
    expect(hammingLoss(probs, target, 1)).toBeCloseTo(3 / 6, 15); // bounds included
  });
});

describe('expectedCalibrationError', () => {
  it('matches a hand computation, bin edges included', () => {
    const probs = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.3, 0.7],
      [0.2, 0.8],
    ];
    // confidences 0.9 ✓, 0.6 ✗, 0.7 ✓, 0.8 ✗; bins of width 0.2 are (lower, upper].
    const { ece, maxCalibrationError, bins } = expectedCalibrationError(probs, [0, 1, 1, 0], { bins: 5 });
    expect(bins.map((b) => b.count)).toEqual([0, 0, 1, 2, 1]);
    expect(bins[2]).toEqual({ lower: 0.4, upper: 0.6, count: 1, accuracy: 0, confidence: 0.6 });
    expect(bins[3].accuracy).toBe(0.5);
    expect(bins[3].confidence).toBeCloseTo(0.75, 15);
    expect(bins[4].accuracy).toBe(1);
    // (1·0.6 + 2·0.25 + 1·0.1) / 4
    expect(ece).toBeCloseTo(0.3, 15);
    expect(maxCalibrationError).toBeCloseTo(0.6, 15);
  });

  it('takes 1-D probabilities as P(class 1) of a binary problem', () => {
    const { ece, bins } = expectedCalibrationError([0.9, 0.2], [1, 1], { bins: 10 });
    // confidences 0.9 (predict 1, right) and 0.8 (predict 0, wrong)
    expect(bins[8].count + bins[7].count).toBe(2);
    expect(ece).toBeCloseTo((0.1 + 0.8) / 2, 15);
  });

  it('is near 0 for a perfectly calibrated predictor and large for an over-confident one', () => {
    const { logits, labels } = syntheticTask(1, 20000, 4);
    const calibrated = expectedCalibrationError(logits.map(softmaxRow), labels);
    expect(calibrated.ece).toBeLessThan(0.015);
    expect(calibrated.bins).toHaveLength(15);
    expect(calibrated.bins.reduce((s, b) => s + b.count, 0)).toBe(20000);
    const overConfident = expectedCalibrationError(
      logits.map((row) => softmaxRow(row.map((v) => 3 * v))),
      labels,
    );
    expect(overConfident.ece).toBeGreaterThan(0.1);
  });

  it('rejects probabilities outside [0, 1], mismatched labels and bad bin counts', () => {
    expect(() => expectedCalibrationError([[1.2, -0.2]], [0])).toThrow(
      /expectedCalibrationError: probs contains 1.2/,
    );
    expect(() => expectedCalibrationError([[0.5, 0.5]], [0, 1])).toThrow(
      /expectedCalibrationError: labels has shape \[2\] but probs \[1, 2\] needs? \[1\]/,
    );
    expect(() => expectedCalibrationError([[0.5, 0.5]], [0], { bins: 0 })).toThrow(/bins is 0/);
  });
});

describe('brierScore', () => {
  it('is mean Σ_c (p − y)² for class probabilities, with integer or probability targets', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.1, 0.5, 0.4],
    ];
    // (0.09 + 0.04 + 0.01 + 0.01 + 0.25 + 0.36) / 2
    expect(brierScore(probs, [0, 2])).toBeCloseTo(0.38, 15);
    expect(
      brierScore(probs, [
        [1, 0, 0],
        [0, 0, 1],
      ]),
    ).toBeCloseTo(0.38, 15);
  });

  it('is mean (p − y)² for 1-D binary probabilities', () => {
    expect(brierScore([0.9, 0.2], [1, 0])).toBeCloseTo(0.025, 15);
    expect(brierScore(tensor([0.5], { dtype: 'float64', requiresGrad: true }), [0.5])).toBe(0);
  });

  it('rejects mismatched shapes and out-of-range values', () => {
    expect(() => brierScore([0.5, 0.5], [1])).toThrow(/brierScore: target has shape \[1\] but probs \[2\]/);
    expect(() => brierScore([[0.5, 0.5]], [2])).toThrow(/brierScore: target contains class 2/);
    expect(() => brierScore([1.5], [1])).toThrow(/brierScore: probs contains 1.5/);
  });
});

describe('temperatureScale', () => {
  /** Mean NLL of softmax(logits / T). */
  function nll(logits: number[][], labels: number[], temperature: number): number {
    return (
      logits.reduce(
        (total, row, n) => total - Math.log(softmaxRow(row.map((v) => v / temperature))[labels[n]]),
        0,
      ) / logits.length
    );
  }

  it('recovers T ≈ 3 on a model whose logits are 3× the calibrated ones, and lowers the NLL', () => {
    const { logits, labels } = syntheticTask(2, 4000, 5);
    const overConfident = logits.map((row) => row.map((v) => 3 * v));
    const { temperature, nllBefore, nllAfter } = temperatureScale(overConfident, labels);
    expect(temperature).toBeGreaterThan(2.7);
    expect(temperature).toBeLessThan(3.3);
    expect(nllBefore).toBeCloseTo(nll(overConfident, labels, 1), 12);
    expect(nllAfter).toBeCloseTo(nll(overConfident, labels, temperature), 12);
    expect(nllAfter).toBeLessThan(nllBefore - 0.3);
    // The minimum: nudging T either way raises the NLL.
    expect(nll(overConfident, labels, temperature * 1.01)).toBeGreaterThan(nllAfter);
    expect(nll(overConfident, labels, temperature / 1.01)).toBeGreaterThan(nllAfter);
    // It also raises ECE-calibration: the scaled model is far better calibrated.
    const scaled = overConfident.map((row) => softmaxRow(row.map((v) => v / temperature)));
    expect(expectedCalibrationError(scaled, labels).ece).toBeLessThan(0.03);
  });

  it('sharpens an under-confident model (T < 1)', () => {
    const { logits, labels } = syntheticTask(3, 3000, 3);
    const { temperature, nllBefore, nllAfter } = temperatureScale(
      tensor(logits.map((row) => row.map((v) => v / 2))),
      labels,
    );
    expect(temperature).toBeGreaterThan(0.4);
    expect(temperature).toBeLessThan(0.6);
    expect(nllAfter).toBeLessThan(nllBefore);
  });

  it('clamps T to its range when the NLL keeps falling (separable logits)', () => {
    const { temperature, nllAfter } = temperatureScale(
      [
        [2, 0],
        [0, 2],
      ],
      [0, 1],
    );
    expect(temperature).toBe(1e-3);
    expect(nllAfter).toBeLessThan(1e-12);
  });

  it('rejects bad shapes, labels and ranges', () => {
    expect(() => temperatureScale([1, 2], [0])).toThrow(
      /temperatureScale: logits has shape \[2\], expected \[N, C\]/,
    );
    expect(() => temperatureScale([[1, 2]], [2])).toThrow(/temperatureScale: labels contains class 2/);
    expect(() => temperatureScale([[1, 2]], [0], { range: [2, 1] })).toThrow(/range is \[2, 1\]/);
    for (const maxIter of [0, -1, 2.5, Number.NaN]) {
      expect(() => temperatureScale([[1, 2]], [0], { maxIter })).toThrow(
        new RegExp(`temperatureScale: maxIter is ${maxIter}, expected an integer ≥ 1`),
      );
    }
  });
});
