/**
 * The four charts of a variant, drawn by hand on canvas: a few dozen lines each, no charting
 * dependency to learn or update, and every pixel traceable to the numbers the worker sent.
 */
import type { Bin } from './protocol.js';

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then Tableau. */
export const CLASS_COLOURS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
  '#000000',
];

const INK = '#1f2328';
const MUTED = '#656d76';
const GRID = '#d0d7de';
const FONT = '11px system-ui, sans-serif';

/** Plot area inside the axes. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Sizes the canvas backing store for the screen's pixel ratio and clears it; returns a context in CSS pixels. */
function prepare(canvas: HTMLCanvasElement): {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
} {
  const width = Number(canvas.dataset.width ?? canvas.width);
  const height = Number(canvas.dataset.height ?? canvas.height);
  canvas.dataset.width = String(width);
  canvas.dataset.height = String(height);
  const ratio = Math.max(1, Math.round(globalThis.devicePixelRatio ?? 1));
  if (canvas.width !== width * ratio) canvas.width = width * ratio;
  if (canvas.height !== height * ratio) canvas.height = height * ratio;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('charts: canvas 2d context unavailable');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.font = FONT;
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
  context.globalAlpha = 1;
  return { context, width, height };
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Axes with ticks on [0, xMax] × [yMin, yMax] and a title. */
function axes(
  context: CanvasRenderingContext2D,
  frame: Frame,
  x: { max: number; ticks: number[]; label: string },
  y: { min: number; max: number; ticks: number[]; label: string },
  title: string,
): void {
  context.strokeStyle = GRID;
  context.fillStyle = MUTED;
  context.lineWidth = 1;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of y.ticks) {
    const py = frame.top + frame.height * (1 - (tick - y.min) / (y.max - y.min));
    context.beginPath();
    context.moveTo(frame.left, py);
    context.lineTo(frame.left + frame.width, py);
    context.stroke();
    context.fillText(formatTick(tick), frame.left - 4, py);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const tick of x.ticks) {
    const px = frame.left + (frame.width * tick) / x.max;
    context.fillText(formatTick(tick), px, frame.top + frame.height + 3);
  }
  context.fillText(x.label, frame.left + frame.width / 2, frame.top + frame.height + 16);
  context.fillStyle = INK;
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
  context.font = `600 ${FONT}`;
  context.fillText(title, frame.left, 12);
  context.font = FONT;
  context.fillStyle = MUTED;
  context.save();
  context.translate(10, frame.top + frame.height / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.fillText(y.label, 0, 0);
  context.restore();
}

function formatTick(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function niceTicks(max: number, count = 4): number[] {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + 1e-9; tick += step) ticks.push(Number(tick.toPrecision(6)));
  return ticks;
}

/** Batch losses per step (thin), their moving average (thick), and held-out loss (dots). */
export function drawLossCurve(
  canvas: HTMLCanvasElement,
  batchLosses: number[],
  testLosses: { step: number; loss: number }[],
  totalSteps: number,
  colour: string,
): void {
  const { context, width, height } = prepare(canvas);
  const frame = { left: 40, top: 20, width: width - 52, height: height - 52 };
  const values = [...batchLosses, ...testLosses.map((point) => point.loss)].filter(Number.isFinite);
  const top = values.length > 0 ? Math.max(...values) * 1.05 : 1;
  const xMax = Math.max(totalSteps, batchLosses.length, 1);
  const yTicks = niceTicks(top).filter((tick) => tick <= top);
  axes(
    context,
    frame,
    { max: xMax, ticks: niceTicks(xMax), label: 'step' },
    { min: 0, max: top, ticks: yTicks, label: 'loss' },
    'Loss',
  );
  const px = (step: number) => frame.left + (frame.width * step) / xMax;
  const py = (loss: number) => frame.top + frame.height * (1 - Math.min(loss, top) / top);
  const line = (points: number[], lineWidth: number, alpha: number) => {
    context.globalAlpha = alpha;
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.beginPath();
    points.forEach((loss, i) => {
      if (i === 0) context.moveTo(px(i + 1), py(loss));
      else context.lineTo(px(i + 1), py(loss));
    });
    context.stroke();
    context.globalAlpha = 1;
  };
  line(batchLosses, 1, 0.35);
  let average = batchLosses[0] ?? 0;
  line(
    batchLosses.map((loss) => (average = 0.9 * average + 0.1 * loss)),
    2,
    1,
  );
  context.fillStyle = INK;
  for (const point of testLosses) {
    context.beginPath();
    context.arc(px(point.step), py(point.loss), 2, 0, 2 * Math.PI);
    context.fill();
  }
  context.textAlign = 'right';
  context.fillStyle = MUTED;
  context.fillText('— train (avg)   • held-out', frame.left + frame.width, 12);
}

/**
 * Decision regions: each grid cell mixes the class colours by probability over white, so
 * confident regions are saturated and uncertain ones pale. Multi-label sets darken where
 * several labels are likely at once. Training points are drawn on top.
 */
export function drawRegions(
  canvas: HTMLCanvasElement,
  grid: Float32Array | null,
  gridSize: number,
  classes: number,
  multiLabel: boolean,
  points: Float32Array | null,
  labels: Int32Array | null,
  extent: [number, number, number, number],
): void {
  const { context, width, height } = prepare(canvas);
  const side = Math.min(width, height - 18);
  const left = (width - side) / 2;
  const top = 18;
  context.fillStyle = INK;
  context.font = `600 ${FONT}`;
  context.fillText(multiLabel ? 'Label probabilities' : 'Decision regions', 4, 12);
  context.font = FONT;
  if (!points) {
    context.fillStyle = MUTED;
    context.textAlign = 'center';
    context.fillText('784-D inputs: no 2-D map for digits', width / 2, height / 2);
    return;
  }
  const colours = CLASS_COLOURS.map(rgb);
  if (grid) {
    const image = context.createImageData(gridSize, gridSize);
    for (let cell = 0; cell < gridSize * gridSize; cell++) {
      let [r, g, b] = [255, 255, 255];
      for (let c = 0; c < classes; c++) {
        const p = grid[cell * classes + c];
        // Softmax: a convex mix of colours. Sigmoids: each likely label tints (subtracts) further.
        const weight = multiLabel ? p * 0.5 : Math.max(0, (p - 1 / classes) / (1 - 1 / classes)) * 0.7;
        r -= weight * (255 - colours[c][0]);
        g -= weight * (255 - colours[c][1]);
        b -= weight * (255 - colours[c][2]);
      }
      image.data.set([Math.max(0, r), Math.max(0, g), Math.max(0, b), 255], cell * 4);
    }
    const scratch = document.createElement('canvas');
    scratch.width = gridSize;
    scratch.height = gridSize;
    scratch.getContext('2d')?.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(scratch, left, top, side, side);
  }
  const [xMin, xMax, yMin, yMax] = extent;
  context.save();
  context.beginPath();
  context.rect(left, top, side, side);
  context.clip();
  for (let i = 0; labels && i < labels.length; i++) {
    const x = left + ((points[2 * i] - xMin) / (xMax - xMin)) * side;
    const y = top + (1 - (points[2 * i + 1] - yMin) / (yMax - yMin)) * side;
    context.beginPath();
    context.arc(x, y, 2.2, 0, 2 * Math.PI);
    context.fillStyle = CLASS_COLOURS[labels[i]];
    context.fill();
    context.strokeStyle = '#ffffff';
    context.lineWidth = 0.6;
    context.stroke();
  }
  context.restore();
  context.strokeStyle = GRID;
  context.strokeRect(left, top, side, side);
}

/** One bar per class: the fraction of its held-out examples (or positive labels) recovered. */
export function drawRecall(canvas: HTMLCanvasElement, recall: number[], classNames: string[]): void {
  const { context, width, height } = prepare(canvas);
  const frame = { left: 40, top: 32, width: width - 52, height: height - 64 };
  axes(
    context,
    frame,
    { max: 1, ticks: [], label: recall.length > 3 ? 'class' : '' },
    { min: 0, max: 1, ticks: [0, 0.5, 1], label: 'recall' },
    'Per-class recall',
  );
  const slot = frame.width / Math.max(recall.length, 1);
  recall.forEach((value, c) => {
    const barHeight = frame.height * value;
    const x = frame.left + c * slot + slot * 0.15;
    context.fillStyle = CLASS_COLOURS[c % CLASS_COLOURS.length];
    context.fillRect(x, frame.top + frame.height - barHeight, slot * 0.7, barHeight);
    context.fillStyle = INK;
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    context.fillText(value.toFixed(2), x + slot * 0.35, frame.top + frame.height - barHeight - 1);
    context.textBaseline = 'top';
    context.fillStyle = MUTED;
    const name = classNames.length > 3 ? classNames[c] : (classNames[c] ?? '').slice(0, 14);
    context.fillText(name, x + slot * 0.35, frame.top + frame.height + 3);
  });
}

/**
 * Reliability diagram: per confidence bin, the accuracy (bar) and the mean confidence (orange
 * tick); the diagonal is perfect calibration, and the bar-to-tick gaps, weighted by bin size,
 * sum to the ECE.
 */
export function drawReliability(canvas: HTMLCanvasElement, bins: Bin[], ece: number): void {
  const { context, width, height } = prepare(canvas);
  const frame = { left: 40, top: 32, width: width - 52, height: height - 64 };
  axes(
    context,
    frame,
    { max: 1, ticks: [0, 0.5, 1], label: 'confidence' },
    { min: 0, max: 1, ticks: [0, 0.5, 1], label: 'accuracy' },
    `Reliability · ECE ${(ece * 100).toFixed(1)}%`,
  );
  context.strokeStyle = MUTED;
  context.setLineDash([4, 3]);
  context.beginPath();
  context.moveTo(frame.left, frame.top + frame.height);
  context.lineTo(frame.left + frame.width, frame.top);
  context.stroke();
  context.setLineDash([]);
  const slot = frame.width / Math.max(bins.length, 1);
  const py = (value: number) => frame.top + frame.height * (1 - value);
  bins.forEach((bin, b) => {
    if (bin.count === 0) return;
    const x = frame.left + b * slot;
    context.fillStyle = 'rgba(0, 114, 178, 0.8)';
    context.fillRect(x + 1, py(bin.accuracy), slot - 2, frame.top + frame.height - py(bin.accuracy));
    context.fillStyle = '#d55e00';
    context.fillRect(x + 1, py(bin.confidence) - 1.5, slot - 2, 3);
  });
  context.textAlign = 'right';
  context.fillStyle = MUTED;
  context.fillText('bars: accuracy · ticks: mean confidence', frame.left + frame.width, 26);
}
