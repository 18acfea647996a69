/**
 * Integer class targets: the `ignoreIndex` option, conversion of labels to a checked int32
 * NDArray, and the masks that keep ignored targets out of a loss.
 */
import { Tensor, where } from '@xent/autograd';
import {
  array,
  type DType,
  DTypeError,
  formatShape,
  IndexError,
  NDArray,
  ValueError,
  XentError,
} from '@xent/tensor';
import {
  checkShape,
  DEFAULT_IGNORE_INDEX,
  describeValue,
  formatIndex,
  type IntTargetLike,
  sameShape,
} from './args.js';

/** One past the largest int32: labels are stored in Int32Arrays, so they must stay below it. */
export const INT32_LIMIT = 2 ** 31;

/**
 * The `ignoreIndex` option, checked to be an int32 integer (default -100, PyTorch's). Labels are
 * stored as int32, so a larger one would wrap and be counted as some class.
 */
export function checkIgnoreIndex(fn: string, ignoreIndex: number | undefined): number {
  const value = ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValueError(`${fn}: ignoreIndex is ${String(value)}, expected an integer`);
  }
  if (value < -INT32_LIMIT || value >= INT32_LIMIT) {
    throw new ValueError(
      `${fn}: ignoreIndex is ${value}, expected an int32 integer in [${-INT32_LIMIT}, ${INT32_LIMIT - 1}]`,
    );
  }
  return value;
}

/**
 * Integer targets as a contiguous int32 NDArray of `expectedShape` (the logits' shape without
 * the class dimension). Every entry must be an integer in [0, numClasses) or equal
 * `ignoreIndex` (when given): `crossEntropy: target has shape [4] but logits [4, 3, 2] need [4, 3]`.
 */
export function toIntTarget(
  fn: string,
  target: IntTargetLike,
  expectedShape: readonly number[],
  numClasses: number,
  options: { name?: string; ignoreIndex?: number; logitsName?: string; logitsShape?: readonly number[] } = {},
): NDArray {
  const name = options.name ?? 'target';
  let data: NDArray;
  if (target instanceof Tensor) data = target.data;
  else if (target instanceof NDArray) data = target;
  else if (typeof target === 'number' || Array.isArray(target)) {
    try {
      data = array(target, { dtype: 'float64' });
    } catch (error) {
      throw new ValueError(
        `${fn}: ${name} is not a rectangular array of numbers (${(error as Error).message})`,
      );
    }
  } else {
    throw new XentError(
      `${fn}: ${name} must be a Tensor, an NDArray or an array of integers, got ${describeValue(target)}`,
    );
  }
  const logitsShape = options.logitsShape ?? [...expectedShape, numClasses];
  if (data.dtype === 'int32' && !sameShape(data.shape, expectedShape) && sameShape(data.shape, logitsShape)) {
    // The usual slip: one-hot or probability targets built as int32.
    throw new DTypeError(
      `${fn}: ${name} has the logits' shape ${formatShape(data.shape)} but dtype int32; a target of that shape holds probabilities and must be float32 or float64 (class indices have shape ${formatShape(expectedShape)})`,
    );
  }
  checkShape(
    fn,
    name,
    data.shape,
    expectedShape,
    `${options.logitsName ?? 'logits'} ${formatShape(logitsShape)}`,
  );
  const values = data.values();
  const out = NDArray.empty(expectedShape, 'int32');
  const labels = out.data as Int32Array;
  const ignoreIndex = options.ignoreIndex;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === ignoreIndex) {
      labels[i] = v;
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      const allowed = ignoreIndex === undefined ? '' : ` or ignoreIndex ${ignoreIndex}`;
      const kind = Number.isInteger(v) ? 'class' : 'non-integer value';
      throw new IndexError(
        `${fn}: ${name} contains ${kind} ${v} at index ${formatIndex(i, data.shape)}; expected an integer in [0, ${numClasses})${allowed}`,
      );
    }
    labels[i] = v;
  }
  return out;
}

/**
 * A 0/1 mask of the targets that count (not equal to `ignoreIndex`), as a float Tensor of
 * `dtype`, and how many count.
 */
export function countedMask(
  labels: NDArray,
  ignoreIndex: number,
  dtype: DType,
): { mask: Tensor; count: number } {
  const values = labels.data as Int32Array;
  const mask = NDArray.empty(labels.shape, dtype);
  const maskValues = mask.data;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== ignoreIndex) {
      maskValues[i] = 1;
      count++;
    }
  }
  return { mask: new Tensor(mask), count };
}

/** `labels` with ignored entries replaced by class 0, so they can index a gather safely. */
export function safeLabels(labels: NDArray, ignoreIndex: number): NDArray {
  const source = labels.data as Int32Array;
  const out = NDArray.empty(labels.shape, 'int32');
  const values = out.data as Int32Array;
  for (let i = 0; i < source.length; i++) values[i] = source[i] === ignoreIndex ? 0 : source[i];
  return out;
}

/** Zeroes the entries of `loss` where `mask` is 0 with `where`, so NaN-free values stay NaN-free. */
export function applyMask(loss: Tensor, mask: Tensor): Tensor {
  return where(mask.data, loss, 0);
}
