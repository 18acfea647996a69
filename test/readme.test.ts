import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it("the tour's code runs and trains to the accuracy it implies", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const tour = readme.split('## A tour')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(tour, 'README has a "## A tour" section with a ts block').toBeTruthy();
    // Run it from the repository root so the tsconfig paths resolve @xent/* to the sources.
    const script = join(mkdtempSync(join(tmpdir(), 'xent-readme-')), 'tour.ts');
    writeFileSync(script, tour!);
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
    });
    const accuracy = Number(output.match(/accuracy: ([\d.]+)/)?.[1]);
    expect(accuracy).toBeGreaterThan(0.9);
    expect(output).toMatch(/step 200: loss 0\.\d+/);
  });
});
