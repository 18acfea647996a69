/**
 * The playground's four datasets, drawn from a seeded generator so both variants (and every
 * reload) see the same points: 2-D spirals, imbalanced two-moons, overlapping multi-label
 * blobs, and 2 000 MNIST digits.
 */
import { Generator } from '@xent/tensor';
import type { DatasetName } from './protocol.js';

/** One split: inputs `[n, features]` and targets (class indices, or multi-hot `[n, classes]`). */
export interface Split {
  inputs: Float32Array;
  /** Class index per row; for a multi-label set, the label the point was drawn around. */
  labels: Int32Array;
  /** Multi-hot targets `[n, classes]` of a multi-label set, else null. */
  multiHot: Float32Array | null;
  size: number;
}

export interface Dataset {
  name: DatasetName;
  features: number;
  classNames: string[];
  multiLabel: boolean;
  train: Split;
  test: Split;
  /** [xMin, xMax, yMin, yMax] of the plane shown for a 2-D set. */
  extent: [number, number, number, number];
}

interface Point {
  x: number;
  y: number;
  label: number;
  multiHot?: number[];
}

function toSplit(points: Point[], classes: number, multiLabel: boolean): Split {
  const inputs = new Float32Array(points.length * 2);
  const labels = new Int32Array(points.length);
  const multiHot = multiLabel ? new Float32Array(points.length * classes) : null;
  points.forEach((point, i) => {
    inputs[2 * i] = point.x;
    inputs[2 * i + 1] = point.y;
    labels[i] = point.label;
    if (multiHot && point.multiHot) multiHot.set(point.multiHot, i * classes);
  });
  return { inputs, labels, multiHot, size: points.length };
}

/** Three interleaved arms (the CS231n spiral): radius grows with the angle, plus noise. */
function spirals(perClass: number, random: Generator): Point[] {
  const points: Point[] = [];
  for (let label = 0; label < 3; label++) {
    for (let i = 0; i < perClass; i++) {
      const radius = (i + 1) / perClass;
      const angle = label * ((2 * Math.PI) / 3) + radius * 4 + random.normal() * 0.2;
      points.push({ x: radius * Math.cos(angle), y: radius * Math.sin(angle), label });
    }
  }
  return points;
}

/**
 * sklearn's make_moons, centred, with ten times fewer points in the inner moon and enough noise
 * (0.3) that they overlap: plain CE then recovers about half the rare class.
 */
function moons(majority: number, minority: number, random: Generator): Point[] {
  const points: Point[] = [];
  const noise = 0.3;
  for (const [label, count] of [
    [0, majority],
    [1, minority],
  ]) {
    for (let i = 0; i < count; i++) {
      const angle = random.next() * Math.PI;
      const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
      const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
      points.push({ x: x - 0.5 + noise * random.normal(), y: y - 0.25 + noise * random.normal(), label });
    }
  }
  return points;
}

const blobCentres = [0, 1, 2].map((c) => {
  const angle = Math.PI / 2 + (c * 2 * Math.PI) / 3;
  return { x: 0.7 * Math.cos(angle), y: 0.7 * Math.sin(angle) };
});

/**
 * Three overlapping Gaussian blobs with one label each. A point carries the label of the blob
 * it was drawn from, and each other label with a probability that falls off with the distance
 * to that blob's centre (1/2 at distance 1): near the middle a point often has two or three.
 */
function blobs(perClass: number, random: Generator): Point[] {
  const points: Point[] = [];
  for (let label = 0; label < 3; label++) {
    for (let i = 0; i < perClass; i++) {
      const x = blobCentres[label].x + 0.55 * random.normal();
      const y = blobCentres[label].y + 0.55 * random.normal();
      const multiHot = blobCentres.map((centre, c) => {
        if (c === label) return 1;
        const distance = Math.hypot(x - centre.x, y - centre.y);
        return random.next() < 1 / (1 + Math.exp((distance - 1) / 0.15)) ? 1 : 0;
      });
      points.push({ x, y, label, multiHot });
    }
  }
  return points;
}

/** Parses `digits-2000.bin` (see scripts/extract-digits.ts) and splits it 1 600 / 400. */
function digits(bytes: ArrayBuffer, random: Generator): { train: Split; test: Split; features: number } {
  const view = new DataView(bytes);
  const magic = String.fromCharCode(...new Uint8Array(bytes, 0, 4));
  if (magic !== 'XDIG') throw new Error(`digits asset: expected the magic XDIG, got '${magic}'`);
  const count = view.getUint32(4, true);
  const features = view.getUint32(8, true);
  const labels = new Uint8Array(bytes, 12, count);
  const pixels = new Uint8Array(bytes, 12 + count, count * features);
  // Fisher–Yates with the seeded generator: the same seed gives the same split.
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const split = (indices: number[]): Split => {
    const inputs = new Float32Array(indices.length * features);
    indices.forEach((source, row) => {
      for (let p = 0; p < features; p++) inputs[row * features + p] = pixels[source * features + p] / 255;
    });
    return {
      inputs,
      labels: Int32Array.from(indices, (i) => labels[i]),
      multiHot: null,
      size: indices.length,
    };
  };
  const trainSize = Math.round(count * 0.8);
  return { train: split(order.slice(0, trainSize)), test: split(order.slice(trainSize)), features };
}

/** Builds a dataset; `digitBytes` (the fetched asset) is needed only for 'digits'. */
export function makeDataset(name: DatasetName, seed: number, digitBytes?: ArrayBuffer): Dataset {
  const random = new Generator(seed);
  switch (name) {
    case 'spirals':
      return {
        name,
        features: 2,
        classNames: ['arm 0', 'arm 1', 'arm 2'],
        multiLabel: false,
        train: toSplit(spirals(200, random), 3, false),
        test: toSplit(spirals(100, random), 3, false),
        extent: [-1.2, 1.2, -1.2, 1.2],
      };
    case 'moons':
      return {
        name,
        features: 2,
        classNames: ['outer (common)', 'inner (rare)'],
        multiLabel: false,
        train: toSplit(moons(500, 50, random), 2, false),
        test: toSplit(moons(500, 50, random), 2, false),
        extent: [-2, 2, -1.6, 1.6],
      };
    case 'blobs':
      return {
        name,
        features: 2,
        classNames: ['label 0', 'label 1', 'label 2'],
        multiLabel: true,
        train: toSplit(blobs(200, random), 3, true),
        test: toSplit(blobs(100, random), 3, true),
        extent: [-2.4, 2.4, -2.4, 2.4],
      };
    case 'digits': {
      if (!digitBytes) throw new Error('makeDataset: the digits set needs the bytes of digits-2000.bin');
      const { train, test, features } = digits(digitBytes, random);
      return {
        name,
        features,
        classNames: Array.from({ length: 10 }, (_, d) => String(d)),
        multiLabel: false,
        train,
        test,
        extent: [0, 1, 0, 1],
      };
    }
  }
}
