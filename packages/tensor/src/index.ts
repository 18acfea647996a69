/**
 * @xent/tensor — NDArray: dtypes, strided views on `ndarray`, broadcasting elementwise ops,
 * reductions, matmul, indexing, and pluggable compute backends.
 */
import { registerBackend, registerBackendLoader, selectBackendFromEnvironment } from './backend.js';
import { gpuLoaders } from './backends/gpu/index.js';
import { jsBackend } from './backends/js.js';

registerBackend(jsBackend);
registerBackendLoader('gpu', gpuLoaders.gpu);
registerBackendLoader('auto', gpuLoaders.auto);
selectBackendFromEnvironment();

export {
  type Backend,
  type BinaryOp,
  getBackend,
  listBackends,
  loadBackend,
  type ReduceOp,
  registerBackend,
  setBackend,
  type UnaryOp,
} from './backend.js';
export type { Calibration, Timing } from './backends/gpu/calibrate.js';
export type { GpuMode } from './backends/gpu/gpujs.js';
export { configureGpu, type GpuInfo, type GpuOptions, gpuInfo } from './backends/gpu/index.js';
export type { KernelClass, RouteCounts } from './backends/gpu/routing.js';
export { jsBackend } from './backends/js.js';
export {
  type ArrayData,
  arange,
  array,
  type CreationOptions,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  type RandomOptions,
  rand,
  randint,
  randn,
  zeros,
  zerosLike,
} from './creation.js';
export {
  DEFAULT_DTYPE,
  type DType,
  type FloatArray,
  floatResult,
  isFloat,
  promoteTypes,
  promoteWithScalar,
  type TypedArray,
} from './dtype.js';
export {
  type ArrayOrScalar,
  abs,
  add,
  assign,
  binary,
  clamp,
  div,
  equal,
  erf,
  exp,
  expm1,
  greater,
  greaterEqual,
  isFiniteMask,
  leakyRelu,
  less,
  lessEqual,
  log,
  log1p,
  logSigmoid,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  unary,
  where,
} from './elementwise.js';
export { DTypeError, formatShape, IndexError, ShapeError, ValueError, XentError } from './errors.js';
export { concat, gather, indexSelect, oneHot, scatterAdd, stack } from './indexing.js';
export { matmul } from './matmul.js';
export { NDArray, type NestedArray, type SliceRange, type StridedView } from './ndarray.js';
export { Generator, getDefaultGenerator, manualSeed } from './random.js';
export { argmax, argmin, logsumexp, max, mean, min, type ReduceOptions, sum, variance } from './reduce.js';
export {
  broadcastShapes,
  contiguousStrides,
  normalizeAxes,
  normalizeAxis,
  reducedShape,
  sizeOf,
  unravelIndex,
} from './shape.js';
export { logSoftmax, softmax } from './softmax.js';
