/**
 * Child-process script of memory.test.ts (run as `node --expose-gc --import tsx`): trains a
 * 2-layer MLP with manual SGD for `steps` steps and prints, as one JSON line, the heap used
 * after warm-up and at the end (each after a full gc), plus whether an intermediate tensor
 * of a finished step was collected. Arguments: steps, warm-up steps, and optionally 'retain'.
 */

import { noGrad, randint, randn, type Tensor, zeros } from '@xent/autograd';
import { manualSeed } from '@xent/tensor';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('heap-loop.ts: run with node --expose-gc');

const steps = Number(process.argv[2] ?? 10_000);
const warmup = Number(process.argv[3] ?? 2_000);
// 'retain': keep every step's loss with its graph (retainGraph), a deliberate leak that
// shows the measurement can see one.
const retain = process.argv[4] === 'retain';
const retained: Tensor[] = [];
const [batch, inputs, hidden, classes] = [16, 8, 16, 4];

manualSeed(0);
const w1 = randn([inputs, hidden]).mul(0.3).requiresGrad_();
const b1 = zeros([hidden], { requiresGrad: true });
const w2 = randn([hidden, classes]).mul(0.3).requiresGrad_();
const b2 = zeros([classes], { requiresGrad: true });
const parameters = [w1, b1, w2, b2];
const x = randn([batch, inputs]);
const labels = randint(0, classes, [batch, 1]);

function step(): { loss: number; hiddenActivation: Tensor } {
  const hiddenActivation = x.matmul(w1).add(b1).relu();
  const logProbs = hiddenActivation.matmul(w2).add(b2).logSoftmax();
  const loss = logProbs.gather(1, labels).mean().neg();
  loss.backward(undefined, { retainGraph: retain });
  if (retain) retained.push(loss);
  noGrad(() => {
    for (const p of parameters) {
      if (p.grad === null) continue;
      p.data = p.sub(p.grad.mul(0.05)).data;
      p.grad = null;
    }
  });
  return { loss: loss.item(), hiddenActivation };
}

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const started = performance.now();
let firstLoss = 0;
let lastLoss = 0;
let probe: WeakRef<Tensor> | null = null;
let heapAfterWarmup = 0;
for (let i = 0; i < steps; i++) {
  const { loss, hiddenActivation } = step();
  if (i === 0) firstLoss = loss;
  lastLoss = loss;
  if (i === warmup - 1) {
    probe = new WeakRef(hiddenActivation);
    heapAfterWarmup = heapUsed();
  }
}
// A WeakRef target stays alive until the current job ends: yield before looking at it.
await new Promise((resolve) => setTimeout(resolve, 0));
const heapAtEnd = heapUsed();
console.log(
  JSON.stringify({
    steps,
    warmup,
    heapAfterWarmup,
    heapAtEnd,
    growth: (heapAtEnd - heapAfterWarmup) / heapAfterWarmup,
    intermediateCollected: probe !== null && probe.deref() === undefined,
    firstLoss,
    lastLoss,
    seconds: (performance.now() - started) / 1000,
  }),
);
