/**
 * Contrastive losses: cross-entropy over similarity scores, where the "class" of an anchor is
 * the index of its positive among the candidates. Composed from differentiable ops.
 */
import { concat, normalize, type Tensor } from '@xent/autograd';
import { formatShape, NDArray, ShapeError, ValueError } from '@xent/tensor';
import { checkFinite, checkFloatTensor } from './args.js';

/** ε of the L2 normalisation: `x / max(‖x‖₂, ε)`, PyTorch's `F.normalize` default. */
export const NORMALIZE_EPS = 1e-12;

/** Options of {@link infoNCE}. */
export interface InfoNCEOptions {
  /** τ > 0; similarities are divided by it (default 0.1). */
  temperature?: number;
  /** CLIP form: the mean of the query→key and key→query losses (needs M = N; default false). */
  symmetric?: boolean;
}

/** Options of {@link ntXent}. */
export interface NTXentOptions {
  /** τ > 0; similarities are divided by it (default 0.5, as in SimCLR). */
  temperature?: number;
}

function checkTemperature(fn: string, temperature: number): number {
  if (typeof temperature !== 'number' || !(temperature > 0 && Number.isFinite(temperature))) {
    throw new ValueError(`${fn}: temperature is ${String(temperature)}, expected a finite number > 0`);
  }
  return temperature;
}

function checkEmbeddings(fn: string, name: string, value: Tensor): Tensor {
  checkFloatTensor(fn, name, value);
  if (value.ndim !== 2 || value.shape[0] === 0) {
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(value.shape)}, expected [N, D] with N ≥ 1`);
  }
  checkFinite(fn, name, value);
  return value;
}

/** An int32 `[rows, 1]` column of class indices, for `gather` along the last axis. */
function indexColumn(indices: readonly number[]): NDArray {
  return NDArray.fromStorage(Int32Array.from(indices), [indices.length, 1]);
}

/** Mean over rows of −log softmax(logits)[row, target[row]]: `crossEntropy(logits, target)`. */
function meanCrossEntropy(logits: Tensor, target: readonly number[]): Tensor {
  return logits.logSoftmax(-1).gather(1, indexColumn(target)).mean().neg();
}

/**
 * InfoNCE (van den Oord et al. 2018, "Representation Learning with Contrastive Predictive
 * Coding"), in the form used by MoCo and CLIP:
 *
 *   logits = normalize(query) · normalize(keys)ᵀ / τ      ([N, M] cosine similarities over τ)
 *   loss   = crossEntropy(logits, arange(N))              (mean over the N queries)
 *
 * The positive of query i is key i; the other keys are its negatives, and keys may have
 * M ≥ N rows: rows N … M − 1 are extra negatives shared by every query (a memory bank).
 * With `symmetric: true` (CLIP; needs M = N) the loss is the mean of the query→key and
 * key→query cross-entropies.
 *
 * PyTorch: `F.cross_entropy(F.normalize(q) @ F.normalize(k).T / τ, torch.arange(N))`, with
 * normalize = `x / max(‖x‖₂, 1e-12)` ({@link NORMALIZE_EPS}). A zero-norm embedding therefore
 * stays the zero vector (every similarity 0, a finite loss) and its gradient is finite but
 * scaled by 1/ε, exactly as in PyTorch. No deviations.
 *
 * @param query `[N, D]` anchors.
 * @param keys `[M, D]`, M ≥ N; row i is the positive of query i.
 */
export function infoNCE(query: Tensor, keys: Tensor, options: InfoNCEOptions = {}): Tensor {
  const fn = 'infoNCE';
  const temperature = checkTemperature(fn, options.temperature ?? 0.1);
  const symmetric = options.symmetric ?? false;
  checkEmbeddings(fn, 'query', query);
  checkEmbeddings(fn, 'keys', keys);
  const [n, dim] = query.shape;
  const [m, keyDim] = keys.shape;
  if (keyDim !== dim) {
    throw new ShapeError(
      `${fn}: keys has shape ${formatShape(keys.shape)} but query ${formatShape(query.shape)} needs [M, ${dim}] (the same embedding size)`,
    );
  }
  if (m < n) {
    throw new ShapeError(
      `${fn}: keys has ${m} rows but query has ${n}; expected M ≥ N (row i of keys is the positive of query i)`,
    );
  }
  if (symmetric && m !== n) {
    throw new ShapeError(
      `${fn}: symmetric needs as many keys as queries, got keys ${formatShape(keys.shape)} and query ${formatShape(query.shape)}`,
    );
  }
  const logits = normalize(query, { eps: NORMALIZE_EPS })
    .matmul(normalize(keys, { eps: NORMALIZE_EPS }).transpose())
    .div(temperature);
  const diagonal = Array.from({ length: n }, (_, i) => i);
  const forward = meanCrossEntropy(logits, diagonal);
  if (!symmetric) return forward;
  return forward.add(meanCrossEntropy(logits.transpose(), diagonal)).div(2);
}

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020, "A
 * Simple Framework for Contrastive Learning of Visual Representations"):
 *
 *   z = normalize(concat(z1, z2)),   sim = z zᵀ / τ        ([2N, 2N])
 *   loss = mean over the 2N anchors i of −log( exp(sim[i, p(i)]) / Σ_{j ≠ i} exp(sim[i, j]) )
 *
 * where p(i) = (i + N) mod 2N: the two views of one example are each other's positive, and
 * the other 2N − 2 embeddings are the negatives. Self-similarity is left out of the
 * denominator by gathering the off-diagonal columns (rather than masking with −∞, which
 * keeps every intermediate finite).
 *
 * PyTorch (no built-in): `F.cross_entropy(sim.masked_fill(eye, -inf), (arange(2N) + N) % 2N)`
 * with normalize = `F.normalize` (eps {@link NORMALIZE_EPS}). No deviations.
 *
 * @param z1 `[N, D]` embeddings of the first view.
 * @param z2 `[N, D]` embeddings of the second view (row i pairs with row i of z1).
 */
export function ntXent(z1: Tensor, z2: Tensor, options: NTXentOptions = {}): Tensor {
  const fn = 'ntXent';
  const temperature = checkTemperature(fn, options.temperature ?? 0.5);
  checkEmbeddings(fn, 'z1', z1);
  checkEmbeddings(fn, 'z2', z2);
  if (z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new ShapeError(
      `${fn}: z2 has shape ${formatShape(z2.shape)} but z1 ${formatShape(z1.shape)} needs the same shape (two views of the same N examples)`,
    );
  }
  const n = z1.shape[0];
  const anchors = 2 * n;
  const z = normalize(concat([z1, z2], 0), { eps: NORMALIZE_EPS });
  const similarity = z.matmul(z.transpose()).div(temperature);
  // Row i keeps columns j ≠ i, in order; the positive (i + N) mod 2N moves left by one past i.
  const offDiagonal = new Int32Array(anchors * (anchors - 1));
  const positives: number[] = [];
  for (let i = 0; i < anchors; i++) {
    let column = 0;
    for (let j = 0; j < anchors; j++) if (j !== i) offDiagonal[i * (anchors - 1) + column++] = j;
    const positive = (i + n) % anchors;
    positives.push(positive < i ? positive : positive - 1);
  }
  const logits = similarity.gather(1, NDArray.fromStorage(offDiagonal, [anchors, anchors - 1]));
  return meanCrossEntropy(logits, positives);
}
