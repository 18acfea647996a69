/**
 * gpu.js (webasm in Node) against the js backend: the `auto` backend's calibration table per
 * kernel class and the crossover it picked, printed, and one result row per kernel class (the
 * smallest work routed to gpu.js; empty when it never wins). Part of `pnpm bench` (`pnpm bench
 * gpu` alone); XENT_GPU_MODE picks another gpu.js mode.
 */
import { gpuInfo, loadBackend, setBackend } from '@xent/tensor';
import type { Result } from './harness.ts';

/** Prints, per kernel class, js vs gpu milliseconds at each probed size and the crossover. */
export async function benchGpu(): Promise<Result[]> {
  const backend = await loadBackend('auto');
  const info = backend.name === 'auto' ? gpuInfo({ calibrate: true }) : null;
  setBackend('js');
  if (!info) {
    console.log('gpu: gpu.js is unavailable here; nothing to compare');
    return [];
  }
  const rows: Result[] = [];
  console.log(`gpu.js mode ${info.mode}; times are medians of 3 calls after a compiling warm-up`);
  for (const { kernel, timings, threshold } of info.calibrations) {
    console.log(`\n${kernel}`);
    console.log(
      `  ${'size'.padEnd(14)}${'js ms'.padStart(10)}${'gpu ms'.padStart(10)}${'gpu/js'.padStart(9)}`,
    );
    for (const t of timings) {
      const ratio = (t.gpuMs / t.jsMs).toFixed(2);
      console.log(
        `  ${t.size.padEnd(14)}${t.jsMs.toFixed(3).padStart(10)}${t.gpuMs.toFixed(3).padStart(10)}${ratio.padStart(9)}`,
      );
    }
    const crossover = Number.isFinite(threshold) ? `from work ${threshold} on` : 'never (stays on js)';
    console.log(`  auto routes ${kernel} to gpu ${crossover}`);
    rows.push({
      name: `auto: smallest ${kernel} work sent to gpu.js ${info.mode} (— never)`,
      unit: 'work',
      higherIsBetter: false,
      xent: Number.isFinite(threshold) ? threshold : null,
      tfjsCpu: null,
      tfjsWasm: null,
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchGpu();
