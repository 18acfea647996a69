/** Which losses each dataset offers, their defaults, and one sentence on what each does. */
import type { DatasetName, LossName } from './protocol.js';

export const LOSS_LABELS: Record<LossName, string> = {
  ce: 'Cross-entropy',
  smoothing: 'Label smoothing',
  focal: 'Focal loss',
  weighted: 'Class-weighted CE',
  adjusted: 'Logit-adjusted CE',
  sigmoid: 'K sigmoids (BCE per label)',
  softmax: 'Softmax CE over labels',
};

export const LOSS_NOTES: Record<LossName, string> = {
  ce: 'The negative log-probability of the right class: crossEntropy(logits, labels).',
  smoothing:
    'Trains towards (1 − ε)·one-hot + ε/C instead of the one-hot label: softer, less over-confident probabilities.',
  focal: 'Multiplies each term by (1 − p_y)^γ, so easy, well-classified points stop dominating the gradient.',
  weighted:
    'Scales each example by its class weight (inverse, balanced or effective-number), boosting rare classes.',
  adjusted:
    'Adds τ·log π (training priors) to the logits inside the loss; predicting with the plain logits then favours rare classes as much as common ones.',
  sigmoid: 'One independent yes/no per label: a point can be confidently "label 0 and label 1" at once.',
  softmax:
    'One distribution over the labels, with the target spread evenly over a point\u2019s labels: two labels can get at most ½ each.',
};

export const DATASET_LOSSES: Record<DatasetName, LossName[]> = {
  spirals: ['ce', 'smoothing', 'focal', 'weighted', 'adjusted'],
  moons: ['ce', 'smoothing', 'focal', 'weighted', 'adjusted'],
  blobs: ['sigmoid', 'softmax'],
  digits: ['ce', 'smoothing', 'focal', 'weighted', 'adjusted'],
};

/** The two variants a dataset opens with: the comparison it is best at showing. */
export const DATASET_DEFAULTS: Record<DatasetName, [LossName, LossName]> = {
  spirals: ['ce', 'smoothing'],
  moons: ['ce', 'adjusted'],
  blobs: ['sigmoid', 'softmax'],
  digits: ['ce', 'focal'],
};
