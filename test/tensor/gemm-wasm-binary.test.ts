import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryModuleSource, compileGemmWat } from '../../scripts/compile-wat.ts';

describe('the committed wasm gemm binary', () => {
  it('matches a fresh compile of gemm.wat (run `pnpm build:wasm` after editing the WAT)', async () => {
    const committed = readFileSync(
      new URL('../../packages/tensor/src/kernels/wasm/gemm-binary.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(binaryModuleSource(await compileGemmWat()));
  });
});
