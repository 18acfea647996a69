/**
 * The playground in a real browser (Debian's headless Chromium driven by playwright-core):
 * builds the app, serves it, and checks that it loads without console errors, that 200 steps
 * lower the loss, that switching a loss redraws that variant's charts, and that every control
 * has a label. Saves screenshots at 1280×800 and phone width to test-results/.
 *
 * Run: pnpm --filter @xent/playground test (needs `apt-get install -y chromium`).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type LaunchedPage, launch } from '../../../test/browser/chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = fileURLToPath(new URL('../../../test-results/', import.meta.url));

let browser: LaunchedPage;
let page: Page;
let url = '';
const consoleErrors: string[] = [];
const consoleWarnings: string[] = [];

before(async () => {
  await import('../scripts/extract-digits.js'); // writes public/digits-2000.bin if it is missing
  browser = await launch({
    name: 'playground test',
    vite: { root, logLevel: 'warn' },
    args: ['--disable-gpu'],
    viewport: { width: 1280, height: 800 },
  });
  url = browser.url;
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const record = (where: string) => (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') consoleErrors.push(`${where}: ${message.text()}`);
    if (message.type() === 'warning') consoleWarnings.push(`${where}: ${message.text()}`);
  };
  page.on('console', record('page'));
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', record('worker')));
});

after(async () => {
  await browser?.close();
});

/** The numbers a variant panel exposes in its data attributes. */
async function panel(name: string): Promise<Record<string, string>> {
  return page.$eval(
    `#variant-${name}`,
    (element) => ({ ...(element as HTMLElement).dataset }) as Record<string, string>,
  );
}

async function waitUntilDone(name: string, steps: number): Promise<void> {
  await page.waitForFunction(
    ({ id, steps }) => {
      const element = document.getElementById(id);
      return element?.dataset.state === 'done' && element.dataset.step === String(steps);
    },
    { id: `variant-${name}`, steps },
    { timeout: 30_000, polling: 100 },
  );
}

/** PNG data URLs of a variant's four charts. */
async function charts(name: string): Promise<string[]> {
  return page.$$eval(`#variant-${name} canvas`, (canvases) =>
    canvases.map((canvas) => (canvas as HTMLCanvasElement).toDataURL()),
  );
}

test('the page loads with labelled controls and no console errors', async () => {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#variant-B canvas');
  assert.equal(await page.title(), 'xent playground — cross-entropy variants, live');
  const unlabelled = await page.$$eval('select, input, button', (controls) =>
    controls
      .filter((control) => {
        const labels = (control as HTMLInputElement).labels;
        return control.tagName !== 'BUTTON' ? !labels || labels.length === 0 : !control.textContent?.trim();
      })
      .map((control) => control.id),
  );
  assert.deepEqual(unlabelled, [], 'every control has a label');
  assert.deepEqual(consoleErrors, []);
});

test('200 steps lower the loss of both variants', async () => {
  await page.selectOption('#dataset', 'spirals');
  await page.fill('#steps', '200');
  await page.press('#steps', 'Enter'); // Enter in the form submits it: keyboard-only training
  await Promise.all([waitUntilDone('A', 200), waitUntilDone('B', 200)]);
  for (const name of ['A', 'B']) {
    const data = await panel(name);
    const [firstBatch, lastBatch] = [Number(data.firstBatchLoss), Number(data.lastBatchLoss)];
    const [firstTest, lastTest] = [Number(data.firstTestLoss), Number(data.lastTestLoss)];
    assert.ok(lastBatch < 0.7 * firstBatch, `variant ${name}: batch loss ${firstBatch} → ${lastBatch}`);
    assert.ok(lastTest < 0.7 * firstTest, `variant ${name}: held-out loss ${firstTest} → ${lastTest}`);
    assert.equal(data.backend, 'js');
  }
  assert.equal((await panel('A')).loss, 'ce');
  assert.equal((await panel('B')).loss, 'smoothing');
  mkdirSync(results, { recursive: true });
  await page.screenshot({ path: join(results, 'playground.png') });
  assert.deepEqual(consoleErrors, []);
});

test('switching a loss retrains that variant and updates its charts', async () => {
  const before = { A: await charts('A'), B: await charts('B'), about: await page.textContent('#B-about') };
  const drawsA = (await panel('A')).draws;
  await page.selectOption('#B-loss', 'focal');
  assert.equal(await page.isVisible('#B-gamma'), true, 'the focal loss shows its γ control');
  assert.equal(await page.isVisible('#B-epsilon'), false, 'and hides label smoothing’s ε');
  await page.waitForFunction(() => document.getElementById('variant-B')?.dataset.state === 'running');
  await waitUntilDone('B', 200);
  const after = await charts('B');
  assert.equal((await panel('B')).loss, 'focal');
  assert.notEqual(await page.textContent('#B-about'), before.about);
  for (const [i, chart] of ['loss', 'regions', 'recall', 'reliability'].entries()) {
    assert.notEqual(after[i], before.B[i], `variant B's ${chart} chart was redrawn`);
  }
  assert.deepEqual(await charts('A'), before.A, 'variant A is untouched');
  assert.equal((await panel('A')).draws, drawsA);
  assert.deepEqual(consoleErrors, []);
});

test('the multi-label set trains K sigmoids against a softmax and reads at phone width', async () => {
  await page.selectOption('#dataset', 'blobs');
  await Promise.all([waitUntilDone('A', 200), waitUntilDone('B', 200)]);
  const [sigmoid, softmax] = [await panel('A'), await panel('B')];
  assert.equal(sigmoid.loss, 'sigmoid');
  assert.equal(softmax.loss, 'softmax');
  assert.ok(Number(sigmoid.lastTestLoss) < Number(sigmoid.firstTestLoss));
  await page.locator('#variants').screenshot({ path: join(results, 'playground-blobs.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
  await page.screenshot({ path: join(results, 'playground-phone.png'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test('the gpu backend loads gpu.js on demand and trains', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.selectOption('#dataset', 'moons');
  await page.selectOption('#backend', 'gpu');
  await Promise.all([waitUntilDone('A', 200), waitUntilDone('B', 200)]);
  const data = await panel('A');
  assert.match(
    data.backend,
    /^gpu \(gpu\.js \w+\)$/,
    `backend was ${data.backend}; ${consoleWarnings.join('; ')}`,
  );
  assert.ok(Number(data.lastTestLoss) < Number(data.firstTestLoss));
  await page.locator('#variants').screenshot({ path: join(results, 'playground-moons.png') });
  assert.deepEqual(consoleErrors, []);
});

test('the MNIST subset loads from the built asset and trains', async () => {
  await page.selectOption('#backend', 'js');
  await page.selectOption('#dataset', 'digits');
  await Promise.all([waitUntilDone('A', 200), waitUntilDone('B', 200)]);
  const [ce, focal] = [await panel('A'), await panel('B')];
  assert.equal(ce.loss, 'ce');
  assert.equal(focal.loss, 'focal');
  assert.ok(
    Number(ce.lastTestLoss) < 0.5 * Number(ce.firstTestLoss),
    `${ce.firstTestLoss} → ${ce.lastTestLoss}`,
  );
  assert.match((await page.textContent('#A-status')) ?? '', /accuracy (8|9)\d\.\d%/);
  await page.locator('#variant-A').screenshot({ path: join(results, 'playground-digits.png') });
  assert.deepEqual(consoleErrors, []);
});
