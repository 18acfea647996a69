import { arange, type Tensor, tensor } from '@xent/autograd';
import {
  ClassBalancedSampler,
  DataLoader,
  type Dataset,
  RandomSampler,
  SequentialSampler,
  TensorDataset,
  WeightedRandomSampler,
} from '@xent/nn';
import { Generator } from '@xent/tensor';
import { describe, expect, it } from 'vitest';

/** Upper 0.999 quantiles of the chi-square distribution by degrees of freedom. */
const chiSquare999: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 5: 20.515 };

/** Pearson's chi-square of observed counts against expected probabilities. */
function chiSquare(observed: number[], probabilities: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((sum, o, i) => {
    const expected = total * probabilities[i];
    return sum + (o - expected) ** 2 / expected;
  }, 0);
}

function histogram(values: Iterable<number>, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[v] += 1;
  return counts;
}

function dataset(n: number): TensorDataset {
  const x = arange(0, n * 2, 1, { dtype: 'float64' }).reshape([n, 2]);
  const y = arange(0, n);
  return new TensorDataset(x, y);
}

describe('TensorDataset and DataLoader', () => {
  it('gives [x, y] batches in order, with a short last batch unless dropLast', () => {
    const loader = new DataLoader(dataset(5), { batchSize: 2 });
    const batches = [...loader].map(([x, y]) => [x.toArray(), y.toArray()]);
    expect(batches).toEqual([
      [
        [
          [0, 1],
          [2, 3],
        ],
        [0, 1],
      ],
      [
        [
          [4, 5],
          [6, 7],
        ],
        [2, 3],
      ],
      [[[8, 9]], [4]],
    ]);
    expect(loader.length).toBe(3);
    const dropping = new DataLoader(dataset(5), { batchSize: 2, dropLast: true });
    expect([...dropping]).toHaveLength(2);
    expect(dropping.length).toBe(2);
    for (const [x, y] of dropping) {
      expect(x.dtype).toBe('float64');
      expect(y.dtype).toBe('int32');
    }
  });

  it('shuffles with a seed: same seed, same batches; each epoch a new order', () => {
    const epochs = (seed: number) => {
      const loader = new DataLoader(dataset(10), {
        batchSize: 3,
        shuffle: true,
        generator: new Generator(seed),
      });
      return [0, 1].map(() => [...loader].map(([, y]) => y.toArray()));
    };
    const [first, second] = epochs(7);
    expect(epochs(7)).toEqual([first, second]);
    expect(first).not.toEqual(second);
    expect(epochs(8)[0]).not.toEqual(first);
    expect((first.flat() as number[]).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('uses a custom collate on the items', () => {
    const items: Dataset<{ word: string; length: number }> = {
      length: 3,
      get: (i) => ({ word: ['a', 'bb', 'ccc'][i], length: i + 1 }),
    };
    const loader = new DataLoader(items, {
      batchSize: 2,
      collate: (samples) => ({
        words: samples.map((s) => s.word),
        lengths: tensor(samples.map((s) => s.length)),
      }),
    });
    const batches = [...loader];
    expect(batches.map((b) => b.words)).toEqual([['a', 'bb'], ['ccc']]);
    expect(batches[0].lengths.toArray()).toEqual([1, 2]);
  });

  it('stacks items of a dataset without getBatch (default collate)', () => {
    const items: Dataset<Tensor[]> = { length: 4, get: (i) => [tensor([i, -i]), tensor([i])] };
    const [[x, y]] = [...new DataLoader(items, { batchSize: 4 })];
    expect(x.shape).toEqual([4, 2]);
    expect(y.toArray()).toEqual([[0], [1], [2], [3]]);
  });

  it('rejects mismatched tensors and bad options', () => {
    expect(() => new TensorDataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(
      /tensor 1 has shape \[3\] but every tensor needs first dimension 2/,
    );
    expect(() => new DataLoader(dataset(2), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer/,
    );
    expect(() => new DataLoader(dataset(2), { shuffle: true, sampler: new SequentialSampler(2) })).toThrow(
      /mutually exclusive/,
    );
  });
});

describe('samplers', () => {
  it('SequentialSampler and RandomSampler (a permutation per pass; with replacement, any indices)', () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
    const random = new RandomSampler(6, { generator: new Generator(1) });
    const pass = [...random];
    expect([...pass].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const long = [...new RandomSampler(3, { numSamples: 7, generator: new Generator(1) })];
    expect(long).toHaveLength(7);
    expect([...long.slice(0, 3)].sort()).toEqual([0, 1, 2]);
    const drawn = [
      ...new RandomSampler(5, { replacement: true, numSamples: 50_000, generator: new Generator(2) }),
    ];
    expect(chiSquare(histogram(drawn, 5), [0.2, 0.2, 0.2, 0.2, 0.2])).toBeLessThan(chiSquare999[4]);
  });

  it('WeightedRandomSampler with replacement draws proportionally to the weights (chi-square)', () => {
    const weights = [1, 2, 0, 5, 2];
    const draws = [...new WeightedRandomSampler(weights, 100_000, { generator: new Generator(3) })];
    const counts = histogram(draws, 5);
    expect(counts[2]).toBe(0);
    const nonzero = [0, 1, 3, 4];
    expect(
      chiSquare(
        nonzero.map((i) => counts[i]),
        nonzero.map((i) => weights[i] / 10),
      ),
    ).toBeLessThan(chiSquare999[3]);
  });

  it('WeightedRandomSampler without replacement: distinct indices, torch.multinomial first-draw law', () => {
    const weights = [1, 2, 3, 4];
    const sampler = new WeightedRandomSampler(weights, 2, {
      replacement: false,
      generator: new Generator(4),
    });
    const firsts: number[] = [];
    const seconds: number[] = [];
    for (let pass = 0; pass < 40_000; pass++) {
      const [a, b] = [...sampler];
      expect(a).not.toBe(b);
      firsts.push(a);
      if (a === 3) seconds.push(b);
    }
    // First draw ∝ w; given the first was 3, the second ∝ the remaining weights [1, 2, 3].
    expect(chiSquare(histogram(firsts, 4), [0.1, 0.2, 0.3, 0.4])).toBeLessThan(chiSquare999[3]);
    expect(chiSquare(histogram(seconds, 3), [1 / 6, 2 / 6, 3 / 6])).toBeLessThan(chiSquare999[2]);
    expect(() => new WeightedRandomSampler([1, 0, 1], 3, { replacement: false })).toThrow(
      /cannot draw 3 samples without replacement from 2 positive weights/,
    );
    expect(() => new WeightedRandomSampler([1, -1], 1)).toThrow(
      /weights must be finite and >= 0, got -1 at index 1/,
    );
    expect(() => new WeightedRandomSampler([0, 0], 1)).toThrow(/sum to 0/);
  });

  it('ClassBalancedSampler makes every class equally likely per draw (chi-square), seeded', () => {
    // 90 / 9 / 1 imbalance.
    const labels = [...new Array(900).fill(0), ...new Array(90).fill(1), ...new Array(10).fill(2)];
    const sampler = new ClassBalancedSampler(labels, { numSamples: 60_000, generator: new Generator(5) });
    const drawn = [...sampler];
    const classCounts = histogram(
      drawn.map((i) => labels[i]),
      3,
    );
    expect(chiSquare(classCounts, [1 / 3, 1 / 3, 1 / 3])).toBeLessThan(chiSquare999[2]);
    // Within the rarest class, every item is equally likely too.
    const rare = histogram(
      drawn.filter((i) => labels[i] === 2).map((i) => i - 990),
      10,
    );
    expect(chiSquare(rare, new Array(10).fill(0.1))).toBeLessThan(27.877); // chi-square 0.999, 9 dof
    // Same seed, same draws; and through a DataLoader, same batches.
    expect([
      ...new ClassBalancedSampler(labels, { numSamples: 60_000, generator: new Generator(5) }),
    ]).toEqual(drawn);
    const x = tensor(labels, { dtype: 'float64' }).reshape([1000, 1]);
    const y = tensor(Int32Array.from(labels));
    const batches = (seed: number) =>
      [
        ...new DataLoader(new TensorDataset(x, y), {
          batchSize: 32,
          sampler: new ClassBalancedSampler(labels, { generator: new Generator(seed) }),
        }),
      ].map(([, labelsBatch]) => labelsBatch.toArray());
    expect(batches(11)).toEqual(batches(11));
    expect(batches(11)).not.toEqual(batches(12));
    expect(batches(11)).toHaveLength(32); // 1000 draws by default: one epoch's worth
  });
});
