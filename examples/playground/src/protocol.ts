/** The messages between the page and a training worker, and the settings they carry. */

export type DatasetName = 'spirals' | 'moons' | 'blobs' | 'digits';
export type LossName = 'ce' | 'smoothing' | 'focal' | 'weighted' | 'adjusted' | 'sigmoid' | 'softmax';
export type BackendName = 'js' | 'gpu';
export type WeightScheme = 'inverse' | 'balanced' | 'effective';

/** What both variants share: the data, the model, the optimizer and the seed. */
export interface SharedSettings {
  dataset: DatasetName;
  hidden: number;
  layers: number;
  learningRate: number;
  batchSize: number;
  steps: number;
  seed: number;
  backend: BackendName;
  /** Absolute URL of the digits asset (a worker cannot resolve it against the page). */
  digitsUrl: string;
}

/** What differs between the two variants: the loss and its options. */
export interface LossSettings {
  loss: LossName;
  /** Label smoothing ε (smoothing). */
  epsilon: number;
  /** Focusing parameter γ (focal). */
  gamma: number;
  /** Class-weight scheme (weighted). */
  scheme: WeightScheme;
  /** Logit-adjustment strength τ (adjusted). */
  tau: number;
}

export interface TrainRequest {
  type: 'train';
  shared: SharedSettings;
  loss: LossSettings;
}

/** A 2-D dataset's points, for drawing them over the decision regions. */
export interface DataMessage {
  type: 'data';
  classNames: string[];
  multiLabel: boolean;
  /** Training points (x, y interleaved) and their classes (multi-label: first positive label). */
  points: Float32Array | null;
  labels: Int32Array | null;
  /** Bounds of the plane the heatmap covers. */
  extent: [number, number, number, number];
  backend: string;
}

/** One equal-width confidence bin of the reliability diagram. */
export interface Bin {
  count: number;
  accuracy: number;
  confidence: number;
}

/** Evaluation on the held-out set, taken every few steps. */
export interface Snapshot {
  step: number;
  testLoss: number;
  accuracy: number;
  recall: number[];
  ece: number;
  bins: Bin[];
  /** Per-cell class probabilities of a gridSize × gridSize map over `extent` (2-D sets only). */
  grid: Float32Array | null;
  gridSize: number;
}

export interface ProgressMessage {
  type: 'progress';
  /** Training-batch losses of the steps since the last message, in order. */
  losses: number[];
  snapshot: Snapshot | null;
  done: boolean;
  stepsPerSecond: number;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type WorkerMessage = DataMessage | ProgressMessage | ErrorMessage;
