/**
 * `pnpm bench`: runs every benchmark below in sequence, in one process, prints one table of xent
 * beside TensorFlow.js (cpu and wasm backends) and writes bench/results.json.
 * Benchmarks are run by hand and never as timed tests. The figures are wall-clock times: on a
 * machine busy with other work, XENT_BENCH_CLOCK=cpu times by this process's CPU time instead.
 */
import { fileURLToPath } from 'node:url';
import { benchAutograd } from './autograd.ts';
import { benchCrossEntropy } from './cross-entropy.ts';
import { benchElementwise } from './elementwise.ts';
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
];

const results: Result[] = [];
for (const { name, run } of BENCHMARKS) {
  console.log(`\n${name}`);
  results.push(...(await run()));
}

await useTfBackend('wasm');
console.log(`\n${await describeRun()}\n`);
printTable(results);
const path = fileURLToPath(new URL('./results.json', import.meta.url));
writeResults(results, path);
console.log(`\nwritten to ${path}`);
