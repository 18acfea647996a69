/**
 * What autograd costs. (a) A chain of 1 000 small ops ([64]-element add / mul / tanh) as
 * @xent/tensor NDArray ops with no graph, as Tensor ops recording a graph, and recorded plus
 * backward; prints the ratios to the bare NDArray chain. (b) Forward + backward of a
 * 784→256→10 MLP (matmul + bias + relu + logSoftmax + gather mean) on a float32 batch of
 * 128, in steps/s. Run by hand: `pnpm exec tsx bench/autograd.ts`. Reports medians of timed
 * runs after a warm-up.
 */
import { noGrad, Tensor } from '@xent/autograd';
import * as nd from '@xent/tensor';
import { Generator } from '@xent/tensor';

const CHAIN_LINKS = 334; // 334 × (add, mul, tanh) ≈ 1 000 ops
const WIDTH = 64;
const [BATCH, INPUTS, HIDDEN, CLASSES] = [128, 784, 256, 10];

/** Median wall time in ms of `run` over `repeats` calls after `warmup` untimed ones. */
function median(run: () => unknown, repeats: number, warmup = 5): number {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** (a): ms per 1 000-op chain for each variant, and the ratios to bare NDArrays. */
function benchChain(): Record<string, number> {
  const generator = new Generator(0);
  const start = nd.randn([WIDTH], { generator });
  const shift = nd.randn([WIDTH], { generator });
  const leaf = new Tensor(start, { requiresGrad: true });
  const shiftTensor = new Tensor(shift);

  const ndarrayChain = () => {
    let x = start;
    for (let i = 0; i < CHAIN_LINKS; i++) x = nd.tanh(nd.mul(nd.add(x, shift), 0.5));
    return x;
  };
  const tensorChain = () => {
    let x = leaf;
    for (let i = 0; i < CHAIN_LINKS; i++) x = x.add(shiftTensor).mul(0.5).tanh();
    return x;
  };
  const backwardChain = () => {
    tensorChain().sum().backward();
    leaf.grad = null;
  };
  // Warm every variant up first, so the shared NDArray kernels are equally hot for all four.
  for (const run of [ndarrayChain, tensorChain, backwardChain]) median(run, 1, 50);
  const ndarray = median(ndarrayChain, 300);
  const underNoGrad = median(() => noGrad(tensorChain), 300);
  const recorded = median(tensorChain, 300);
  const withBackward = median(backwardChain, 300);

  console.log(`chain of 1 000 ops on [${WIDTH}] (add, mul, tanh), median ms per chain`);
  const rows: [string, number][] = [
    ['NDArray ops, no graph', ndarray],
    ['Tensor ops under noGrad', underNoGrad],
    ['Tensor ops recording', recorded],
    ['recording + backward', withBackward],
  ];
  for (const [name, ms] of rows) {
    console.log(`  ${name.padEnd(26)}${ms.toFixed(3).padStart(9)} ms  ${(ms / ndarray).toFixed(2)}x NDArray`);
  }
  return { ndarray, underNoGrad, recorded, withBackward };
}

/** (b): steps/s of forward + backward of the MLP. */
function benchMlp(): Record<string, number> {
  const generator = new Generator(1);
  const param = (shape: number[], scale: number) =>
    new Tensor(nd.mul(nd.randn(shape, { generator }), scale), { requiresGrad: true });
  const w1 = param([INPUTS, HIDDEN], 1 / Math.sqrt(INPUTS));
  const b1 = param([HIDDEN], 0.01);
  const w2 = param([HIDDEN, CLASSES], 1 / Math.sqrt(HIDDEN));
  const b2 = param([CLASSES], 0.01);
  const images = new Tensor(nd.rand([BATCH, INPUTS], { generator }));
  const labels = nd.randint(0, CLASSES, [BATCH, 1], { generator });

  const forwardOnly = median(
    () => noGrad(() => images.matmul(w1).add(b1).relu().matmul(w2).add(b2).logSoftmax()),
    30,
  );
  const step = median(() => {
    const logProbs = images.matmul(w1).add(b1).relu().matmul(w2).add(b2).logSoftmax();
    logProbs.gather(1, labels).mean().neg().backward();
    for (const p of [w1, b1, w2, b2]) p.grad = null;
  }, 30);

  console.log(
    `MLP ${INPUTS}→${HIDDEN}→${CLASSES}, batch ${BATCH}, float32 (matmul + bias + relu + logSoftmax + gather mean)`,
  );
  console.log(`  forward (noGrad)      ${forwardOnly.toFixed(2).padStart(8)} ms`);
  console.log(
    `  forward + backward    ${step.toFixed(2).padStart(8)} ms  ${(1000 / step).toFixed(1)} steps/s`,
  );
  return { forwardOnly, step, stepsPerSecond: 1000 / step };
}

/** Runs both parts and returns their numbers. */
export async function benchAutograd(): Promise<Record<string, number>> {
  const chain = benchChain();
  const mlp = benchMlp();
  return {
    ...Object.fromEntries(Object.entries(chain).map(([k, v]) => [`chain.${k}`, v])),
    ...Object.fromEntries(Object.entries(mlp).map(([k, v]) => [`mlp.${k}`, v])),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAutograd();
