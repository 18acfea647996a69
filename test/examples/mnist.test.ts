/**
 * Smoke test of the MNIST example: `tsx examples/mnist.ts --quick` in a child process, from
 * the repository root (as `pnpm demo` runs it), must print `test accuracy: 0.xxxx` ≥ 0.85.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/mnist.ts --quick', () => {
  it('trains an MLP to at least 0.85 test accuracy', () => {
    // tsx's `--import` loader on plain node: runs the TypeScript example from source, with
    // the root tsconfig's paths mapping @xent/* to packages/*/src.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/mnist.ts', '--quick'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    if (run.status !== 0)
      throw new Error(`mnist.ts exited with ${run.status}:\n${run.stderr}\n${run.stdout}`);
    const match = /^test accuracy: (0\.\d{4}|1\.0000)$/m.exec(run.stdout);
    expect(match, run.stdout).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(0.85);
    // The accuracy is the last line, as the example promises.
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^test accuracy: /);
  }, 120_000);
});
