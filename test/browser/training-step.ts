/**
 * Two SGD steps of a small MLP (16 → 32 → 32 → 4, ReLU, crossEntropy, batch 64) in Debian's
 * headless Chromium, on the js backend, on gpu.js `webasm` and on gpu.js `webgl2`
 * (SwiftShader here), each in a fresh page: losses, parameters and gradients on gpu.js equal
 * js within float32 tolerances, and gpu.js really ran the matmuls.
 *
 * Run: pnpm --filter @xent/browser-test test (needs `apt-get install -y chromium`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type LaunchedPage, launch } from './chromium.ts';
import type { StepResult } from './page/main.ts';

const pageRoot = fileURLToPath(new URL('./page/', import.meta.url));
const source = (name: string) =>
  fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url));

/**
 * `--disable-gpu` is left out: with it, and without `--enable-unsafe-swiftshader`, recent
 * Chromium gives no WebGL context when no hardware GPU exists. These flags ask for ANGLE on
 * SwiftShader explicitly, so WebGL2 exists on any machine.
 */
const SWIFTSHADER_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

let browser: LaunchedPage;
let url = '';
const pageErrors: string[] = [];

before(async () => {
  browser = await launch({
    name: 'browser test',
    vite: {
      root: pageRoot,
      base: './',
      logLevel: 'warn',
      configFile: false,
      resolve: {
        alias: {
          '@xent/tensor': source('tensor'),
          '@xent/autograd': source('autograd'),
          '@xent/nn': source('nn'),
          '@xent/losses': source('losses'),
        },
      },
      build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
    },
    args: SWIFTSHADER_ARGS,
  });
  url = browser.url;
});

after(async () => {
  await browser?.close();
});

/** Loads the page for one backend in a fresh tab (fresh module state) and returns its result. */
async function step(query: string): Promise<StepResult> {
  const page: Page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${query}: ${error.message}`));
  page.on('console', (message) => {
    // gpu.js warns "Falling back to CPU" when a kernel cannot run in the requested mode.
    if (message.type() === 'error' || /fall(ing)? ?back/i.test(message.text()))
      pageErrors.push(`${query}: ${message.type()}: ${message.text()}`);
  });
  try {
    await page.goto(`${url}?${query}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'running', null, {
      timeout: 20_000,
      polling: 50,
    });
    const error = await page.evaluate(() => window.xentError);
    if (error) throw new Error(`browser test (${query}): ${error}`);
    const result = await page.evaluate(() => window.xentResult);
    assert.ok(result, `browser test (${query}): no result`);
    return result;
  } finally {
    await page.close();
  }
}

/** max |got − want| / max |want| over one flattened array. */
function relativeError(got: number[], want: number[]): number {
  assert.equal(got.length, want.length);
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return worst / scale;
}

/** Worst relative error over every named array. */
function worst(got: Record<string, number[]>, want: Record<string, number[]>): number {
  assert.deepEqual(Object.keys(got), Object.keys(want));
  return Math.max(...Object.keys(want).map((name) => relativeError(got[name], want[name])));
}

let reference: StepResult;

test('the js backend trains in the page', async () => {
  reference = await step('backend=js');
  assert.equal(reference.backend, 'js');
  assert.ok(reference.losses[1] < reference.losses[0], `loss ${reference.losses.join(' → ')}`);
  console.log(
    `js: losses ${reference.losses.map((l) => l.toFixed(6)).join(' → ')}, ${reference.milliseconds.toFixed(0)} ms`,
  );
});

for (const mode of ['webasm', 'webgl2'] as const) {
  test(`gpu.js ${mode} gives the js step within float32 tolerance`, async () => {
    assert.ok(reference, 'the js step ran first');
    const result = await step(`backend=gpu&mode=${mode}`);
    assert.equal(result.backend, 'gpu');
    assert.equal(result.mode, mode);
    if (mode === 'webgl2') {
      assert.doesNotMatch(result.renderer, /^no WebGL2/, 'Chromium gives a WebGL2 context');
      assert.ok(result.webgl2Draws >= result.gpuRoutes!.matmul, `webgl2 draws: ${result.webgl2Draws}`);
    } else assert.equal(result.webgl2Draws, 0, 'webasm makes no WebGL draws');
    // 3 forward + 3 weight-gradient + 2 input-gradient matmuls a step (the input needs no gradient).
    assert.ok((result.gpuRoutes?.matmul ?? 0) >= 8 * 2, `gpu.js matmuls: ${result.gpuRoutes?.matmul}`);
    const lossError = Math.max(
      ...result.losses.map((loss, i) => Math.abs(loss - reference.losses[i]) / reference.losses[i]),
    );
    const parameterError = worst(result.parameters, reference.parameters);
    const gradientError = worst(result.gradients, reference.gradients);
    console.log(
      `${mode}: renderer ${result.renderer}; webgl2 draws ${result.webgl2Draws}; routes ${JSON.stringify(result.gpuRoutes)}; ` +
        `loss rel err ${lossError.toExponential(2)}, parameters ${parameterError.toExponential(2)}, ` +
        `gradients ${gradientError.toExponential(2)}; ${result.milliseconds.toFixed(0)} ms`,
    );
    assert.ok(lossError < 1e-5, `${mode}: loss relative error ${lossError}`);
    assert.ok(parameterError < 1e-5, `${mode}: parameter relative error ${parameterError}`);
    assert.ok(gradientError < 1e-4, `${mode}: gradient relative error ${gradientError}`);
  });
}

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
