/**
 * The examples' shared plumbing: options, data helpers, tables, charts, evaluation, and the
 * `pnpm example` runner (listing, unknown names).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tensor } from '@xent/autograd';
import { describe, expect, it } from 'vitest';
import { parseOptions, withDefaults } from '../../examples/lib/args.js';
import { barChart, heatmap, learningCurves, writeChart } from '../../examples/lib/chart.js';
import {
  classCounts,
  loadFirstNames,
  loadIris,
  longTail,
  longTailCounts,
  subset,
} from '../../examples/lib/data.js';
import {
  balancedAccuracy,
  confusionMatrix,
  perClassRecall,
  predictedClasses,
} from '../../examples/lib/evaluate.js';
import { formatTable } from '../../examples/lib/table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/lib/args', () => {
  it('parses --quick, --seed and --no-chart, with defaults', () => {
    expect(parseOptions([])).toEqual({ quick: false, seed: 0, chart: true });
    expect(parseOptions(['--quick', '--seed', '7', '--no-chart'])).toEqual({
      quick: true,
      seed: 7,
      chart: false,
    });
    expect(() => parseOptions(['--seed', 'x'])).toThrow(/--seed: expected an integer, got 'x'/);
    expect(() => parseOptions(['--fast'])).toThrow();
    expect(withDefaults({ quick: true })).toEqual({ quick: true, seed: 0, chart: true });
  });
});

describe('examples/lib/data', () => {
  it('long-tail counts fall geometrically from maxCount to maxCount / ratio', () => {
    expect(longTailCounts(500, 10, 100)).toEqual([500, 300, 180, 108, 65, 39, 23, 14, 8, 5]);
    expect(longTailCounts(10, 3, 1000)).toEqual([10, 1, 1]);
  });

  it('longTail keeps the first counts[c] samples of each class, in order', () => {
    const set = {
      images: tensor([[0], [1], [2], [3], [4], [5]]),
      labels: tensor([0, 1, 0, 1, 0, 2], { dtype: 'int32' }),
    };
    const { set: kept, indices } = longTail(set, [2, 1, 0]);
    expect(indices).toEqual([0, 1, 2]);
    expect(kept.images.toArray()).toEqual([[0], [1], [2]]);
    expect(classCounts(kept.labels, 3)).toEqual([2, 1, 0]);
    expect(subset(set, [5, 0]).labels.toArray()).toEqual([2, 0]);
  });

  it('loads iris (150 × 4, standardised) and the first-name corpora', () => {
    const iris = loadIris();
    expect(iris.features.shape).toEqual([150, 4]);
    expect(classCounts(iris.labels, 3)).toEqual([50, 50, 50]);
    const column = (iris.features.toArray() as number[][]).map((row) => row[2]);
    expect(column.reduce((a, b) => a + b, 0) / 150).toBeCloseTo(0, 5);
    const names = loadFirstNames();
    expect(names.female.length).toBeGreaterThan(1000);
    expect(names.male.length).toBeGreaterThan(1000);
    expect(new Set(names.all).size).toBe(names.all.length);
  });
});

describe('examples/lib/evaluate', () => {
  it('computes predictions, confusion, per-class recall and balanced accuracy', () => {
    const predicted = predictedClasses(
      tensor([
        [2, 1],
        [0, 3],
        [5, 4],
        [1, 0],
      ]),
    );
    expect([...predicted]).toEqual([0, 1, 0, 0]);
    const labels = [0, 1, 1, 1];
    expect(confusionMatrix(predicted, labels, 2)).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(perClassRecall(predicted, labels, 2)).toEqual([1, 1 / 3]);
    expect(balancedAccuracy(predicted, labels, 2)).toBeCloseTo(2 / 3, 12);
  });
});

describe('examples/lib/table', () => {
  it('prints a Markdown table with aligned, formatted numbers', () => {
    const table = formatTable([
      { loss: 'plain CE', accuracy: 0.91234, epochs: 3 },
      { loss: 'focal', accuracy: 0.5, epochs: 12 },
    ]);
    expect(table).toBe(
      [
        '| loss     | accuracy | epochs |',
        '|----------|---------:|-------:|',
        '| plain CE |   0.9123 |      3 |',
        '| focal    |   0.5000 |     12 |',
      ].join('\n'),
    );
  });
});

describe('examples/lib/chart', () => {
  it('renders Vega-Lite panels to an SVG file offline', async () => {
    const path = await writeChart('test-chart', [
      learningCurves({ a: [1, 0.5, 0.25], b: [1, 0.7, Number.NaN] }),
      barChart(
        [
          { category: 'x', group: 'g', value: 1 },
          { category: 'x', group: 'h', value: 2 },
        ],
        { title: 'bars' },
      ),
      heatmap(
        [
          [1, 0],
          [0, 1],
        ],
        { title: 'identity' },
      ),
    ]);
    expect(existsSync(path)).toBe(true);
    const svg = readFileSync(path, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('identity');
    expect(svg).toContain('bars');
  }, 30_000);
});

describe('examples/run.ts', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'examples/run.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('lists the examples when no name is given, and fails on an unknown one', () => {
    const listing = run();
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/^ {2}mnist {2,}A two-layer perceptron on handwritten digits/m);
    const unknown = run('no-such-example');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown example 'no-such-example'");
  }, 60_000);
});
