/**
 * Makes `ndarray` views without `ndarray()`'s per-call dtype sniffing. `ndarray(data, shape,
 * strides, offset)` classifies its storage with `Object.prototype.toString` and an is-buffer
 * check on every call, which was ~12 % of a chain of small ops (bench/NOTES.md). The view
 * classes it generates take `(data, shape₀…, stride₀…, offset)`; the first view of each dtype and
 * rank is made by `ndarray()` itself, and its class is called directly from then on.
 */
import ndarray from 'ndarray';
import { dtypeOf, type TypedArray } from './dtype.js';

/** The `ndarray` package's strided view over a typed array: xent's storage. */
export type StridedView = ndarray.NdArray<TypedArray>;

type ViewFactory = (
  data: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
) => StridedView;

/** Factories by dtype, then by rank. */
const factories: Record<string, ViewFactory[]> = { float32: [], float64: [], int32: [] };

/** The same view as `ndarray(data, shape, strides, offset)`. */
export function stridedView(
  data: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): StridedView {
  const byRank = factories[dtypeOf(data)];
  const factory = byRank[shape.length];
  if (factory) return factory(data, shape, strides, offset);
  const view = ndarray(data, [...shape], [...strides], offset);
  byRank[shape.length] = compileFactory(view.constructor, shape.length);
  return view;
}

function compileFactory(viewClass: unknown, rank: number): ViewFactory {
  const axes = Array.from({ length: rank }, (_, i) => i);
  const args = ['data', ...axes.map((i) => `shape[${i}]`), ...axes.map((i) => `strides[${i}]`), 'offset'];
  return new Function(
    'View',
    `return function (data, shape, strides, offset) { return new View(${args.join(', ')}); };`,
  )(viewClass) as ViewFactory;
}
