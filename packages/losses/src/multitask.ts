/**
 * Multi-task helpers: learned uncertainty weighting of task losses, per-task gradients, the
 * cosine that measures gradient conflict, and PCGrad's projection of conflicting gradients.
 */
import { concat, grad, Tensor } from '@xent/autograd';
import {
  add,
  type DType,
  formatShape,
  Generator,
  getDefaultGenerator,
  NDArray,
  ShapeError,
  ValueError,
  XentError,
  zeros,
} from '@xent/tensor';
import { type ArrayLike, checkFinite, checkFloatTensor, sameShape, toFloatTensor } from './args.js';

/** Options of {@link UncertaintyWeighting}. */
export interface UncertaintyWeightingOptions {
  /** Initial log-variances s_i (length numTasks); default all 0 (every weight 1). */
  initLogVars?: ArrayLike;
  /** dtype of `logVars` (default float32). */
  dtype?: DType;
}

/**
 * Homoscedastic-uncertainty weighting of task losses (Kendall, Gal & Cipolla 2018, "Multi-Task
 * Learning Using Uncertainty to Weigh Losses for Scene Geometry and Semantics"):
 *
 *   combine(L) = Σ_i exp(−s_i) · L_i + s_i,      s_i = log σ_i²  (`logVars`, learned)
 *
 * A task with a large loss (noisy or hard) is down-weighted by raising s_i; the + s_i term
 * stops every s_i from running to +∞. `logVars` is a leaf with `requiresGrad`, returned by
 * {@link UncertaintyWeighting.parameters} so any optimizer can train it next to the model's
 * parameters (`new Adam([...model.parameters(), ...weighting.parameters()], …)`).
 *
 * Deviation from the paper: one form for every task. The paper weighs regression losses by
 * 1/(2σ²) and classification losses by 1/σ²; the common implementation (and this one) uses
 * exp(−s)·L + s for all, which differs only by a fixed rescaling of s and of L. No PyTorch
 * built-in; the fixtures compute the formula above in torch.
 */
export class UncertaintyWeighting {
  /** Number of tasks T. */
  readonly numTasks: number;
  /** s = log σ², shape `[T]`: a leaf that requires grad. */
  readonly logVars: Tensor;

  constructor(numTasks: number, options: UncertaintyWeightingOptions = {}) {
    const fn = 'UncertaintyWeighting';
    if (!Number.isInteger(numTasks) || numTasks < 1) {
      throw new ValueError(`${fn}: numTasks is ${String(numTasks)}, expected an integer ≥ 1`);
    }
    const dtype = options.dtype ?? 'float32';
    if (dtype === 'int32') throw new ValueError(`${fn}: dtype is int32, expected float32 or float64`);
    this.numTasks = numTasks;
    let initial = new Tensor(zeros([numTasks], { dtype }));
    if (options.initLogVars !== undefined) {
      initial = toFloatTensor(fn, 'initLogVars', options.initLogVars, dtype);
      if (initial.ndim !== 1 || initial.size !== numTasks) {
        throw new ShapeError(
          `${fn}: initLogVars has shape ${formatShape(initial.shape)}, expected one value per task [${numTasks}]`,
        );
      }
    }
    // A fresh copy: the leaf must not alias the caller's array, which an optimizer would mutate.
    this.logVars = new Tensor(initial.data.clone(), { requiresGrad: true });
  }

  /**
   * Σ_i exp(−s_i) L_i + s_i for `losses` given as T one-element tensors or one `[T]` tensor.
   * Throws when the number of losses is not `numTasks` or a loss is NaN or infinite.
   */
  combine(losses: readonly Tensor[] | Tensor): Tensor {
    const fn = 'UncertaintyWeighting.combine';
    let stacked: Tensor;
    if (losses instanceof Tensor) {
      checkFloatTensor(fn, 'losses', losses);
      if (losses.size !== this.numTasks || losses.ndim > 1) {
        throw new ShapeError(
          `${fn}: losses has shape ${formatShape(losses.shape)}, expected [${this.numTasks}] (one loss per task)`,
        );
      }
      checkFinite(fn, 'losses', losses);
      stacked = losses.reshape([this.numTasks]);
    } else {
      if (!Array.isArray(losses) || losses.length !== this.numTasks) {
        throw new ShapeError(
          `${fn}: got ${Array.isArray(losses) ? losses.length : 'no'} losses, expected ${this.numTasks} (numTasks)`,
        );
      }
      losses.forEach((loss, i) => {
        checkFloatTensor(fn, `losses[${i}]`, loss);
        if (loss.size !== 1) {
          throw new ShapeError(
            `${fn}: losses[${i}] has shape ${formatShape(loss.shape)}, expected a one-element loss (reduce it first)`,
          );
        }
        checkFinite(fn, `losses[${i}]`, loss);
      });
      stacked = concat(losses.map((loss) => loss.reshape([1])));
    }
    // exp(−s) is the precision 1/σ²; + s is log σ², the price of claiming uncertainty.
    return this.logVars.neg().exp().mul(stacked).add(this.logVars).sum();
  }

  /** The task weights exp(−s_i) as plain numbers (for logging). */
  weights(): number[] {
    return Array.from(this.logVars.data.values(), (s) => Math.exp(-s));
  }

  /** `[logVars]`, for an optimizer. */
  parameters(): Tensor[] {
    return [this.logVars];
  }
}

function checkLossesAndParams(fn: string, losses: readonly Tensor[], params: readonly Tensor[]): void {
  if (!Array.isArray(losses) || losses.length === 0) {
    throw new ValueError(
      `${fn}: losses is ${Array.isArray(losses) ? 'empty' : 'not an array'}, expected an array of task losses`,
    );
  }
  if (!Array.isArray(params) || params.length === 0) {
    throw new ValueError(
      `${fn}: params is ${Array.isArray(params) ? 'empty' : 'not an array'}, expected an array of parameters`,
    );
  }
  losses.forEach((loss, i) => {
    checkFloatTensor(fn, `losses[${i}]`, loss);
    if (loss.size !== 1) {
      throw new ShapeError(
        `${fn}: losses[${i}] has shape ${formatShape(loss.shape)}, expected a one-element loss`,
      );
    }
    if (!loss.requiresGrad)
      throw new XentError(`${fn}: losses[${i}] does not require grad (computed under noGrad?)`);
  });
  params.forEach((param, j) => {
    checkFloatTensor(fn, `params[${j}]`, param);
    if (!param.requiresGrad) throw new XentError(`${fn}: params[${j}] does not require grad`);
  });
}

/**
 * The gradient of each task loss with respect to each parameter: `result[i][j]` = ∂L_i/∂θ_j
 * (zeros where L_i does not depend on θ_j). Uses {@link grad} with `retainGraph`, so the
 * shared graph survives for the next task (and for a later backward); `.grad` is untouched.
 *
 * PyTorch: `[torch.autograd.grad(L, params, retain_graph=True, allow_unused=True) for L in losses]`,
 * except that unused parameters get zeros instead of None.
 */
export function taskGradients(losses: readonly Tensor[], params: readonly Tensor[]): Tensor[][] {
  checkLossesAndParams('taskGradients', losses, params);
  return losses.map((loss) => grad(loss, params, { retainGraph: true, allowUnused: true }));
}

/** A gradient as one flat float64 vector (a list of per-parameter gradients concatenated). */
function flatten(parts: readonly Tensor[]): Float64Array {
  const size = parts.reduce((total, part) => total + part.size, 0);
  const out = new Float64Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part.data.values(), offset);
    offset += part.size;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

/**
 * cos(a, b) = ⟨a, b⟩ / (‖a‖ ‖b‖) between two gradients, each a Tensor or a list of
 * per-parameter Tensors (flattened and concatenated, as returned by {@link taskGradients}).
 * Negative means the tasks conflict (Yu et al. 2020). A plain number; 0 when either gradient
 * is zero (rather than NaN).
 *
 * PyTorch: `F.cosine_similarity(flat_a, flat_b, dim=0)`, except that the zero case is exactly 0.
 */
export function gradientCosine(a: Tensor | readonly Tensor[], b: Tensor | readonly Tensor[]): number {
  const fn = 'gradientCosine';
  const partsA = a instanceof Tensor ? [a] : a;
  const partsB = b instanceof Tensor ? [b] : b;
  if (partsA.length !== partsB.length || partsA.some((part, j) => !sameShape(part.shape, partsB[j].shape))) {
    throw new ShapeError(
      `${fn}: a has shapes ${partsA.map((p) => formatShape(p.shape)).join(', ')} but b has ${partsB.map((p) => formatShape(p.shape)).join(', ')}; expected the same parameters`,
    );
  }
  const flatA = flatten(partsA);
  const flatB = flatten(partsB);
  const norms = Math.sqrt(dot(flatA, flatA) * dot(flatB, flatB));
  return norms === 0 ? 0 : dot(flatA, flatB) / norms;
}

/** Options of {@link pcgrad}. */
export interface PCGradOptions {
  /** Source of the random task order (default: the global generator, see `manualSeed`). */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`. */
  seed?: number;
}

/** What {@link pcgrad} returns. */
export interface PCGradResult {
  /** Σ_i g_i^PC per parameter (what was added to each `.grad`), in the parameter's dtype. */
  grads: Tensor[];
  /** `projected[i][j]`: the projected gradient of task i for parameter j (float64). */
  projected: Tensor[][];
  /** How many projections were made (pairs found in conflict). */
  conflicts: number;
}

/**
 * PCGrad, "gradient surgery" (Yu et al. 2020, "Gradient Surgery for Multi-Task Learning").
 * With g_i = ∇L_i over all `params` (flattened), for each task i and each other task j in a
 * random order:
 *
 *   if g_i^PC · g_j < 0:   g_i^PC ← g_i^PC − (g_i^PC · g_j / ‖g_j‖²) g_j
 *
 * (g_j are the original, unprojected gradients.) Then Σ_i g_i^PC is written into each
 * parameter's `.grad` — added to an existing `.grad`, like `backward` — so a plain
 * `optimizer.step()` follows. Without conflicts the result is the plain Σ_i g_i.
 *
 * The task orders are drawn from `generator` (one Fisher–Yates shuffle per task), so a seed
 * fixes the result. Deviations from the reference code: the random order skips the task
 * itself, as in the paper's Algorithm 1; the projected gradients are summed (not averaged),
 * as the contract says; a zero g_j is skipped rather than divided by 0.
 */
export function pcgrad(
  losses: readonly Tensor[],
  params: readonly Tensor[],
  options: PCGradOptions = {},
): PCGradResult {
  const fn = 'pcgrad';
  checkLossesAndParams(fn, losses, params);
  const generator =
    options.generator ?? (options.seed !== undefined ? new Generator(options.seed) : getDefaultGenerator());
  const original = taskGradients(losses, params).map((perParam) => flatten(perParam));
  const squaredNorms = original.map((g) => dot(g, g));
  const numTasks = original.length;
  let conflicts = 0;
  const projected = original.map((gradient, i) => {
    const current = Float64Array.from(gradient);
    const others = Array.from({ length: numTasks }, (_, j) => j).filter((j) => j !== i);
    for (let k = others.length - 1; k > 0; k--) {
      const swap = generator.integer(0, k + 1);
      [others[k], others[swap]] = [others[swap], others[k]];
    }
    for (const j of others) {
      const overlap = dot(current, original[j]);
      if (overlap < 0 && squaredNorms[j] > 0) {
        const scale = overlap / squaredNorms[j];
        const other = original[j];
        for (let n = 0; n < current.length; n++) current[n] -= scale * other[n];
        conflicts++;
      }
    }
    return current;
  });

  const total = new Float64Array(projected[0].length);
  for (const gradient of projected) for (let n = 0; n < total.length; n++) total[n] += gradient[n];
  const split = (flat: Float64Array): NDArray[] => {
    let offset = 0;
    return params.map((param) => {
      const part = NDArray.fromStorage(flat.slice(offset, offset + param.size), param.shape);
      offset += param.size;
      return part;
    });
  };
  const grads = split(total).map((part, j) => {
    const value = part.astype(params[j].dtype);
    const param = params[j];
    param.grad = param.grad ? new Tensor(add(param.grad.data, value)) : new Tensor(value.clone());
    return new Tensor(value);
  });
  return {
    grads,
    projected: projected.map((gradient) => split(gradient).map((part) => new Tensor(part))),
    conflicts,
  };
}
