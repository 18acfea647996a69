/**
 * Regenerates packages/tensor/src/kernels/wasm/gemm-binary.ts from gemm.wat, so the package ships
 * the kernel's bytes as TypeScript and needs no build step (or wabt) to run from source.
 * Run by `pnpm build` (and alone by `pnpm build:wasm`).
 */
import { writeFileSync } from 'node:fs';
import { binaryModuleSource, compileGemmWat } from './compile-wat.ts';

const target = new URL('../packages/tensor/src/kernels/wasm/gemm-binary.ts', import.meta.url);
const binaries = await compileGemmWat();
writeFileSync(target, binaryModuleSource(binaries));
console.log(
  `wrote ${target.pathname}: ${binaries.shared.length} + ${binaries.unshared.length} bytes of wasm`,
);
