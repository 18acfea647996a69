/**
 * The tape. Each differentiable op records a {@link GradNode}: its inputs and a backward
 * closure that maps the output's gradient to one gradient per input, written with
 * differentiable Tensor ops. The engine walks nodes in reverse topological order, runs
 * the closures (under noGrad unless `createGraph`), and releases each node it has run
 * unless `retainGraph` — so after a backward nothing holds the forward's arrays.
 */
import { formatShape, ShapeError, ValueError } from '@xent/tensor';
import { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
import type { Tensor } from './tensor.js';

/** Maps the gradient of an op's output to the gradient of each input (null where none flows). */
export type BackwardFn = (gradOutput: Tensor) => (Tensor | null)[];

/** One recorded operation. */
export interface GradNode {
  /** The op's name, used in error messages and `gradFn.name`. */
  readonly name: string;
  /** The inputs, in the order `backward` returns their gradients; emptied when freed. */
  inputs: Tensor[];
  /** The backward closure; null once the graph has been freed. */
  backward: BackwardFn | null;
}

/** Options of `backward` and `grad`. */
export interface BackwardOptions {
  /** Keep the graph so another backward can run through it. Defaults to `createGraph`. */
  retainGraph?: boolean;
  /** Record the backward itself, so gradients can be differentiated again. */
  createGraph?: boolean;
}

/** True when a new op on `inputs` should be recorded. */
export function shouldRecord(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const input of inputs) if (input.requiresGrad) return true;
  return false;
}

/** Nodes reachable from `roots`, each after every node that consumes it (reverse topological). */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long RNN chains) must not overflow the call stack.
  const stack: { tensor: Tensor; next: number }[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    stack.push({ tensor: root, next: 0 });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const inputs = frame.tensor.gradFn?.inputs ?? [];
      if (frame.next < inputs.length) {
        const input = inputs[frame.next++];
        if (input.requiresGrad && !visited.has(input)) {
          visited.add(input);
          stack.push({ tensor: input, next: 0 });
        }
      } else {
        order.push(frame.tensor);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * Runs backward from `outputs` seeded with `gradOutputs`. Calls `deliver(tensor, grad)` for
 * every tensor in `targets` (leaves when `targets` is null) with its total gradient.
 */
export function runBackward(
  outputs: readonly Tensor[],
  gradOutputs: readonly Tensor[],
  options: BackwardOptions,
  targets: ReadonlySet<Tensor> | null,
  deliver: (tensor: Tensor, grad: Tensor) => void,
): void {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const grads = new Map<Tensor, Tensor>();
  for (const [i, output] of outputs.entries()) {
    const seed = gradOutputs[i];
    const previous = grads.get(output);
    grads.set(output, previous ? previous.add(seed) : seed);
  }
  const run = () => {
    const order = topologicalOrder(outputs);
    const needed = targets ? leadsToTargets(order, targets) : null;
    for (const tensor of order) {
      const grad = grads.get(tensor);
      if (grad === undefined) continue;
      grads.delete(tensor);
      const isTarget = targets ? targets.has(tensor) : tensor.gradFn === null;
      if (isTarget) deliver(tensor, grad);
      const node = tensor.gradFn;
      // `grad()` runs only the nodes between the outputs and its inputs (like torch).
      if (node === null || (needed !== null && !needed.has(tensor))) continue;
      if (node.backward === null) {
        throw new ValueError(
          `backward: the graph through '${node.name}' was already freed by an earlier backward; pass { retainGraph: true } to the first call to backward through it twice`,
        );
      }
      const inputGrads = node.backward(grad);
      node.inputs.forEach((input, i) => {
        let inputGrad = inputGrads[i];
        if (inputGrad === null || inputGrad === undefined || !input.requiresGrad) return;
        // A float32 input mixed with float64 operands still gets a float32 gradient.
        if (inputGrad.dtype !== input.dtype) inputGrad = inputGrad.to(input.dtype);
        if (!inputGrad.data.hasShape(input.data.view.shape)) {
          throw new ShapeError(
            `backward of '${node.name}': gradient for input ${i} has shape ${formatShape(inputGrad.shape)}, expected ${formatShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous ? previous.add(inputGrad) : inputGrad);
      });
      if (!retainGraph) {
        node.backward = null;
        node.inputs = [];
      }
    }
  };
  if (createGraph) enableGrad(run);
  else noGrad(run);
}

/**
 * The tensors in `order` (reverse topological) whose node must run to reach a target: those
 * with an input that is a target or itself leads to one (and freed nodes, which cannot tell).
 */
function leadsToTargets(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const reaches = new Set<Tensor>();
  for (let i = order.length - 1; i >= 0; i--) {
    const tensor = order[i];
    const node = tensor.gradFn;
    if (node === null) continue;
    // A freed node has forgotten its inputs; keep it so the run reports the freed graph.
    if (node.backward === null || node.inputs.some((input) => targets.has(input) || reaches.has(input))) {
      reaches.add(tensor);
    }
  }
  return reaches;
}
