import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const source = (name: string) =>
  fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url));

// The page imports the xent packages from source, so `pnpm playground` needs no build first.
export default defineConfig({
  base: './',
  resolve: {
    alias: {
      '@xent/tensor': source('tensor'),
      '@xent/autograd': source('autograd'),
      '@xent/nn': source('nn'),
      '@xent/losses': source('losses'),
    },
  },
  // Scan the worker too, so the dev server pre-bundles ndarray and gpu.js up front instead of
  // discovering them mid-run and reloading the page.
  optimizeDeps: { entries: ['index.html', 'src/worker.ts'] },
  // ES-module workers can load the gpu.js chunk on demand; the classic (iife) format cannot split.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { port: 5173 },
  preview: { port: 4173 },
});
