/**
 * @xent/nn — PyTorch's `torch.nn`, `torch.optim` and `torch.utils.data` in camelCase:
 * modules and parameters, initialisers, optimizers, learning-rate schedules, gradient
 * clipping, datasets / loaders / samplers, and safetensors save/load (bytes; the Node file
 * helpers are in `@xent/nn/node`).
 */

export { ClassBalancedSampler, type ClassBalancedSamplerOptions } from './data/class-balanced-sampler.js';
export { defaultCollate } from './data/collate.js';
export { DataLoader, type DataLoaderOptions } from './data/data-loader.js';
export type { Dataset, TensorSample } from './data/dataset.js';
export { randomPermutation } from './data/permutation.js';
export {
  RandomSampler,
  type RandomSamplerOptions,
  type Sampler,
  type SamplerOptions,
  SequentialSampler,
} from './data/sampler.js';
export { TensorDataset } from './data/tensor-dataset.js';
export { WeightedRandomSampler, type WeightedRandomSamplerOptions } from './data/weighted-random-sampler.js';
export type { FanMode, InitOptions, KaimingOptions, Nonlinearity } from './init.js';
export * as init from './init.js';
export { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from './modules/activations.js';
export { Dropout, type DropoutOptions } from './modules/dropout.js';
export { Embedding, type EmbeddingOptions } from './modules/embedding.js';
export { Flatten } from './modules/flatten.js';
export { LayerNorm, type LayerNormOptions } from './modules/layer-norm.js';
export { Linear, type LinearOptions } from './modules/linear.js';
export {
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type StateDict,
} from './modules/module.js';
export { Sequential } from './modules/sequential.js';
export { Adagrad, type AdagradOptions } from './optim/adagrad.js';
export { Adam, type AdamOptions, AdamW } from './optim/adam.js';
export { clipGradNorm, clipGradValue } from './optim/clip-grad.js';
export {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamView,
} from './optim/optimizer.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export type { OptimizerStateDict, OptimizerStateValue } from './optim/state-dict.js';
export { Parameter } from './parameter.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedule/cosine-annealing-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './schedule/exponential-lr.js';
export { LinearWarmup, type LinearWarmupOptions } from './schedule/linear-warmup.js';
export { LRScheduler, type SchedulableOptimizer } from './schedule/lr-scheduler.js';
export { OneCycleLR, type OneCycleLROptions } from './schedule/one-cycle-lr.js';
export { StepLR, type StepLROptions } from './schedule/step-lr.js';
export {
  load,
  readSafetensors,
  type SafetensorsContents,
  SafetensorsError,
  type SaveInput,
  save,
} from './serialization/safetensors.js';
