/**
 * A Backend that sends each op to gpu.js or to the js backend. Only float32, contiguous
 * operands of ops gpu.js implements are eligible; among those, an op runs on gpu when its
 * work reaches the threshold for its kernel class (a gpu.js call costs 0.2–4 ms, so small
 * ops always lose). `gpu` uses fixed thresholds, `auto` measured ones.
 */
import type { Backend } from '../../backend.js';
import type { NDArray } from '../../ndarray.js';
import { jsBackend } from '../js.js';
import { type BinaryLayout, type GpuKernels, hasGpuBinary, hasGpuReduce, hasGpuUnary } from './kernels.js';

/** The kernel classes routing decides for. */
export type KernelClass = 'matmul' | 'unary' | 'binary' | 'reduce' | 'softmax';

/** All kernel classes, in report order. */
export const KERNEL_CLASSES: readonly KernelClass[] = ['matmul', 'unary', 'binary', 'reduce', 'softmax'];

/**
 * Work of one op, the unit thresholds are in: multiply-adds (batch·m·n·k) for matmul,
 * elements processed for the rest.
 */
export type Work = number;

/** Where an op ran, counted per kernel class (for tests and the bench report). */
export interface RouteCounts {
  gpu: Record<KernelClass, number>;
  js: Record<KernelClass, number>;
}

function isFloat32(...arrays: NDArray[]): boolean {
  return arrays.every((x) => x.dtype === 'float32');
}

/** A routed backend named `name`; `threshold(cls)` gives the minimum work that goes to gpu. */
export function routedBackend(
  name: string,
  kernels: GpuKernels,
  threshold: (cls: KernelClass, work: Work) => number,
  counts: RouteCounts,
): Backend {
  // Counts every call, eligible or not, so tests can see where each op went.
  const useGpu = (cls: KernelClass, eligible: boolean, work: Work): boolean => {
    // Empty operands stay on js: gpu.js rejects zero-sized outputs and arguments.
    const onGpu = eligible && work > 0 && work >= threshold(cls, work);
    counts[onGpu ? 'gpu' : 'js'][cls]++;
    return onGpu;
  };
  return {
    name,
    unary(op, a, out, p, q) {
      if (useGpu('unary', hasGpuUnary(op) && isFloat32(a, out) && a.isContiguous, out.size)) {
        kernels.unary(op, a, out, p, q);
      } else jsBackend.unary(op, a, out, p, q);
    },
    binary(op, a, b, out) {
      const layout = binaryLayout(a, b);
      // A broadcast scalar is passed to the kernel as a number, whatever its dtype (a JS number
      // operand arrives as a float64 scalar); full operands must be float32.
      const arrays = layout === 'scalarFirst' ? [b, out] : layout === 'scalarSecond' ? [a, out] : [a, b, out];
      if (useGpu('binary', layout !== null && hasGpuBinary(op) && isFloat32(...arrays), out.size)) {
        kernels.binary(op, layout!, a, b, out);
      } else jsBackend.binary(op, a, b, out);
    },
    reduce(op, a, outer, inner, out) {
      if (useGpu('reduce', hasGpuReduce(op) && isFloat32(a, out), outer * inner)) {
        kernels.reduce(op, a, outer, inner, out);
      } else jsBackend.reduce(op, a, outer, inner, out);
    },
    // Reductions over leading or middle axes (the bias gradient) have no gpu kernel; passing
    // them through keeps js's in-place path instead of a permute-and-copy to a last-axis reduce.
    reduceMiddle(op, a, outer, reduced, inner, out) {
      counts.js.reduce++;
      jsBackend.reduceMiddle!(op, a, outer, reduced, inner, out);
    },
    matmul(a, b, out) {
      const [batch, m, k] = a.shape;
      if (useGpu('matmul', isFloat32(a, b, out), batch * m * k * b.shape[2])) kernels.matmul(a, b, out);
      else jsBackend.matmul(a, b, out);
    },
    softmax(a, rows, cols, out, log) {
      if (useGpu('softmax', isFloat32(a, out), rows * cols)) kernels.softmax(a, rows, cols, out, log);
      else jsBackend.softmax(a, rows, cols, out, log);
    },
  };
}

/** How a binary op's operands can feed a gpu kernel, or null (strided broadcasts stay on js). */
function binaryLayout(a: NDArray, b: NDArray): BinaryLayout | null {
  const scalar = (x: NDArray) => x.strides.every((s) => s === 0);
  if (a.isContiguous && b.isContiguous) return 'full';
  if (a.isContiguous && scalar(b)) return 'scalarSecond';
  if (scalar(a) && b.isContiguous) return 'scalarFirst';
  return null;
}

/** Zeroed route counters. */
export function emptyCounts(): RouteCounts {
  const zero = () => ({ matmul: 0, unary: 0, binary: 0, reduce: 0, softmax: 0 });
  return { gpu: zero(), js: zero() };
}
