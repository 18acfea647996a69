/**
 * Softmax cross-entropy forward + backward on float32 logits [4096, 1000] with integer targets:
 * xent's fused `crossEntropy` beside TensorFlow.js (`tf.losses.softmaxCrossEntropy` under
 * `tf.valueAndGrad`) on its cpu and wasm backends, in the same process. Run by hand:
 * `pnpm exec tsx bench/cross-entropy.ts`. Reports the median of timed runs after a warm-up.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Tensor } from '@xent/autograd';
import { crossEntropy } from '@xent/losses';
import { Generator, randint, randn } from '@xent/tensor';

const ROWS = 4096;
const CLASSES = 1000;

/** Median wall time in ms of `run` over `repeats` calls after `warmup` untimed ones. */
async function median(run: () => unknown | Promise<unknown>, repeats: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Times the three implementations and prints ms and ratios; returns the medians. */
export async function benchCrossEntropy(): Promise<Record<string, number>> {
  const generator = new Generator(0);
  const logitsData = randn([ROWS, CLASSES], { generator });
  const targets = randint(0, CLASSES, [ROWS], { generator });

  const xent = await median(() => {
    const logits = new Tensor(logitsData, { requiresGrad: true });
    crossEntropy(logits, targets).backward();
    return logits.grad;
  }, 15);

  const results: Record<string, number> = { xent };
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await tf.setBackend(backend))) continue;
    await tf.ready();
    const logits = tf.tensor2d(logitsData.values() as Float32Array, [ROWS, CLASSES]);
    const oneHot = tf.oneHot(tf.tensor1d(targets.values() as Int32Array, 'int32'), CLASSES);
    const lossAndGrad = tf.valueAndGrad(
      (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(oneHot, x) as tf.Scalar,
    );
    results[`tfjs-${backend}`] = await median(
      async () => {
        const { value, grad } = lossAndGrad(logits);
        await Promise.all([value.data(), grad.data()]);
        tf.dispose([value, grad]);
      },
      backend === 'cpu' ? 3 : 15,
      1,
    );
    tf.dispose([logits, oneHot]);
  }

  console.log(`softmax cross-entropy fwd+bwd, float32 [${ROWS}, ${CLASSES}], int targets (median ms)`);
  for (const [name, ms] of Object.entries(results)) {
    const ratio = name === 'xent' ? '' : `  xent is ${(ms / xent).toFixed(2)}x faster`;
    console.log(`  ${name.padEnd(10)}${ms.toFixed(1).padStart(9)} ms${ratio}`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCrossEntropy();
