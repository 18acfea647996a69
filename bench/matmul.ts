/**
 * Matrix multiply throughput, float32, square N × N at N = 128 … 1024, in the three layouts a
 * training step uses: A·B (forward), A·Bᵀ (gradient of the input), Aᵀ·B (gradient of the
 * weights). xent through its public `matmul` (transposes are views; the kernel packs them)
 * beside tf.matMul with its transpose flags on the tfjs cpu and wasm backends.
 * xent is measured three ways: the default (wasm SIMD kernel, two threads for large products),
 * the wasm kernel on one thread, and the TypeScript kernel; the last two are extra rows
 * (`… [wasm 1 thread]`, `… [TS]`) with no tfjs figures. float64 at 512 (`… f64`, tfjs has none)
 * on the default and the TypeScript kernel, and two threads ÷ one in alternated pairs, follow.
 * Under XENT_BENCH_CLOCK=cpu the CPU time
 * of both threads counts, so the two-thread figure is then throughput per CPU-second, not speed.
 * Run alone: `pnpm exec tsx bench/matmul.ts`.
 */
import { Generator, matmul, type NDArray, rand } from '@xent/tensor';
import { type GemmKernel, setGemmKernel } from '../packages/tensor/src/kernels/gemm-select.ts';
import { gemmThreadsState, setGemmThreads } from '../packages/tensor/src/kernels/gemm-threads.ts';
import { opsPerSecond, type Result, type TfBackend, useTfBackend } from './harness.ts';

const SIZES = [128, 256, 512, 1024];

interface Layout {
  name: string;
  transA: boolean;
  transB: boolean;
}

/** The xent configurations measured: kernel, threads, and the suffix of their result rows. */
const XENT_VARIANTS: { kernel: GemmKernel; threads: boolean; suffix: string }[] = [
  { kernel: 'wasm', threads: true, suffix: '' },
  { kernel: 'wasm', threads: false, suffix: ' [wasm 1 thread]' },
  { kernel: 'ts', threads: false, suffix: ' [TS]' },
];

const LAYOUTS: Layout[] = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

/** xent's product of a (or aᵀ) and b (or bᵀ); a transpose is a strided view, never a copy. */
export function xentMatmul(a: NDArray, b: NDArray, transA: boolean, transB: boolean): NDArray {
  return matmul(transA ? a.transpose() : a, transB ? b.transpose() : b);
}

/** GFLOP/s of a square N × N product done `hz` times a second (2N³ flops each). */
function gflops(n: number, hz: number): number {
  return (hz * 2 * n ** 3) / 1e9;
}

function resultName(n: number, layout: Layout): string {
  return `matmul ${n} ${layout.name} f32`;
}

/** The largest |x − y| over two equally long arrays, relative to the largest |y|. */
function relativeDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    difference = Math.max(difference, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return difference / scale;
}

/**
 * float64 at 512 (tfjs has no float64 matmul): the default (the f64x2 wasm kernel, two threads)
 * and the TypeScript kernel.
 */
function benchFloat64({ n, a, b }: { n: number; a: NDArray; b: NDArray }): Result[] {
  const a64 = a.astype('float64');
  const b64 = b.astype('float64');
  const rows: Result[] = [];
  for (const layout of LAYOUTS) {
    for (const { kernel, suffix } of [
      { kernel: 'wasm' as GemmKernel, suffix: '' },
      { kernel: 'ts' as GemmKernel, suffix: ' [TS]' },
    ]) {
      const name = `matmul ${n} ${layout.name} f64${suffix}`;
      setGemmKernel(kernel);
      const { hz, rme } = opsPerSecond(`xent ${name}`, () => {
        xentMatmul(a64, b64, layout.transA, layout.transB);
      });
      console.log(`  xent       ${name}: ${gflops(n, hz).toFixed(2)} GFLOP/s ±${rme.toFixed(1)}%`);
      rows.push({
        name,
        unit: 'GFLOP/s',
        higherIsBetter: true,
        xent: gflops(n, hz),
        tfjsCpu: null,
        tfjsWasm: null,
      });
    }
  }
  setGemmKernel('wasm');
  return rows;
}

/** Products per layout and size in the paired two-thread measurement: about 2–3 s per row. */
const PAIRS: Record<number, number> = { 256: 200, 512: 80, 1024: 30 };

/**
 * Two threads ÷ one thread on the wasm kernel, from single products run in pairs, one thread then
 * two or the other way round. The two benchmark.js rows above are taken a minute apart, and this
 * 2-vCPU VM's speed drifts by ±20 % over that; the two products of a pair see the same host. The
 * figure is the median of the pairs' ratios; the quartiles are printed beside it.
 */
function pairedThreadRatios(operands: readonly { n: number; a: NDArray; b: NDArray }[]): Result[] {
  const rows: Result[] = [];
  setGemmKernel('wasm');
  for (const { n, a, b } of operands) {
    for (const layout of LAYOUTS) {
      const ratios: number[] = [];
      for (let i = 0; i < PAIRS[n]; i++) {
        const time = { one: 0, two: 0 };
        // Alternate which goes first, so neither always follows the other.
        for (const threads of i % 2 === 0 ? [false, true] : [true, false]) {
          setGemmThreads(threads);
          const start = performance.now();
          xentMatmul(a, b, layout.transA, layout.transB);
          time[threads ? 'two' : 'one'] = performance.now() - start;
        }
        ratios.push(time.one / time.two);
      }
      ratios.sort((x, y) => x - y);
      const quantile = (q: number) => ratios[Math.floor(q * (ratios.length - 1))];
      const name = `${resultName(n, layout)} [2 threads ÷ 1, median of ${PAIRS[n]} pairs]`;
      console.log(
        `  xent       ${name}: ${quantile(0.5).toFixed(2)}× (quartiles ${quantile(0.25).toFixed(2)}–${quantile(0.75).toFixed(2)})`,
      );
      rows.push({
        name,
        unit: '×',
        higherIsBetter: true,
        xent: quantile(0.5),
        tfjsCpu: null,
        tfjsWasm: null,
      });
    }
  }
  setGemmThreads(true);
  return rows;
}

/** Measures every size and layout; logs each figure as it lands. */
export async function benchMatmul(): Promise<Result[]> {
  const generator = new Generator(42);
  const operands = SIZES.map((n) => ({ n, a: rand([n, n], { generator }), b: rand([n, n], { generator }) }));
  const results = new Map<string, Result>();
  for (const { n } of operands) {
    for (const layout of LAYOUTS) {
      for (const { suffix } of XENT_VARIANTS) {
        const name = resultName(n, layout) + suffix;
        results.set(name, {
          name,
          unit: 'GFLOP/s',
          higherIsBetter: true,
          xent: null,
          tfjsCpu: null,
          tfjsWasm: null,
        });
      }
    }
  }

  // The worker thread starts with the first wasm product; give it time to be ready.
  xentMatmul(operands[0].a, operands[0].b, false, false);
  for (let waited = 0; gemmThreadsState() === 'starting' && waited < 5000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  console.log(`  xent gemm worker thread: ${gemmThreadsState()}`);

  for (const { n, a, b } of operands) {
    for (const layout of LAYOUTS) {
      for (const { kernel, threads, suffix } of XENT_VARIANTS) {
        const name = resultName(n, layout) + suffix;
        setGemmKernel(kernel);
        setGemmThreads(threads);
        const { hz, rme } = opsPerSecond(`xent ${name}`, () => {
          xentMatmul(a, b, layout.transA, layout.transB);
        });
        results.get(name)!.xent = gflops(n, hz);
        console.log(`  xent       ${name}: ${gflops(n, hz).toFixed(2)} GFLOP/s ±${rme.toFixed(1)}%`);
      }
    }
  }
  setGemmKernel('wasm');
  setGemmThreads(true);
  const float64 = benchFloat64(operands.find(({ n }) => n === 512)!);
  const ratios = pairedThreadRatios(operands.filter(({ n }) => n >= 256));

  for (const backend of ['cpu', 'wasm'] as TfBackend[]) {
    const tf = await useTfBackend(backend);
    if (!tf) {
      console.log(`  tfjs-${backend} could not start; its column stays empty`);
      continue;
    }
    for (const { n, a, b } of operands) {
      const tfA = tf.tensor2d(a.values() as Float32Array, [n, n]);
      const tfB = tf.tensor2d(b.values() as Float32Array, [n, n]);
      for (const layout of LAYOUTS) {
        const name = resultName(n, layout);
        const product = () => tf.matMul(tfA, tfB, layout.transA, layout.transB);
        if (n === SIZES[0]) {
          // Both sides must compute the same product before their speeds mean anything.
          const expected = xentMatmul(a, b, layout.transA, layout.transB).values();
          const actual = tf.tidy(product).dataSync();
          const difference = relativeDifference(actual, expected);
          if (difference > 1e-4) throw new Error(`${name}: tfjs-${backend} and xent differ by ${difference}`);
        }
        const { hz, rme } = opsPerSecond(`tfjs-${backend} ${name}`, () => {
          const c = product();
          c.dataSync();
          c.dispose();
        });
        const result = results.get(name)!;
        if (backend === 'cpu') result.tfjsCpu = gflops(n, hz);
        else result.tfjsWasm = gflops(n, hz);
        console.log(
          `  tfjs-${backend.padEnd(5)}${name}: ${gflops(n, hz).toFixed(2)} GFLOP/s ±${rme.toFixed(1)}%`,
        );
      }
      tf.dispose([tfA, tfB]);
    }
  }
  return [...results.values(), ...float64, ...ratios];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchMatmul());
