/**
 * @xent/autograd — reverse-mode automatic differentiation over @xent/tensor: the Tensor,
 * differentiable ops (as functions and as methods), backward / grad with higher-order
 * gradients, noGrad, and finite-difference gradient checks.
 */
export {
  arange,
  eye,
  full,
  ones,
  onesLike,
  type RandomTensorOptions,
  rand,
  randint,
  randn,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from './creation.js';
export { type GradOptions, grad } from './grad.js';
export { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
export {
  type CheckedFunction,
  GradcheckError,
  type GradcheckOptions,
  gradcheck,
  gradgradcheck,
} from './gradcheck.js';
export type { BackwardFn, BackwardOptions, GradNode } from './graph.js';
export { gelu, leakyRelu, logSigmoid, relu, sigmoid, softplus, tanh } from './ops/activation.js';
export {
  abs,
  add,
  clamp,
  div,
  erf,
  exp,
  log,
  log1p,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  sqrt,
  sub,
} from './ops/elementwise.js';
export { gather, type IndexLike, indexSelect, maskedFill, scatterAdd, where } from './ops/indexing.js';
export { linear, matmul } from './ops/linalg.js';
export { type Axis, logsumexp, max, mean, min, sum, variance } from './ops/reduce.js';
export {
  concat,
  expand,
  flatten,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from './ops/shape.js';
export { cosineSimilarity, logSoftmax, norm, normalize, softmax } from './ops/softmax.js';
export { type Operand, sumToShape } from './record.js';
export { Tensor } from './tensor.js';
