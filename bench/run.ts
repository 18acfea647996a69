/**
 * `pnpm bench`: runs every benchmark below in sequence, in one process, prints one table of xent
 * beside TensorFlow.js (cpu and wasm backends) and writes bench/results.json.
 * Benchmarks are run by hand and never as timed tests. The figures are wall-clock times: on a
 * machine busy with other work, XENT_BENCH_CLOCK=cpu times by this process's CPU time instead.
 * `pnpm bench <name>…` runs only the named benchmarks and replaces just their rows in
 * results.json, keeping the others.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAutograd } from './autograd.ts';
import { benchCrossEntropy } from './cross-entropy.ts';
import { benchElementwise } from './elementwise.ts';
import { benchGpu } from './gpu.ts';
import { describeRun, printTable, type Result, useTfBackend, writeResults } from './harness.ts';
import { benchMatmul } from './matmul.ts';
import { benchMemory } from './memory.ts';
import { benchMlpStep } from './mlp-step.ts';

/** A benchmark module: measures its figures and returns one Result per figure. */
interface Benchmark {
  name: string;
  run: () => Promise<Result[]>;
}

// Append new benchmarks here; each returns Result rows for the common table.
const BENCHMARKS: Benchmark[] = [
  { name: 'matmul', run: benchMatmul },
  { name: 'elementwise', run: benchElementwise },
  { name: 'cross-entropy', run: benchCrossEntropy },
  { name: 'autograd', run: benchAutograd },
  { name: 'mlp-step', run: benchMlpStep },
  { name: 'memory', run: benchMemory },
  { name: 'gpu', run: benchGpu },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  throw new Error(
    `bench: unknown benchmark ${unknown.join(', ')}; expected ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
}
const selected =
  only.length > 0 ? BENCHMARKS.filter((benchmark) => only.includes(benchmark.name)) : BENCHMARKS;

const results: Result[] = [];
for (const { name, run } of selected) {
  console.log(`\n${name}`);
  results.push(...(await run()));
}

await useTfBackend('wasm');
console.log(`\n${await describeRun()}\n`);
printTable(results);
const path = fileURLToPath(new URL('./results.json', import.meta.url));
// A partial run keeps the rows of the benchmarks it did not run (in their places).
const previous: Result[] = only.length > 0 && existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : [];
const fresh = new Map(results.map((result) => [result.name, result]));
const merged = previous.map((row) => fresh.get(row.name) ?? row);
for (const result of results) if (!previous.some((row) => row.name === result.name)) merged.push(result);
writeResults(only.length > 0 ? merged : results, path);
console.log(`\nwritten to ${path}`);
