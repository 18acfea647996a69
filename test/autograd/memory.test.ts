/**
 * Memory: backward releases the graph (closures and inputs dropped), and a 10 000-step
 * training loop keeps the heap flat — measured in a child `node --expose-gc` process
 * (heap-loop.ts), since a test worker cannot force a full gc.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type GradNode, grad, type Tensor, tensor } from '@xent/autograd';
import { describe, expect, it } from 'vitest';

/** Every node reachable from `output` (before it is freed). */
function nodesOf(output: Tensor): GradNode[] {
  const nodes: GradNode[] = [];
  const seen = new Set<Tensor>();
  const visit = (t: Tensor) => {
    if (seen.has(t) || t.gradFn === null) return;
    seen.add(t);
    nodes.push(t.gradFn);
    for (const input of t.gradFn.inputs) visit(input);
  };
  visit(output);
  return nodes;
}

function smallGraph(): { x: Tensor; loss: Tensor } {
  const x = tensor(
    [
      [0.1, -0.2],
      [0.3, 0.4],
    ],
    { dtype: 'float64', requiresGrad: true },
  );
  const w = tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'float64', requiresGrad: true },
  );
  const loss = x
    .matmul(w)
    .tanh()
    .logSoftmax()
    .gather(1, tensor([[0], [1]], { dtype: 'int32' }))
    .mean();
  return { x, loss };
}

describe('the graph is released after backward', () => {
  it('drops every node’s backward closure and inputs', () => {
    const { loss } = smallGraph();
    const nodes = nodesOf(loss);
    expect(nodes.map((n) => n.name)).toEqual(['div', 'sum', 'gather', 'logSoftmax', 'tanh', 'matmul']);
    loss.backward();
    for (const node of nodes) {
      expect(node.backward, node.name).toBeNull();
      expect(node.inputs, node.name).toEqual([]);
    }
  });

  it('keeps the graph with retainGraph, and with createGraph (which defaults retainGraph)', () => {
    for (const options of [{ retainGraph: true }, { createGraph: true }]) {
      const { loss } = smallGraph();
      const nodes = nodesOf(loss);
      loss.backward(undefined, options);
      for (const node of nodes) {
        expect(node.backward).not.toBeNull();
        expect(node.inputs.length).toBeGreaterThan(0);
      }
    }
  });

  it('grad() releases the nodes it ran', () => {
    const { x, loss } = smallGraph();
    const nodes = nodesOf(loss);
    grad(loss, x);
    for (const node of nodes) expect(node.backward).toBeNull();
  });
});

/** Runs heap-loop.ts in a child `node --expose-gc` and returns its JSON report. */
function runHeapLoop(...args: string[]) {
  const script = fileURLToPath(new URL('./heap-loop.ts', import.meta.url));
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // cwd = the repo root, so tsx resolves @xent/* through tsconfig paths to the sources.
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('heap stays flat over a 10 000-step training loop', () => {
  it('grows by less than 5% between warm-up and the end (child node --expose-gc)', () => {
    const report = runHeapLoop('10000', '2000');
    console.log(
      `heap after ${report.warmup} warm-up steps ${(report.heapAfterWarmup / 1e6).toFixed(2)} MB, ` +
        `after ${report.steps} steps ${(report.heapAtEnd / 1e6).toFixed(2)} MB ` +
        `(${(report.growth * 100).toFixed(2)}%), ${report.seconds.toFixed(1)} s`,
    );
    expect(report.steps).toBe(10_000);
    expect(report.growth).toBeLessThan(0.05);
    expect(report.intermediateCollected).toBe(true);
    // The loop really trained (so the graph was built and used every step).
    expect(report.lastLoss).toBeLessThan(report.firstLoss / 10);
  });

  it('sees a leak: keeping each step’s graph alive grows the heap far past the 5% bound (over 20%)', () => {
    const report = runHeapLoop('1500', '500', 'retain');
    expect(report.growth).toBeGreaterThan(0.2);
  });
});
