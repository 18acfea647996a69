/**
 * Hierarchical softmax over a label tree: each inner node has a softmax over its children, and
 * a leaf's probability is the product of the local probabilities on its root→leaf path. Mistakes
 * between siblings (two dog breeds) then cost less than mistakes across the tree.
 */
import { concat, indexSelect, logSoftmax, matmul, Tensor } from '@xent/autograd';
import { NDArray, ValueError } from '@xent/tensor';
import {
  checkFinite,
  checkFloatTensor,
  checkMinRank,
  checkReduction,
  checkShape,
  type IntTargetLike,
  type ReductionOptions,
  reduce,
} from './args.js';
import { toIntTarget } from './labels.js';

/** Options of {@link hierarchicalCrossEntropy}. */
export type HierarchicalCrossEntropyOptions = ReductionOptions;

/**
 * A rooted label tree. Nodes are numbered 0..numNodes−1; the leaves (childless nodes, in node
 * order) are the classes. `nodeLogits` hold one column per non-root node, in node order
 * (`numLogits = numNodes − 1`); {@link logitColumn} maps a node to its column.
 */
export class LabelTree {
  /** parents[i] = the parent of node i; -1 for the root. */
  readonly parents: readonly number[];
  /** Node names (from {@link fromPaths}, or given to {@link fromParents}; else the node number). */
  readonly nodeNames: readonly string[];
  /** The root node. */
  readonly root: number;
  /** The leaf nodes in node order: leaf j (class j) is node `leaves[j]`. */
  readonly leaves: readonly number[];
  /** children[i] = the children of node i, in node order. */
  readonly children: readonly (readonly number[])[];

  private constructor(parents: readonly number[], nodeNames: readonly string[], fn: string) {
    const n = parents.length;
    if (n < 2) throw new ValueError(`${fn}: parents has ${n} node(s), expected a root and at least one leaf`);
    const roots: number[] = [];
    parents.forEach((parent, node) => {
      if (parent === -1) roots.push(node);
      else if (!Number.isInteger(parent) || parent < 0 || parent >= n || parent === node) {
        throw new ValueError(
          `${fn}: parents[${node}] is ${parent}, expected -1 (root) or another node in [0, ${n})`,
        );
      }
    });
    if (roots.length !== 1) {
      throw new ValueError(
        roots.length === 0
          ? `${fn}: parents has no root (no entry is -1); expected exactly one`
          : `${fn}: parents has ${roots.length} roots (nodes ${roots.join(', ')} have parent -1); expected exactly one`,
      );
    }
    // Every node must reach the root within n steps; otherwise its ancestors form a cycle.
    for (let node = 0; node < n; node++) {
      let current = node;
      for (let steps = 0; parents[current] !== -1; steps++) {
        if (steps > n) {
          throw new ValueError(
            `${fn}: parents has a cycle through node ${current} (it never reaches the root)`,
          );
        }
        current = parents[current];
      }
    }
    const children: number[][] = parents.map(() => []);
    parents.forEach((parent, node) => {
      if (parent !== -1) children[parent].push(node);
    });
    this.parents = [...parents];
    this.nodeNames = nodeNames;
    this.root = roots[0];
    this.children = children;
    this.leaves = children.flatMap((kids, node) => (kids.length === 0 ? [node] : []));
  }

  /**
   * A tree from `parents[i]` = parent of node i (-1 for the one root). Throws on two roots, no
   * root, an out-of-range parent or a cycle. `names` optionally names the nodes.
   */
  static fromParents(parents: readonly number[], names?: readonly string[]): LabelTree {
    const fn = 'LabelTree.fromParents';
    if (!Array.isArray(parents)) {
      throw new ValueError(`${fn}: parents must be an array of node indices, got ${describe(parents)}`);
    }
    if (names !== undefined && !Array.isArray(names)) {
      throw new ValueError(`${fn}: names must be an array of strings, got ${describe(names)}`);
    }
    if (names !== undefined && names.length !== parents.length) {
      throw new ValueError(
        `LabelTree.fromParents: names has ${names.length} entries, expected one per node (${parents.length})`,
      );
    }
    return new LabelTree(parents, names ? [...names] : parents.map((_, i) => String(i)), fn);
  }

  /**
   * A tree from root→leaf paths of names, one per class, e.g.
   * `[['animal', 'mammal', 'cat'], ['animal', 'mammal', 'dog'], ['vehicle', 'car']]`.
   * An unnamed root (name '') is added above the first names; nodes are numbered in order of
   * first appearance, so leaf j is the end of `paths[j]`. A node is identified by its whole
   * path, so equal names under different parents are different nodes. Throws on an empty or
   * duplicate path, or a path that ends at another path's inner node.
   */
  static fromPaths(paths: readonly (readonly string[])[]): LabelTree {
    const fn = 'LabelTree.fromPaths';
    const parents: number[] = [-1];
    const names: string[] = [''];
    const ids = new Map<string, number>();
    const ends = new Map<number, number>();
    if (!Array.isArray(paths) || paths.length === 0) {
      throw new ValueError(
        `${fn}: paths is ${Array.isArray(paths) ? 'empty' : describe(paths)}, expected one root→leaf path of names per class`,
      );
    }
    paths.forEach((path, p) => {
      if (!Array.isArray(path) || path.length === 0) {
        throw new ValueError(
          `${fn}: paths[${p}] is ${Array.isArray(path) ? 'empty' : describe(path)}, expected an array of at least one name`,
        );
      }
      let parent = 0;
      path.forEach((name, depth) => {
        if (typeof name !== 'string') {
          throw new ValueError(`${fn}: paths[${p}][${depth}] is ${describe(name)}, expected a string`);
        }
        const key = JSON.stringify(path.slice(0, depth + 1));
        let id = ids.get(key);
        if (id === undefined) {
          id = parents.length;
          ids.set(key, id);
          parents.push(parent);
          names.push(name);
        }
        parent = id;
      });
      const previous = ends.get(parent);
      if (previous !== undefined) throw new ValueError(`${fn}: paths[${p}] repeats paths[${previous}]`);
      ends.set(parent, p);
    });
    const tree = new LabelTree(parents, names, fn);
    for (const [node, p] of ends) {
      if (tree.children[node].length > 0) {
        throw new ValueError(
          `${fn}: paths[${p}] ends at '${names[node]}', which is an inner node of another path`,
        );
      }
    }
    return tree;
  }

  /** Number of nodes, root included. */
  get numNodes(): number {
    return this.parents.length;
  }
  /** Number of leaves (classes). */
  get numLeaves(): number {
    return this.leaves.length;
  }
  /** Number of logit columns: one per non-root node. */
  get numLogits(): number {
    return this.parents.length - 1;
  }
  /** The names of the leaves, in class order. */
  get leafNames(): string[] {
    return this.leaves.map((node) => this.nodeNames[node]);
  }
  /** The `nodeLogits` column of a non-root node. */
  logitColumn(node: number): number {
    if (node === this.root || !Number.isInteger(node) || node < 0 || node >= this.numNodes) {
      throw new ValueError(
        `LabelTree.logitColumn: node ${node} is not a non-root node in [0, ${this.numNodes})`,
      );
    }
    return node < this.root ? node : node - 1;
  }
  /** The nodes from just below the root down to leaf `leaf` (a class index), inclusive. */
  pathTo(leaf: number): number[] {
    if (!Number.isInteger(leaf) || leaf < 0 || leaf >= this.numLeaves) {
      throw new ValueError(`LabelTree.pathTo: leaf is ${leaf}, expected a class in [0, ${this.numLeaves})`);
    }
    const path: number[] = [];
    for (let node = this.leaves[leaf]; node !== this.root; node = this.parents[node]) path.push(node);
    return path.reverse();
  }
}

/**
 * Log-probabilities of the leaves `[..., numLeaves]` from node logits `[..., numLogits]`:
 *   log P(leaf) = Σ over the nodes v on the root→leaf path of log softmax_{siblings}(z)_v,
 * i.e. a local logSoftmax among each inner node's children, summed along the path (a matmul
 * with the 0/1 path matrix). Each row logsumexps to 0. Composed from autograd ops.
 */
export function hierarchicalLogProbs(nodeLogits: Tensor, tree: LabelTree): Tensor {
  const fn = 'hierarchicalLogProbs';
  checkNodeLogits(fn, nodeLogits, tree);
  return leafLogProbs(nodeLogits, tree);
}

/**
 * Hierarchical softmax cross-entropy: for each row, the sum over the nodes on the root→leaf path
 * of the true leaf of the local softmax cross-entropy among that node's siblings — equal to
 * −log P(leaf) under {@link hierarchicalLogProbs}. `leafTarget` holds class (leaf) indices of
 * shape `nodeLogits.shape[:-1]`; `'mean'` averages over rows. The gradient is zero on every
 * node whose parent is off the true path. No PyTorch counterpart.
 */
export function hierarchicalCrossEntropy(
  nodeLogits: Tensor,
  leafTarget: IntTargetLike,
  tree: LabelTree,
  options: HierarchicalCrossEntropyOptions = {},
): Tensor {
  const fn = 'hierarchicalCrossEntropy';
  checkNodeLogits(fn, nodeLogits, tree);
  const reduction = checkReduction(fn, options.reduction);
  const lead = nodeLogits.shape.slice(0, -1);
  const labels = toIntTarget(fn, leafTarget, lead, tree.numLeaves, {
    name: 'leafTarget',
    logitsName: 'nodeLogits',
    logitsShape: nodeLogits.shape,
  });
  const logProbs = leafLogProbs(nodeLogits, tree);
  const picked = logProbs.gather(-1, labels.reshape([...lead, 1])).reshape(lead);
  return reduce(picked.neg(), reduction);
}

function checkNodeLogits(fn: string, nodeLogits: Tensor, tree: LabelTree): void {
  if (!(tree instanceof LabelTree)) throw new ValueError(`${fn}: tree must be a LabelTree`);
  checkFloatTensor(fn, 'nodeLogits', nodeLogits);
  checkMinRank(fn, 'nodeLogits', nodeLogits, 1);
  const shape = nodeLogits.shape;
  checkShape(
    fn,
    'nodeLogits',
    shape,
    [...shape.slice(0, -1), tree.numLogits],
    `the tree's ${tree.numLogits} non-root nodes`,
  );
  checkFinite(fn, 'nodeLogits', nodeLogits);
}

function leafLogProbs(nodeLogits: Tensor, tree: LabelTree): Tensor {
  // Local log-softmax of each inner node's children, concatenated, then put back in column order.
  const groups: Tensor[] = [];
  const order: number[] = [];
  tree.children.forEach((kids) => {
    if (kids.length === 0) return;
    const columns = kids.map((node) => tree.logitColumn(node));
    groups.push(logSoftmax(indexSelect(nodeLogits, -1, int32(columns))));
    order.push(...columns);
  });
  const inverse = new Array<number>(order.length);
  order.forEach((column, position) => {
    inverse[column] = position;
  });
  const local = indexSelect(concat(groups, -1), -1, int32(inverse));
  // paths[column, leaf] = 1 when the column's node lies on the root→leaf path.
  const paths = NDArray.empty([tree.numLogits, tree.numLeaves], nodeLogits.dtype);
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    for (const node of tree.pathTo(leaf)) paths.set([tree.logitColumn(node), leaf], 1);
  }
  return matmul(local, new Tensor(paths));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value === 'string' ? `'${value}'` : `${typeof value} ${String(value)}`;
}

function int32(values: readonly number[]): NDArray {
  const out = NDArray.empty([values.length], 'int32');
  (out.data as Int32Array).set(values);
  return out;
}
