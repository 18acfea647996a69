/**
 * `pnpm example <name> [--quick] [--seed N] [--no-chart]` runs `examples/<name>.ts`; without a
 * name, or with an unknown one, it lists the examples with the first line of their doc comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ExampleOptions, parseOptions } from './lib/args.js';

const examplesDir = fileURLToPath(new URL('.', import.meta.url));

/** Every example: the `.ts` files of `examples/` other than this runner, by name. */
function listExamples(): { name: string; summary: string }[] {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => {
      const source = readFileSync(`${examplesDir}${file}`, 'utf8');
      // The first sentence of the leading `/** … */` comment.
      const comment = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
      const text = comment
        .replace(/^\s*\* ?/gm, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      const sentence = /^(.*?\.)(\s|$)/.exec(text)?.[1] ?? text;
      const summary = sentence.length > 100 ? `${sentence.slice(0, 99)}…` : sentence;
      return { name: file.slice(0, -3), summary };
    });
}

const [name, ...rest] = process.argv.slice(2);
const examples = listExamples();
if (name === undefined || !examples.some((example) => example.name === name)) {
  if (name !== undefined) console.error(`unknown example '${name}'\n`);
  console.log('usage: pnpm example <name> [--quick] [--seed N] [--no-chart]\n\nexamples:');
  const width = Math.max(...examples.map((example) => example.name.length));
  for (const example of examples) console.log(`  ${example.name.padEnd(width)}  ${example.summary}`);
  process.exitCode = name === undefined ? 0 : 1;
} else {
  const module: { main?: (options: ExampleOptions) => Promise<unknown> } = await import(
    pathToFileURL(`${examplesDir}${name}.ts`).href
  );
  if (typeof module.main !== 'function') throw new Error(`examples/${name}.ts does not export main(options)`);
  await module.main(parseOptions(rest));
}
