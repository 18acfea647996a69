/**
 * The page: reads the controls, runs each variant in its own Web Worker, and redraws its charts
 * as progress arrives. Changing a control after the first run restarts the affected runs, so
 * the charts always show the settings on screen.
 */
import { drawLossCurve, drawRecall, drawRegions, drawReliability } from './charts.js';
import { DATASET_DEFAULTS, DATASET_LOSSES, LOSS_LABELS, LOSS_NOTES } from './losses.js';
import type {
  BackendName,
  DataMessage,
  DatasetName,
  LossName,
  LossSettings,
  SharedSettings,
  Snapshot,
  WeightScheme,
  WorkerMessage,
} from './protocol.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`playground: no element #${id}`);
  return element as T;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const datasetSelect = byId<HTMLSelectElement>('dataset');
const sharedForm = byId<HTMLFormElement>('shared');
const stopButton = byId<HTMLButtonElement>('stop');

function readShared(): SharedSettings {
  const number = (id: string, fallback: number, min: number, max: number) => {
    const value = Number(byId<HTMLInputElement | HTMLSelectElement>(id).value);
    return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value * 1e6) / 1e6)) : fallback;
  };
  return {
    dataset: datasetSelect.value as DatasetName,
    hidden: number('hidden', 32, 1, 1024),
    layers: number('layers', 2, 1, 8),
    learningRate: number('learningRate', 0.01, 1e-6, 1),
    batchSize: number('batchSize', 64, 1, 4096),
    steps: Math.round(number('steps', 500, 1, 100_000)),
    seed: Math.round(number('seed', 0, 0, 2 ** 31)),
    backend: byId<HTMLSelectElement>('backend').value as BackendName,
    digitsUrl: new URL('digits-2000.bin', document.baseURI).href,
  };
}

/** What a variant tells the page. */
interface VariantHooks {
  /** The learner changed the variant's loss or one of its options. */
  settingsChanged(variant: Variant): void;
  /** Its run finished or failed. */
  runEnded(variant: Variant): void;
}

/** One side of the comparison: its loss controls, its worker, and its charts. */
class Variant {
  readonly root: HTMLFieldSetElement;
  private readonly lossSelect: HTMLSelectElement;
  private readonly options: Record<
    'epsilon' | 'gamma' | 'scheme' | 'tau',
    HTMLInputElement | HTMLSelectElement
  >;
  private readonly optionLabels: Record<'epsilon' | 'gamma' | 'scheme' | 'tau', HTMLLabelElement>;
  private readonly about: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly canvases: Record<'loss' | 'regions' | 'recall' | 'reliability', HTMLCanvasElement>;
  private worker: Worker | null = null;
  private data: DataMessage | null = null;
  private batchLosses: number[] = [];
  private testLosses: { step: number; loss: number }[] = [];
  private snapshot: Snapshot | null = null;
  private totalSteps = 0;
  private drawPending = false;

  constructor(
    readonly name: string,
    private readonly colour: string,
    private readonly hooks: VariantHooks,
  ) {
    const id = (suffix: string) => `${name}-${suffix}`;
    const labelled = (text: string, control: HTMLElement) => element('label', {}, [text, control]);
    this.lossSelect = element('select', { id: id('loss'), name: id('loss') });
    this.options = {
      epsilon: element('input', {
        id: id('epsilon'),
        type: 'number',
        min: '0',
        max: '0.9',
        step: '0.05',
        value: '0.1',
      }),
      gamma: element('input', {
        id: id('gamma'),
        type: 'number',
        min: '0',
        max: '5',
        step: '0.5',
        value: '2',
      }),
      scheme: element('select', { id: id('scheme') }, [
        element('option', { value: 'balanced' }, ['balanced: N / (C·n_c)']),
        element('option', { value: 'inverse' }, ['inverse: 1 / n_c']),
        element('option', { value: 'effective' }, ['effective number (β = 0.999)']),
      ]),
      tau: element('input', { id: id('tau'), type: 'number', min: '0', max: '3', step: '0.25', value: '1' }),
    };
    this.optionLabels = {
      epsilon: labelled('Smoothing ε', this.options.epsilon),
      gamma: labelled('Focusing γ', this.options.gamma),
      scheme: labelled('Weight scheme', this.options.scheme),
      tau: labelled('Adjustment τ', this.options.tau),
    };
    const canvas = (key: string, label: string) =>
      element('canvas', { id: id(key), width: '300', height: '200', role: 'img', 'aria-label': label });
    this.canvases = {
      loss: canvas('loss-chart', 'Loss curve: not trained yet'),
      regions: canvas('regions-chart', 'Decision regions: not trained yet'),
      recall: canvas('recall-chart', 'Per-class recall: not trained yet'),
      reliability: canvas('reliability-chart', 'Reliability diagram: not trained yet'),
    };
    this.about = element('p', { class: 'about', id: id('about') });
    this.status = element('p', { class: 'status', id: id('status'), role: 'status', 'aria-live': 'polite' });
    this.root = element('fieldset', { class: 'variant', id: `variant-${name}`, 'data-state': 'idle' }, [
      element('legend', {}, [element('h2', {}, [`Variant ${name}`])]),
      element('div', { class: 'controls' }, [
        labelled('Loss', this.lossSelect),
        ...Object.values(this.optionLabels),
      ]),
      this.about,
      this.status,
      element('div', { class: 'charts' }, Object.values(this.canvases)),
    ]);
    this.root.setAttribute('aria-describedby', id('about'));
    for (const control of [this.lossSelect, ...Object.values(this.options)]) {
      control.addEventListener('change', () => {
        this.showOptions();
        this.hooks.settingsChanged(this);
      });
    }
  }

  /** Offers the losses of a dataset and selects `initial`. */
  setLosses(losses: LossName[], initial: LossName): void {
    this.lossSelect.replaceChildren(
      ...losses.map((loss) => element('option', { value: loss }, [LOSS_LABELS[loss]])),
    );
    this.lossSelect.value = initial;
    this.showOptions();
  }

  settings(): LossSettings {
    const number = (input: HTMLInputElement | HTMLSelectElement, fallback: number) => {
      const value = Number(input.value);
      return Number.isFinite(value) && value >= 0 ? value : fallback;
    };
    return {
      loss: this.lossSelect.value as LossName,
      epsilon: Math.min(number(this.options.epsilon, 0.1), 0.99),
      gamma: number(this.options.gamma, 2),
      scheme: this.options.scheme.value as WeightScheme,
      tau: number(this.options.tau, 1),
    };
  }

  private showOptions(): void {
    const loss = this.lossSelect.value as LossName;
    this.optionLabels.epsilon.hidden = loss !== 'smoothing';
    this.optionLabels.gamma.hidden = loss !== 'focal';
    this.optionLabels.scheme.hidden = loss !== 'weighted';
    this.optionLabels.tau.hidden = loss !== 'adjusted';
    this.about.textContent = LOSS_NOTES[loss];
    this.root.dataset.loss = loss;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  start(shared: SharedSettings): void {
    this.stop();
    this.data = null;
    this.batchLosses = [];
    this.testLosses = [];
    this.snapshot = null;
    this.totalSteps = shared.steps;
    this.setState('running', `Starting ${LOSS_LABELS[this.settings().loss]}…`);
    this.draw();
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: `variant-${this.name}`,
    });
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || 'the worker failed to start');
    };
    worker.postMessage({ type: 'train', shared, loss: this.settings() });
    this.worker = worker;
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.root.dataset.state === 'running')
      this.setState('stopped', `${this.status.textContent ?? ''} · stopped`);
  }

  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.setState('error', `Error: ${message}`);
    this.hooks.runEnded(this);
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'error') {
      this.fail(message.message);
      return;
    }
    if (message.type === 'data') {
      this.data = message;
      this.root.dataset.backend = message.backend;
      return;
    }
    this.batchLosses.push(...message.losses);
    const { snapshot } = message;
    if (snapshot) {
      this.snapshot = snapshot;
      this.testLosses.push({ step: snapshot.step, loss: snapshot.testLoss });
    }
    const done = message.done;
    if (done) {
      this.worker?.terminate();
      this.worker = null;
    }
    this.report(message.stepsPerSecond, done);
    this.scheduleDraw();
    if (done) this.hooks.runEnded(this);
  }

  private report(stepsPerSecond: number, done: boolean): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
    const root = this.root.dataset;
    root.step = String(snapshot.step);
    root.firstTestLoss = String(this.testLosses[0]?.loss ?? Number.NaN);
    root.lastTestLoss = String(snapshot.testLoss);
    root.firstBatchLoss = String(mean(this.batchLosses.slice(0, 10)));
    root.lastBatchLoss = String(mean(this.batchLosses.slice(-10)));
    const text = [
      `step ${snapshot.step}/${this.totalSteps}`,
      `held-out loss ${snapshot.testLoss.toFixed(3)}`,
      `${this.data?.multiLabel ? 'label accuracy' : 'accuracy'} ${(snapshot.accuracy * 100).toFixed(1)}%`,
      `ECE ${(snapshot.ece * 100).toFixed(1)}%`,
      `${stepsPerSecond.toFixed(0)} steps/s on ${this.data?.backend ?? '…'}`,
    ].join(' · ');
    // Screen readers hear the start and the end of a run, not every ten steps.
    this.status.setAttribute('aria-live', done ? 'polite' : 'off');
    this.setState(done ? 'done' : 'running', text);
  }

  private setState(state: string, text: string): void {
    this.root.dataset.state = state;
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  private scheduleDraw(): void {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    const { snapshot, data } = this;
    const classNames = data?.classNames ?? [];
    drawLossCurve(this.canvases.loss, this.batchLosses, this.testLosses, this.totalSteps, this.colour);
    drawRegions(
      this.canvases.regions,
      snapshot?.grid ?? null,
      snapshot?.gridSize ?? 0,
      classNames.length,
      data?.multiLabel ?? false,
      data?.points ?? null,
      data?.labels ?? null,
      data?.extent ?? [0, 1, 0, 1],
    );
    drawRecall(this.canvases.recall, snapshot?.recall ?? [], classNames);
    drawReliability(this.canvases.reliability, snapshot?.bins ?? [], snapshot?.ece ?? 0);
    const loss = LOSS_LABELS[this.settings().loss];
    if (snapshot) {
      const last = this.batchLosses.at(-1);
      this.canvases.loss.ariaLabel = `${loss} loss curve: ${this.batchLosses.length} steps, latest batch loss ${last?.toFixed(3)}, held-out ${snapshot.testLoss.toFixed(3)}`;
      this.canvases.regions.ariaLabel = data?.points
        ? `Decision regions of the ${loss} model over the plane, with the training points`
        : 'No decision map for 784-dimensional digits';
      this.canvases.recall.ariaLabel = `Per-class recall: ${snapshot.recall.map((r, c) => `${classNames[c]} ${(r * 100).toFixed(0)}%`).join(', ')}`;
      this.canvases.reliability.ariaLabel = `Reliability diagram, expected calibration error ${(snapshot.ece * 100).toFixed(1)}%`;
    }
    this.root.dataset.draws = String(Number(this.root.dataset.draws ?? 0) + 1);
  }

  /** Draws the empty charts (before any run). */
  clear(): void {
    this.batchLosses = [];
    this.testLosses = [];
    this.snapshot = null;
    this.data = null;
    this.draw();
  }
}

/** Whether the learner has pressed Train: from then on, changed settings restart the runs. */
let trained = false;
const hooks: VariantHooks = {
  settingsChanged(variant) {
    if (trained) variant.start(readShared());
    else variant.clear();
    updateButtons();
  },
  runEnded: updateButtons,
};
const variants = [new Variant('A', '#0072b2', hooks), new Variant('B', '#d55e00', hooks)];
byId('variants').append(...variants.map((variant) => variant.root));

function updateButtons(): void {
  stopButton.disabled = !variants.some((variant) => variant.running);
}

function trainBoth(): void {
  trained = true;
  const shared = readShared();
  for (const variant of variants) variant.start(shared);
  updateButtons();
}

function applyDatasetDefaults(): void {
  const dataset = datasetSelect.value as DatasetName;
  DATASET_DEFAULTS[dataset].forEach((loss, i) => {
    variants[i].setLosses(DATASET_LOSSES[dataset], loss);
  });
}

sharedForm.addEventListener('submit', (event) => {
  event.preventDefault();
  trainBoth();
});
sharedForm.addEventListener('change', (event) => {
  if (event.target === datasetSelect) applyDatasetDefaults();
  if (trained) trainBoth();
  else for (const variant of variants) variant.clear();
});
stopButton.addEventListener('click', () => {
  for (const variant of variants) variant.stop();
  updateButtons();
});

applyDatasetDefaults();
for (const variant of variants) variant.clear();
