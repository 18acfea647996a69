/**
 * One full training step of the issue-8 MLP: 784→256→ReLU→10 on a float32 batch of 128,
 * `crossEntropy` (from @xent/losses) and Adam (from @xent/nn), i.e. forward, backward,
 * `opt.step()` and `opt.zeroGrad()`, in steps/s. TensorFlow.js runs the same step with
 * `tf.train.adam(...).minimize` on its cpu and wasm backends, in its own best weight layout
 * ([in, out], so its forward is a plain A·B). Both sides start from the same weights, and the
 * first step's loss is checked to agree before timing.
 * Run alone: `pnpm exec tsx bench/mlp-step.ts`.
 */
import { Tensor } from '@xent/autograd';
import { crossEntropy } from '@xent/losses';
import { Adam, Linear, ReLU, Sequential } from '@xent/nn';
import * as nd from '@xent/tensor';
import { Generator } from '@xent/tensor';
import { opsPerSecond, type Result, type TfBackend, useTfBackend } from './harness.ts';

const [BATCH, INPUTS, HIDDEN, CLASSES] = [128, 784, 256, 10];
const NAME = `MLP ${INPUTS}-${HIDDEN}-${CLASSES} train step (CE + Adam), batch ${BATCH} f32`;
const LEARNING_RATE = 1e-3;

/** The steps/s of xent, tfjs-cpu and tfjs-wasm on the full training step. */
export async function benchMlpStep(): Promise<Result[]> {
  const generator = new Generator(2);
  const first = new Linear(INPUTS, HIDDEN, { generator });
  const second = new Linear(HIDDEN, CLASSES, { generator });
  const model = new Sequential(first, new ReLU(), second);
  // tfjs gets copies of the initial weights, taken before xent's first step changes them.
  const initial = [first.weight, first.bias, second.weight, second.bias].map((p) =>
    (p as Tensor).data.clone(),
  );
  const optimizer = new Adam(model.parameters(), { lr: LEARNING_RATE });
  const imagesData = nd.rand([BATCH, INPUTS], { generator });
  const labels = nd.randint(0, CLASSES, [BATCH], { generator });
  const images = new Tensor(imagesData);

  const xentStep = () => {
    const loss = crossEntropy(model.forward(images), labels);
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();
    return loss.item();
  };
  const firstLoss = xentStep();
  const result: Result = {
    name: NAME,
    unit: 'steps/s',
    higherIsBetter: true,
    xent: opsPerSecond(`xent ${NAME}`, xentStep).hz,
    tfjsCpu: null,
    tfjsWasm: null,
  };
  console.log(`  xent       ${NAME}: ${result.xent?.toFixed(1)} steps/s`);

  for (const backend of ['cpu', 'wasm'] as TfBackend[]) {
    const tf = await useTfBackend(backend);
    if (!tf) {
      console.log(`  tfjs-${backend} could not start; its column stays empty`);
      continue;
    }
    const [w1, b1, w2, b2] = initial;
    const variables = [
      tf.variable(tf.transpose(tf.tensor2d(w1.values() as Float32Array, [HIDDEN, INPUTS]))),
      tf.variable(tf.tensor1d(b1.values() as Float32Array)),
      tf.variable(tf.transpose(tf.tensor2d(w2.values() as Float32Array, [CLASSES, HIDDEN]))),
      tf.variable(tf.tensor1d(b2.values() as Float32Array)),
    ];
    const [tw1, tb1, tw2, tb2] = variables;
    const x = tf.tensor2d(imagesData.values() as Float32Array, [BATCH, INPUTS]);
    const oneHot = tf.oneHot(tf.tensor1d(labels.values() as Int32Array, 'int32'), CLASSES);
    const tfOptimizer = tf.train.adam(LEARNING_RATE, 0.9, 0.999, 1e-8);
    const tfStep = () => {
      const cost = tfOptimizer.minimize(() => {
        const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, tw1), tb1)), tw2), tb2);
        return tf.losses.softmaxCrossEntropy(oneHot, logits);
      }, true);
      const value = cost?.dataSync()[0] ?? Number.NaN;
      cost?.dispose();
      return value;
    };
    const tfFirstLoss = tfStep();
    if (Math.abs(tfFirstLoss - firstLoss) > 1e-4) {
      throw new Error(`mlp-step bench: tfjs-${backend} first loss ${tfFirstLoss}, xent ${firstLoss}`);
    }
    const options = backend === 'cpu' ? { maxTime: 1, minSamples: 2 } : {};
    const hz = opsPerSecond(`tfjs-${backend} ${NAME}`, tfStep, options).hz;
    if (backend === 'cpu') result.tfjsCpu = hz;
    else result.tfjsWasm = hz;
    console.log(
      `  tfjs-${backend.padEnd(5)}${NAME}: ${hz.toFixed(1)} steps/s (xent ${((result.xent ?? 0) / hz).toFixed(2)}×)`,
    );
    tfOptimizer.dispose();
    tf.dispose([...variables, x, oneHot]);
  }
  return [result];
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMlpStep();
