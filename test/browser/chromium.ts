/**
 * The headless-Chromium plumbing shared by the browser tests (this package's training step and
 * the playground's test): build a page with vite into a temporary directory, serve it on a free
 * port, and open Debian's Chromium (driven by playwright-core) on a fresh profile.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { build, type InlineConfig } from 'vite';

/** Debian's Chromium (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags every test launches with; each adds its own GPU flags. */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** A static file server for `directory` on a free port of 127.0.0.1. */
function serve(directory: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(directory, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(directory) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What {@link launch} needs to know about one test. */
export interface LaunchOptions {
  /** The test's name, for the missing-Chromium message and the temporary directories. */
  name: string;
  /** The vite build of the page; `build.outDir` is set to a temporary directory. */
  vite: InlineConfig;
  /** Chromium flags added to the common ones (GPU / WebGL choices). */
  args: readonly string[];
  /** The initial viewport (playwright's default 1280×720 when omitted). */
  viewport?: { width: number; height: number };
}

/** A built, served page and the browser open on it; `close()` stops both and deletes the files. */
export interface LaunchedPage {
  /** The served page, `http://127.0.0.1:<port>/`. */
  url: string;
  /** The persistent browser context (one profile per launch). */
  context: BrowserContext;
  /** Closes the browser and the server and removes the build and the profile. */
  close(): Promise<void>;
}

/**
 * Builds the page, serves it and launches headless Chromium. Throws with the install
 * command when Chromium is missing.
 */
export async function launch(options: LaunchOptions): Promise<LaunchedPage> {
  const { name } = options;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${name}: ${CHROMIUM} is missing. Install Debian's Chromium with \`apt-get install -y chromium\` (CI does this in .ci/run).`,
    );
  }
  const slug = name.replaceAll(' ', '-');
  const outDir = mkdtempSync(join(tmpdir(), `xent-${slug}-dist-`));
  const directories = [outDir];
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    server?.close();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  };
  try {
    await build({
      ...options.vite,
      build: { ...options.vite.build, outDir, emptyOutDir: true },
    });
    server = await serve(outDir);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const profile = mkdtempSync(join(tmpdir(), `xent-${slug}-profile-`));
    directories.push(profile);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...BASE_ARGS, ...options.args],
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    return { url, context, close };
  } catch (error) {
    await close();
    throw error;
  }
}
