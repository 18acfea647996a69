import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import the packages by name; resolve them to source so `pnpm test` needs no build.
export default defineConfig({
  resolve: {
    alias: {
      '@xent/tensor': src('tensor'),
      '@xent/autograd': src('autograd'),
      '@xent/nn': src('nn'),
      '@xent/losses': src('losses'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
