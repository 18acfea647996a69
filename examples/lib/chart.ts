/**
 * SVG charts for the examples: Vega-Lite specs (learning curves, grouped bars, heatmaps)
 * compiled to Vega and rendered headlessly to `examples/out/<name>.svg`.
 *
 * Why Vega-Lite: it is a maintained, declarative grammar of graphics whose SVG renderer runs
 * in Node with no browser, canvas or native build (text is measured by estimate), and a
 * chart is a small JSON object a reader can paste into the online editor to restyle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One chart of a figure: a Vega-Lite view that can sit in a concatenation. */
export type Panel = Extract<TopLevelSpec, { concat: unknown }>['concat'][number];

/** Where the SVG files go: `examples/out/` (git-ignored). */
export const outDir = fileURLToPath(new URL('../out/', import.meta.url));

/** Options shared by the chart builders. */
export interface AxisOptions {
  /** Panel title. */
  title: string;
  /** x-axis title. */
  x?: string;
  /** y-axis title. */
  y?: string;
  /** Fixed y range, e.g. `[0, 1]` for accuracies (default: fitted to the data, with zero). */
  yDomain?: [number, number];
  /** Logarithmic y axis (default false). */
  logY?: boolean;
}

const width = 320;
const height = 220;

function yScale(options: AxisOptions): Record<string, unknown> {
  if (options.logY) return { type: 'log' };
  return options.yDomain ? { domain: options.yDomain, zero: false } : { zero: false };
}

/**
 * Lines, one per named series; point i of a series is drawn at x = `xValues[i]` (default
 * i + 1, e.g. the epoch). Non-finite values are left out.
 */
export function lineChart(
  series: Record<string, readonly number[]>,
  options: AxisOptions & { xValues?: readonly number[]; points?: boolean },
): Panel {
  const x = options.x ?? 'epoch';
  const y = options.y ?? 'value';
  const values = Object.entries(series).flatMap(([name, ys]) =>
    ys
      .map((value, i) => ({ series: name, x: options.xValues?.[i] ?? i + 1, y: value }))
      .filter((point) => Number.isFinite(point.y)),
  );
  return {
    title: options.title,
    width,
    height,
    data: { values },
    mark: { type: 'line', point: options.points ?? false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: y, scale: yScale(options) },
      color: { field: 'series', type: 'nominal', title: null, sort: Object.keys(series) },
    },
  };
}

/** Learning curves: one line per run, one point per epoch (x = 1, 2, …). */
export function learningCurves(
  curves: Record<string, readonly number[]>,
  options: AxisOptions = { title: 'learning curves' },
): Panel {
  return lineChart(curves, { x: 'epoch', y: 'training loss', ...options, points: true });
}

/** One bar of a {@link barChart}: its category on the x axis and, optionally, its group. */
export interface Bar {
  category: string;
  /** Bars of the same category and different groups stand side by side, coloured by group. */
  group?: string;
  value: number;
}

/** Bars (grouped side by side when bars carry a `group`), in the order given. */
export function barChart(bars: readonly Bar[], options: AxisOptions): Panel {
  const categories = [...new Set(bars.map((bar) => bar.category))];
  const groups = [...new Set(bars.map((bar) => bar.group ?? ''))];
  const grouped = groups.length > 1 || groups[0] !== '';
  return {
    title: options.title,
    width,
    height,
    data: { values: bars.map((bar) => ({ ...bar, group: bar.group ?? '' })) },
    mark: 'bar',
    encoding: {
      x: { field: 'category', type: 'nominal', title: options.x ?? null, sort: categories },
      y: { field: 'value', type: 'quantitative', title: options.y ?? 'value', scale: yScale(options) },
      ...(grouped
        ? {
            xOffset: { field: 'group', type: 'nominal', sort: groups },
            color: { field: 'group', type: 'nominal', title: null, sort: groups },
          }
        : {}),
    },
  };
}

/** A matrix as coloured cells with the values printed in them (e.g. a confusion matrix). */
export function heatmap(
  matrix: readonly (readonly number[])[],
  options: AxisOptions & { rowNames?: readonly string[]; columnNames?: readonly string[]; digits?: number },
): Panel {
  const rowNames = options.rowNames ?? matrix.map((_, i) => String(i));
  const columnNames = options.columnNames ?? matrix[0].map((_, j) => String(j));
  const values = matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: rowNames[i], column: columnNames[j], value })),
  );
  const digits = options.digits ?? 2;
  return {
    title: options.title,
    width: Math.min(width, 24 * columnNames.length),
    height: Math.min(width, 24 * rowNames.length),
    data: { values },
    encoding: {
      x: { field: 'column', type: 'ordinal', title: options.x ?? null, sort: [...columnNames] },
      y: { field: 'row', type: 'ordinal', title: options.y ?? null, sort: [...rowNames] },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'value', type: 'quantitative', title: null } } },
      {
        mark: { type: 'text', fontSize: 8 },
        encoding: { text: { field: 'value', type: 'quantitative', format: `.${digits}f` } },
      },
    ],
  };
}

/**
 * Renders panels side by side (`columns` per row, default 2) under a title and writes
 * `examples/out/<name>.svg`; returns the file's path.
 */
export async function writeChart(
  name: string,
  panels: readonly Panel[],
  options: { title?: string; columns?: number } = {},
): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    columns: options.columns ?? 2,
    concat: [...panels],
    resolve: { scale: { color: 'independent' } },
    config: { font: 'sans-serif', view: { stroke: null } },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(outDir, { recursive: true });
  const path = `${outDir}${name}.svg`;
  writeFileSync(path, svg);
  return path;
}
