/**
 * Shared plumbing for the benchmarks: timing with benchmark.js, switching TensorFlow.js between
 * its cpu and wasm backends, the results table and bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import Benchmark from 'benchmark';

/** One measured figure, for xent and for each TensorFlow.js backend (null: not measured). */
export interface Result {
  name: string;
  unit: string;
  /** True for rates (GFLOP/s, steps/s), false for times (ms). */
  higherIsBetter: boolean;
  xent: number | null;
  tfjsCpu: number | null;
  tfjsWasm: number | null;
}

/** The TensorFlow.js backends compared against. */
export type TfBackend = 'cpu' | 'wasm';

/** Options for {@link opsPerSecond}, passed on to benchmark.js. */
export interface TimingOptions {
  /** Seconds benchmark.js may spend sampling (default 1). */
  maxTime?: number;
  /** Samples it must collect however long they take (default 5). */
  minSamples?: number;
}

/**
 * Which clock times the benchmarks. `wall` (the default) is benchmark.js and wall-clock time.
 * `cpu` (XENT_BENCH_CLOCK=cpu) is a plain adaptive loop on this process's CPU time, for a machine
 * shared with other busy processes: descheduled time does not count, though cache contention does.
 */
export const clock: 'wall' | 'cpu' = process.env.XENT_BENCH_CLOCK === 'cpu' ? 'cpu' : 'wall';

/**
 * Calls per second of a synchronous `run`, with the relative margin of error in percent.
 * `run` must finish its work before returning: for TensorFlow.js that means `dataSync()`.
 */
export function opsPerSecond(
  name: string,
  run: () => void,
  options: TimingOptions = {},
): { hz: number; rme: number } {
  const maxTime = options.maxTime ?? 1;
  const minSamples = options.minSamples ?? 5;
  return clock === 'cpu'
    ? cpuTimeOpsPerSecond(run, maxTime, minSamples)
    : benchmarkJs(name, run, maxTime, minSamples);
}

/** benchmark.js: an adaptive loop with its own warm-up; the mean over samples. */
function benchmarkJs(name: string, run: () => void, maxTime: number, minSamples: number) {
  const bench = new Benchmark(name, run, { maxTime, minSamples, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  return { hz: bench.hz, rme: bench.stats.rme };
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Samples of at least 50 ms of CPU time each after a warm-up of the same length, until `maxTime`
 * seconds and `minSamples` samples; the median rate, and a margin of ±2 standard errors.
 */
function cpuTimeOpsPerSecond(run: () => void, maxTime: number, minSamples: number) {
  const sampleSeconds = 0.05;
  const warmupEnd = cpuSeconds() + sampleSeconds;
  do run();
  while (cpuSeconds() < warmupEnd);
  const rates: number[] = [];
  const start = cpuSeconds();
  while (rates.length < minSamples || cpuSeconds() - start < maxTime) {
    const sampleStart = cpuSeconds();
    let calls = 0;
    let elapsed = 0;
    do {
      run();
      calls++;
      elapsed = cpuSeconds() - sampleStart;
    } while (elapsed < sampleSeconds);
    rates.push(calls / elapsed);
  }
  rates.sort((x, y) => x - y);
  const median = rates[rates.length >> 1];
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
  const variance = rates.reduce((sum, rate) => sum + (rate - mean) ** 2, 0) / (rates.length - 1);
  return { hz: median, rme: (200 * Math.sqrt(variance / rates.length)) / mean };
}

/** Milliseconds per call of `run` (the reciprocal of {@link opsPerSecond}). */
export function millisecondsPerCall(name: string, run: () => void, options: TimingOptions = {}): number {
  return 1000 / opsPerSecond(name, run, options).hz;
}

let wasmPathsSet = false;

/**
 * Makes `backend` TensorFlow.js's active backend and returns `tf`. The wasm backend loads its
 * binaries from the installed package's dist/ directory (no network), and runs in its SIMD,
 * single-threaded build: in Node tfjs detects no multithread support, and we pin that flag so a
 * future version cannot silently switch to threads. Returns null when the backend cannot start.
 */
export async function useTfBackend(backend: TfBackend): Promise<typeof tf | null> {
  if (backend === 'wasm' && !wasmPathsSet) {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) return null;
  await tf.ready();
  return tf;
}

/** The conditions of the run, for the report header: versions, wasm build, clock, machine load. */
export async function describeRun(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const load = loadavg()[0].toFixed(1);
  return [
    `Node ${process.version}, tfjs ${tf.version.tfjs} (wasm backend: SIMD ${simd ? 'on' : 'off'}, ${getThreadsCount()} thread)`,
    `xent: js backend, one thread; clock: ${clock === 'cpu' ? 'process CPU time' : 'wall (benchmark.js)'}; load average ${load}`,
  ].join('\n');
}

/**
 * How many times better xent is than `other`: above 1 means xent is better, whichever way the
 * unit points (rates divide xent by other, times divide other by xent).
 */
export function advantage(result: Result, other: number | null): number | null {
  if (result.xent === null || other === null || other === 0 || result.xent === 0) return null;
  return result.higherIsBetter ? result.xent / other : other / result.xent;
}

function formatNumber(value: number | null): string {
  if (value === null) return '—';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function formatRatio(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}×`;
}

/** Prints the results as a table, with xent's advantage over each tfjs backend (> 1: xent better). */
export function printTable(results: readonly Result[]): void {
  const header = ['benchmark', 'unit', 'xent', 'tfjs-cpu', 'tfjs-wasm', 'vs cpu', 'vs wasm'];
  const rows = results.map((r) => [
    r.name,
    `${r.unit} ${r.higherIsBetter ? '↑' : '↓'}`,
    formatNumber(r.xent),
    formatNumber(r.tfjsCpu),
    formatNumber(r.tfjsWasm),
    formatRatio(advantage(r, r.tfjsCpu)),
    formatRatio(advantage(r, r.tfjsWasm)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log(
    '↑ higher is better, ↓ lower is better; "vs" columns: how many times better xent is (> 1: xent wins)',
  );
}

/** Writes the results as JSON: `[{ name, unit, higherIsBetter, xent, tfjsCpu, tfjsWasm }]`. */
export function writeResults(results: readonly Result[], path: string): void {
  const rows = results.map(({ name, unit, higherIsBetter, xent, tfjsCpu, tfjsWasm }) => ({
    name,
    unit,
    higherIsBetter,
    xent,
    tfjsCpu,
    tfjsWasm,
  }));
  writeFileSync(path, `${JSON.stringify(rows, null, 2)}\n`);
}
