import type { NDArray } from './ndarray.js';

/** Arrays with more elements than this print their first and last {@link EDGE_ITEMS} per axis. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/**
 * NumPy's `repr`: `array([[1., 2.],\n       [3., 4.]], dtype=float32)`. Floats print with at
 * most 4 decimals (trailing zeros dropped, a whole number keeps its point); int32 prints
 * integers.
 */
export function formatNDArray(array: NDArray): string {
  const summarize = array.size > SUMMARY_THRESHOLD;
  const isInt = array.dtype === 'int32';
  const formatNumber = (value: number): string => {
    if (isInt) return String(value);
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.`;
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) return value.toExponential(4).replace(/\.?0+e/, 'e');
    return value.toFixed(4).replace(/0+$/, '');
  };
  const shape = array.shape;
  const prefix = 'array(';
  if (shape.length === 0) return `${prefix}${formatNumber(array.item())}, dtype=${array.dtype})`;
  const cells: string[] = [];
  const collect = (view: NDArray): void => {
    if (view.ndim === 0) {
      cells.push(formatNumber(view.item()));
      return;
    }
    for (const i of indicesToShow(view.shape[0], summarize)) if (i >= 0) collect(view.select(0, i));
  };
  collect(array);
  const width = Math.max(0, ...cells.map((c) => c.length));
  let cursor = 0;
  const render = (view: NDArray, depth: number): string => {
    const indices = indicesToShow(view.shape[0], summarize);
    if (view.ndim === 1) {
      return `[${indices.map((i) => (i < 0 ? '...' : cells[cursor++].padStart(width))).join(', ')}]`;
    }
    const separator = `,${'\n'.repeat(view.ndim - 1)}${' '.repeat(prefix.length + depth + 1)}`;
    return `[${indices.map((i) => (i < 0 ? '...' : render(view.select(0, i), depth + 1))).join(separator)}]`;
  };
  return `${prefix}${render(array, 0)}, dtype=${array.dtype})`;
}

/** The indices printed along an axis of size `dim`; -1 marks the elided middle. */
function indicesToShow(dim: number, summarize: boolean): number[] {
  if (!summarize || dim <= 2 * EDGE_ITEMS) return Array.from({ length: dim }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => dim - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}
