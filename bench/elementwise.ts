/**
 * A large elementwise op: exp(a + b) over 10⁶ float32 values, two passes that each write a new
 * array, through xent's public `add` and `exp` beside tf.exp(tf.add(…)) on the tfjs cpu and wasm
 * backends. Run alone: `pnpm exec tsx bench/elementwise.ts`.
 */
import { add, exp, Generator, rand } from '@xent/tensor';
import { millisecondsPerCall, type Result, type TfBackend, useTfBackend } from './harness.ts';

const LENGTH = 1_000_000;

/** Milliseconds per exp(a + b) for xent and each tfjs backend. */
export async function benchElementwise(): Promise<Result[]> {
  const generator = new Generator(7);
  const a = rand([LENGTH], { generator });
  const b = rand([LENGTH], { generator });
  const result: Result = {
    name: 'exp(a + b) 1e6 f32',
    unit: 'ms',
    higherIsBetter: false,
    xent: null,
    tfjsCpu: null,
    tfjsWasm: null,
  };

  result.xent = millisecondsPerCall('xent exp(a + b)', () => {
    exp(add(a, b));
  });
  console.log(`  xent       ${result.name}: ${result.xent.toFixed(2)} ms`);

  for (const backend of ['cpu', 'wasm'] as TfBackend[]) {
    const tf = await useTfBackend(backend);
    if (!tf) continue;
    const tfA = tf.tensor1d(a.values() as Float32Array);
    const tfB = tf.tensor1d(b.values() as Float32Array);
    const ms = millisecondsPerCall(`tfjs-${backend} exp(a + b)`, () => {
      const out = tf.tidy(() => tf.exp(tf.add(tfA, tfB)));
      out.dataSync();
      out.dispose();
    });
    if (backend === 'cpu') result.tfjsCpu = ms;
    else result.tfjsWasm = ms;
    console.log(`  tfjs-${backend.padEnd(5)}${result.name}: ${ms.toFixed(2)} ms`);
    tf.dispose([tfA, tfB]);
  }
  return [result];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchElementwise());
