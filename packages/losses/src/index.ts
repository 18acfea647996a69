/**
 * @xent/losses — every cross-entropy variant, composed from differentiable autograd ops and
 * checked against finite differences and PyTorch. The class dimension is always the last.
 */

// Where users look for them: the probability maps every loss is built on.
export { logSigmoid, logSoftmax, softmax } from '@xent/autograd';
export type {
  ArrayLike,
  ClassWeightOptions,
  IgnoreIndexOptions,
  IntTargetLike,
  LossOptions,
  Reduction,
  ReductionOptions,
} from './args.js';
export {
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type MaskedBinaryCrossEntropyOptions,
  maskedBinaryCrossEntropyWithLogits,
  probabilityEpsilon,
} from './binary.js';
export {
  brierScore,
  type CalibrationResult,
  expectedCalibrationError,
  type ReliabilityBin,
  type TemperatureScaleOptions,
  type TemperatureScaleResult,
  temperatureScale,
} from './calibration.js';
export {
  type InfoNCEOptions,
  infoNCE,
  NORMALIZE_EPS,
  type NTXentOptions,
  ntXent,
} from './contrastive.js';
export {
  type CrossEntropyOptions,
  type CrossEntropyTarget,
  crossEntropy,
  type NllLossOptions,
  nllLoss,
} from './cross-entropy.js';
// Part 2: crowds, multi-task, contrastive, mixed reconstruction, metrics.
export { type CrowdLabelsLike, majorityVote } from './crowd.js';
export { type DawidSkeneOptions, type DawidSkeneResult, dawidSkene } from './dawid-skene.js';
export { type FocalLossOptions, focalLoss, type SigmoidFocalLossOptions, sigmoidFocalLoss } from './focal.js';
export {
  type HierarchicalCrossEntropyOptions,
  hierarchicalCrossEntropy,
  hierarchicalLogProbs,
  LabelTree,
} from './hierarchy.js';
export {
  type AdjustLogitsOptions,
  adjustLogits,
  type LogitAdjustedCrossEntropyOptions,
  logitAdjustedCrossEntropy,
} from './logit-adjustment.js';
export {
  type AccuracyOptions,
  accuracy,
  bitsPerCharacter,
  hammingLoss,
  perplexity,
} from './metrics.js';
export {
  type MixedReconstructionInputs,
  type MixedReconstructionOptions,
  type MixedReconstructionResult,
  mixedReconstructionLoss,
} from './mixed-reconstruction.js';
export {
  gradientCosine,
  type PCGradOptions,
  type PCGradResult,
  pcgrad,
  taskGradients,
  UncertaintyWeighting,
  type UncertaintyWeightingOptions,
} from './multitask.js';
export {
  type ClassWeightsOptions,
  classWeights,
  ordinalSmoothing,
  type TargetOptions,
  uniformSmoothing,
} from './targets.js';
