/**
 * Softmax cross-entropy forward + backward on float32 logits [4096, 1000] with integer targets —
 * the hot path of every classifier: xent's `crossEntropy` (fused kernel, one autograd node) then
 * `backward()`, beside TensorFlow.js `tf.losses.softmaxCrossEntropy` under `tf.valueAndGrad` on
 * its cpu and wasm backends, in the same process. Before timing, the three are checked to agree
 * (loss and gradient). Run alone: `pnpm exec tsx bench/cross-entropy.ts`.
 */
import { Tensor } from '@xent/autograd';
import { crossEntropy } from '@xent/losses';
import { Generator, randint, randn } from '@xent/tensor';
import { millisecondsPerCall, type Result, type TfBackend, useTfBackend } from './harness.ts';

const ROWS = 4096;
const CLASSES = 1000;
const NAME = `softmax cross-entropy fwd+bwd [${ROWS}, ${CLASSES}] f32`;

/** The largest |x − y| over two equally long arrays. */
function maxDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

/** Milliseconds per forward + backward for xent, tfjs-cpu and tfjs-wasm; logs each as it lands. */
export async function benchCrossEntropy(): Promise<Result[]> {
  const generator = new Generator(0);
  const logitsData = randn([ROWS, CLASSES], { generator });
  const targets = randint(0, CLASSES, [ROWS], { generator });
  const result: Result = {
    name: NAME,
    unit: 'ms',
    higherIsBetter: false,
    xent: null,
    tfjsCpu: null,
    tfjsWasm: null,
  };

  const xentStep = () => {
    const logits = new Tensor(logitsData, { requiresGrad: true });
    const loss = crossEntropy(logits, targets);
    loss.backward();
    return { loss: loss.item(), grad: logits.grad!.data.values() };
  };
  const reference = xentStep();
  result.xent = millisecondsPerCall(`xent ${NAME}`, xentStep);
  console.log(`  xent       ${NAME}: ${result.xent.toFixed(1)} ms`);

  for (const backend of ['cpu', 'wasm'] as TfBackend[]) {
    const tf = await useTfBackend(backend);
    if (!tf) {
      console.log(`  tfjs-${backend} could not start; its column stays empty`);
      continue;
    }
    const logits = tf.tensor2d(logitsData.values() as Float32Array, [ROWS, CLASSES]);
    const oneHot = tf.oneHot(tf.tensor1d(targets.values() as Int32Array, 'int32'), CLASSES);
    const lossAndGrad = tf.valueAndGrad((x: import('@tensorflow/tfjs').Tensor) =>
      tf.losses.softmaxCrossEntropy(oneHot, x).asScalar(),
    );
    const tfStep = () => {
      const { value, grad } = lossAndGrad(logits);
      const out = { loss: value.dataSync()[0], grad: grad.dataSync() };
      tf.dispose([value, grad]);
      return out;
    };
    const check = tfStep();
    const lossGap = Math.abs(check.loss - reference.loss);
    const gradGap = maxDifference(check.grad, reference.grad);
    if (lossGap > 1e-4 || gradGap > 1e-10) {
      throw new Error(
        `cross-entropy bench: tfjs-${backend} disagrees with xent (loss ${lossGap}, grad ${gradGap})`,
      );
    }
    const options = backend === 'cpu' ? { maxTime: 1, minSamples: 2 } : {};
    const ms = millisecondsPerCall(`tfjs-${backend} ${NAME}`, tfStep, options);
    if (backend === 'cpu') result.tfjsCpu = ms;
    else result.tfjsWasm = ms;
    console.log(
      `  tfjs-${backend.padEnd(5)}${NAME}: ${ms.toFixed(1)} ms (xent ${(ms / result.xent).toFixed(2)}× faster)`,
    );
    tf.dispose([logits, oneHot]);
  }
  return [result];
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCrossEntropy();
