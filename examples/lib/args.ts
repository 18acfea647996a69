/**
 * Command-line options shared by every example (`--quick`, `--seed N`) and the guard that
 * runs an example's `main` when its file is executed directly.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** What every example's `main(options)` accepts. */
export interface ExampleOptions {
  /** A small, fast run (seconds) for CI smoke tests; the headline claim must still hold. */
  quick?: boolean;
  /** Seed for weights, data order and simulated labels (default 0). */
  seed?: number;
  /** Write the SVG chart to `examples/out/` (default true). */
  chart?: boolean;
}

/** Parses `--quick`, `--seed N` and `--no-chart`; unknown flags are an error. */
export function parseOptions(argv: readonly string[]): Required<ExampleOptions> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      'no-chart': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`);
  return { quick: values.quick ?? false, seed, chart: !values['no-chart'] };
}

/** The options with their defaults filled in. */
export function withDefaults(options: ExampleOptions = {}): Required<ExampleOptions> {
  return { quick: options.quick ?? false, seed: options.seed ?? 0, chart: options.chart ?? true };
}

/**
 * Runs `main` with the process's arguments when the module at `moduleUrl` (pass
 * `import.meta.url`) is the script node was started with; does nothing when it is imported
 * (by `examples/run.ts` or a test). A failure is printed and sets the exit code to 1.
 */
export function runIfMain(moduleUrl: string, main: (options: ExampleOptions) => Promise<unknown>): void {
  const script = process.argv[1];
  if (script === undefined || realpathSync(script) !== realpathSync(fileURLToPath(moduleUrl))) return;
  main(parseOptions(process.argv.slice(2))).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
