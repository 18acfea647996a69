/**
 * Every differentiable op exported by @xent/autograd, checked to first and second order
 * against finite differences on several shapes: broadcast operands, non-contiguous
 * (transposed / sliced) inputs, and inputs kept away from kinks by construction.
 */
import * as autograd from '@xent/autograd';
import {
  abs,
  add,
  clamp,
  concat,
  cosineSimilarity,
  div,
  erf,
  exp,
  expand,
  flatten,
  gather,
  gelu,
  indexSelect,
  leakyRelu,
  linear,
  log,
  log1p,
  logSigmoid,
  logSoftmax,
  logsumexp,
  maskedFill,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  norm,
  normalize,
  permute,
  pow,
  relu,
  reshape,
  scatterAdd,
  sigmoid,
  slice,
  softmax,
  softplus,
  sqrt,
  squeeze,
  stack,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
  unsqueeze,
  variance,
  where,
} from '@xent/autograd';
import { describe, expect, it } from 'vitest';
import { type CheckGradientsOptions, checkGradients, randomInput } from '../helpers/gradients.js';

/** One input configuration of an op: the tensors and the function of them under test. */
interface OpCase {
  label: string;
  inputs: () => Tensor[];
  fn: (...inputs: Tensor[]) => Tensor | Tensor[];
  options?: CheckGradientsOptions;
}

const x = randomInput;
const ints = (values: number[] | number[][], shape?: number[]) =>
  tensor(values, { dtype: 'int32', ...(shape ? { shape } : {}) });

// Each unary elementwise op runs on a scalar, a 1-D, a transposed 2-D and a sliced 3-D input.
function unaryCases(fn: (a: Tensor) => Tensor, values: Parameters<typeof randomInput>[1] = {}): OpCase[] {
  return [
    { label: '[]', inputs: () => [x([], { seed: 11, ...values })], fn },
    { label: '[5]', inputs: () => [x([5], { seed: 12, ...values })], fn },
    {
      label: '[3, 4] transposed',
      inputs: () => [x([3, 4], { seed: 13, layout: 'transposed', ...values })],
      fn,
    },
    {
      label: '[2, 2, 3] sliced',
      inputs: () => [x([2, 2, 3], { seed: 14, layout: 'sliced', ...values })],
      fn,
    },
  ];
}

// Each binary op: same shapes, broadcast both ways, non-contiguous operands, and a number.
function binaryCases(
  fn: (a: Tensor | number, b: Tensor | number) => Tensor,
  left: Parameters<typeof randomInput>[1] = {},
  right: Parameters<typeof randomInput>[1] = {},
  scalar = 1.7,
): OpCase[] {
  const f = (a: Tensor, b: Tensor) => fn(a, b);
  return [
    {
      label: '[3, 4] ∘ [3, 4]',
      inputs: () => [x([3, 4], { seed: 21, ...left }), x([3, 4], { seed: 22, ...right })],
      fn: f,
    },
    {
      label: '[3, 4] ∘ [4]',
      inputs: () => [x([3, 4], { seed: 23, ...left }), x([4], { seed: 24, ...right })],
      fn: f,
    },
    {
      label: '[2, 1, 4] ∘ [3, 1] (both broadcast)',
      inputs: () => [x([2, 1, 4], { seed: 25, ...left }), x([3, 1], { seed: 26, ...right })],
      fn: f,
    },
    {
      label: '[] ∘ [2, 3]',
      inputs: () => [x([], { seed: 27, ...left }), x([2, 3], { seed: 28, ...right })],
      fn: f,
    },
    {
      label: '[3, 4] transposed ∘ [3, 4] sliced',
      inputs: () => [
        x([3, 4], { seed: 29, layout: 'transposed', ...left }),
        x([3, 4], { seed: 30, layout: 'sliced', ...right }),
      ],
      fn: f,
    },
    { label: 'tensor ∘ number', inputs: () => [x([2, 3], { seed: 31, ...left })], fn: (a) => fn(a, scalar) },
    { label: 'number ∘ tensor', inputs: () => [x([2, 3], { seed: 32, ...right })], fn: (b) => fn(scalar, b) },
  ];
}

// A reduction: all axes, one axis, negative / several axes with keepDims, a transposed input.
function reductionCases(
  fn: (a: Tensor, axis?: number | number[], keepDims?: boolean) => Tensor,
  values: Parameters<typeof randomInput>[1] = {},
): OpCase[] {
  return [
    { label: 'all of [3, 4]', inputs: () => [x([3, 4], { seed: 41, ...values })], fn: (a) => fn(a) },
    { label: 'axis 0 of [3, 4]', inputs: () => [x([3, 4], { seed: 42, ...values })], fn: (a) => fn(a, 0) },
    {
      label: 'axis -1 keepDims of [2, 3, 4] sliced',
      inputs: () => [x([2, 3, 4], { seed: 43, layout: 'sliced', ...values })],
      fn: (a) => fn(a, -1, true),
    },
    {
      label: 'axes [0, 2] of [2, 3, 2] transposed',
      inputs: () => [x([2, 3, 2], { seed: 44, layout: 'transposed', ...values })],
      fn: (a) => fn(a, [0, 2]),
    },
  ];
}

const awayFromZero = { minAbs: 0.2 };
const positive = { minAbs: 0.3, positive: true };
const distinct = { distinct: 0.1 };

/**
 * The table. Keys are the exported function names; every exported op must appear here
 * (see the completeness test below).
 */
const OPS: Record<string, OpCase[]> = {
  add: binaryCases(add),
  sub: binaryCases(sub),
  mul: binaryCases(mul),
  div: binaryCases(div, {}, awayFromZero),
  neg: unaryCases(neg),
  pow: [
    ...unaryCases((a) => pow(a, 3)),
    ...unaryCases((a) => pow(a, -1.5), positive),
    ...binaryCases(pow, positive, { scale: 0.5 }),
  ],
  exp: unaryCases(exp),
  log: unaryCases(log, positive),
  log1p: unaryCases(log1p, { positive: true, shift: -0.7 }),
  sqrt: unaryCases(sqrt, positive),
  abs: unaryCases(abs, awayFromZero),
  erf: unaryCases(erf),
  // Values lie on multiples of 0.05 (odd and even counts); bounds on odd multiples of 0.025.
  clamp: [
    ...unaryCases((a) => clamp(a, -0.225, 0.275), distinct),
    { label: 'min only', inputs: () => [x([6], { seed: 51, ...distinct })], fn: (a) => clamp(a, 0.025) },
    {
      label: 'max only',
      inputs: () => [x([6], { seed: 52, ...distinct })],
      fn: (a) => clamp(a, undefined, -0.075),
    },
  ],
  maximum: maximumCases(maximum),
  minimum: maximumCases(minimum),
  sigmoid: unaryCases(sigmoid),
  tanh: unaryCases(tanh),
  relu: unaryCases(relu, awayFromZero),
  leakyRelu: [
    ...unaryCases((a) => leakyRelu(a), awayFromZero),
    {
      label: 'slope 0.2',
      inputs: () => [x([7], { seed: 53, ...awayFromZero })],
      fn: (a) => leakyRelu(a, 0.2),
    },
  ],
  gelu: unaryCases(gelu),
  softplus: unaryCases(softplus, { scale: 3 }),
  logSigmoid: unaryCases(logSigmoid, { scale: 3 }),
  softmax: axisCases(softmax),
  logSoftmax: axisCases(logSoftmax),
  logsumexp: reductionCases(logsumexp),
  sum: reductionCases(sum),
  mean: reductionCases(mean),
  max: reductionCases(max, distinct),
  min: reductionCases(min, distinct),
  variance: [
    ...reductionCases((a, axis, keepDims) => variance(a, axis, { keepDims })),
    {
      label: 'correction 0',
      inputs: () => [x([2, 5], { seed: 54 })],
      fn: (a) => variance(a, 1, { correction: 0 }),
    },
  ],
  linear: [
    {
      label: '[3, 4] · [2, 4]ᵀ + [2]',
      inputs: () => [x([3, 4], { seed: 75 }), x([2, 4], { seed: 76 }), x([2], { seed: 77 })],
      fn: linear,
    },
    {
      label: '[3, 4] transposed · [2, 4] sliced, no bias',
      inputs: () => [
        x([3, 4], { seed: 78, layout: 'transposed' }),
        x([2, 4], { seed: 79, layout: 'sliced' }),
      ],
      fn: (a, w) => linear(a, w),
    },
    {
      label: 'batch [2, 3, 4] · [2, 4]ᵀ + [2]',
      inputs: () => [x([2, 3, 4], { seed: 80 }), x([2, 4], { seed: 82 }), x([2], { seed: 83 })],
      fn: linear,
    },
    {
      label: '[4] · [2, 4]ᵀ + [2]',
      inputs: () => [x([4], { seed: 84 }), x([2, 4], { seed: 85 }), x([2], { seed: 86 })],
      fn: linear,
    },
  ],
  matmul: [
    {
      label: '[3, 4] @ [4, 2]',
      inputs: () => [x([3, 4], { seed: 61 }), x([4, 2], { seed: 62 })],
      fn: matmul,
    },
    {
      label: '[3, 4] transposed @ [4, 2] sliced',
      inputs: () => [
        x([3, 4], { seed: 63, layout: 'transposed' }),
        x([4, 2], { seed: 64, layout: 'sliced' }),
      ],
      fn: matmul,
    },
    { label: '[4] @ [4, 3]', inputs: () => [x([4], { seed: 65 }), x([4, 3], { seed: 66 })], fn: matmul },
    { label: '[2, 4] @ [4]', inputs: () => [x([2, 4], { seed: 67 }), x([4], { seed: 68 })], fn: matmul },
    { label: '[4] @ [4]', inputs: () => [x([4], { seed: 69 }), x([4], { seed: 70 })], fn: matmul },
    {
      label: 'batch [2, 2, 3] @ [3, 2] (broadcast)',
      inputs: () => [x([2, 2, 3], { seed: 71 }), x([3, 2], { seed: 72 })],
      fn: matmul,
    },
    {
      label: 'batch [2, 1, 2, 3] @ [3, 3, 2] (both broadcast)',
      inputs: () => [x([2, 1, 2, 3], { seed: 73 }), x([3, 3, 2], { seed: 74, layout: 'transposed' })],
      fn: matmul,
    },
  ],
  reshape: [
    { label: '[3, 4] → [2, 6]', inputs: () => [x([3, 4], { seed: 81 })], fn: (a) => reshape(a, [2, 6]) },
    {
      label: '[3, 4] transposed → [-1]',
      inputs: () => [x([3, 4], { seed: 82, layout: 'transposed' })],
      fn: (a) => mul(reshape(a, [-1]), x([12], { seed: 83, requiresGrad: false })),
    },
  ],
  flatten: [
    {
      label: '[2, 3] sliced',
      inputs: () => [x([2, 3], { seed: 84, layout: 'sliced' })],
      fn: (a) => mul(flatten(a), x([6], { seed: 85, requiresGrad: false })),
    },
  ],
  transpose: [
    { label: 'last two of [2, 3, 4]', inputs: () => [x([2, 3, 4], { seed: 86 })], fn: (a) => transpose(a) },
    {
      label: 'axes 0, 2',
      inputs: () => [x([2, 3, 4], { seed: 87, layout: 'sliced' })],
      fn: (a) => transpose(a, 0, 2),
    },
  ],
  permute: [
    {
      label: '[2, 3, 4] → [2, 0, 1]',
      inputs: () => [x([2, 3, 4], { seed: 88 })],
      fn: (a) => permute(a, [2, 0, 1]),
    },
    {
      label: 'transposed, negative axes',
      inputs: () => [x([3, 4], { seed: 89, layout: 'transposed' })],
      fn: (a) => permute(a, [-1, 0]),
    },
  ],
  squeeze: [
    { label: 'all', inputs: () => [x([1, 3, 1, 2], { seed: 90 })], fn: (a) => squeeze(a) },
    { label: 'axis 2', inputs: () => [x([1, 3, 1, 2], { seed: 91 })], fn: (a) => squeeze(a, 2) },
  ],
  unsqueeze: [
    { label: 'axis 0', inputs: () => [x([3, 2], { seed: 92 })], fn: (a) => unsqueeze(a, 0) },
    {
      label: 'axis -1 sliced',
      inputs: () => [x([3, 2], { seed: 93, layout: 'sliced' })],
      fn: (a) => unsqueeze(a, -1),
    },
  ],
  expand: [
    { label: '[3, 1] → [2, 3, 4]', inputs: () => [x([3, 1], { seed: 94 })], fn: (a) => expand(a, [2, 3, 4]) },
    {
      label: '[1, 3] → [-1 keeps, …]',
      inputs: () => [x([1, 3], { seed: 95 })],
      fn: (a) => expand(a, [4, -1]),
    },
  ],
  slice: [
    { label: 'ranges', inputs: () => [x([4, 5], { seed: 96 })], fn: (a) => slice(a, [[1, 3], null]) },
    {
      label: 'steps and negatives on a transposed input',
      inputs: () => [x([4, 5], { seed: 97, layout: 'transposed' })],
      fn: (a) =>
        slice(a, [
          [null, null, 2],
          [-1, 0, -2],
        ]),
    },
  ],
  gather: [
    {
      label: 'axis 1 with repeats',
      inputs: () => [x([3, 4], { seed: 101 })],
      fn: (a) =>
        gather(
          a,
          1,
          ints([
            [0, 3],
            [2, 2],
            [1, 0],
          ]),
        ),
    },
    {
      label: 'axis 0 on a sliced input',
      inputs: () => [x([3, 4], { seed: 102, layout: 'sliced' })],
      fn: (a) => gather(a, 0, ints([[2, 0, 1, 1]])),
    },
  ],
  indexSelect: [
    {
      label: 'axis 0 with repeats',
      inputs: () => [x([4, 3], { seed: 103 })],
      fn: (a) => indexSelect(a, 0, ints([3, 0, 3])),
    },
    {
      label: 'axis -1 transposed',
      inputs: () => [x([2, 3, 4], { seed: 104, layout: 'transposed' })],
      fn: (a) => indexSelect(a, -1, ints([1, 1, 0])),
    },
  ],
  scatterAdd: [
    {
      label: 'axis 1 with collisions',
      inputs: () => [x([3, 4], { seed: 105 }), x([3, 2], { seed: 106 })],
      fn: (target, source) =>
        scatterAdd(
          target,
          1,
          ints([
            [0, 0],
            [3, 1],
            [2, 3],
          ]),
          source,
        ),
    },
    {
      label: 'axis 0, non-contiguous target',
      inputs: () => [
        x([3, 4], { seed: 107, layout: 'transposed' }),
        x([2, 4], { seed: 108, layout: 'sliced' }),
      ],
      fn: (target, source) =>
        scatterAdd(
          target,
          0,
          ints([
            [0, 2, 2, 1],
            [0, 0, 1, 1],
          ]),
          source,
        ),
    },
  ],
  concat: [
    {
      label: 'axis 0 of three',
      inputs: () => [
        x([1, 3], { seed: 111 }),
        x([2, 3], { seed: 112, layout: 'sliced' }),
        x([3, 3], { seed: 113 }),
      ],
      fn: (a, b, c) => concat([a, b, c], 0),
    },
    {
      label: 'axis -1, transposed',
      inputs: () => [x([2, 3], { seed: 114, layout: 'transposed' }), x([2, 2], { seed: 115 })],
      fn: (a, b) => concat([a, b], -1),
    },
  ],
  stack: [
    {
      label: 'axis 0',
      inputs: () => [x([2, 3], { seed: 116 }), x([2, 3], { seed: 117 })],
      fn: (a, b) => stack([a, b]),
    },
    {
      label: 'axis -1, non-contiguous',
      inputs: () => [
        x([2, 3], { seed: 118, layout: 'transposed' }),
        x([2, 3], { seed: 119, layout: 'sliced' }),
      ],
      fn: (a, b) => stack([a, b], -1),
    },
  ],
  where: [
    {
      label: 'same shapes',
      inputs: () => [x([2, 3], { seed: 121 }), x([2, 3], { seed: 122 })],
      fn: (a, b) =>
        where(
          ints([
            [1, 0, 1],
            [0, 0, 1],
          ]),
          a,
          b,
        ),
    },
    {
      label: 'broadcast mask and operands',
      inputs: () => [x([3, 1], { seed: 123 }), x([4], { seed: 124, layout: 'sliced' })],
      fn: (a, b) => where(ints([1, 0, 0, 1]), a, b),
    },
    {
      label: 'number branch',
      inputs: () => [x([2, 2], { seed: 125 })],
      fn: (a) =>
        where(
          ints([
            [1, 0],
            [0, 1],
          ]),
          0.5,
          a,
        ),
    },
  ],
  maskedFill: [
    {
      label: 'broadcast mask',
      inputs: () => [x([2, 3], { seed: 126, layout: 'transposed' })],
      fn: (a) => maskedFill(a, ints([0, 1, 0]), -2),
    },
  ],
  norm: [
    { label: 'every element', inputs: () => [x([3, 4], { seed: 130 })], fn: (a) => norm(a) },
    { label: 'last axis', inputs: () => [x([3, 4], { seed: 131 })], fn: (a) => norm(a, -1) },
    {
      label: 'axis 0 keepDims, sliced',
      inputs: () => [x([3, 4], { seed: 132, layout: 'sliced' })],
      fn: (a) => norm(a, 0, true),
    },
    { label: 'axes [0, 1]', inputs: () => [x([2, 3], { seed: 133 })], fn: (a) => norm(a, [0, 1]) },
  ],
  normalize: [
    { label: 'last axis', inputs: () => [x([3, 4], { seed: 134 })], fn: (a) => normalize(a) },
    {
      label: 'axis 0, transposed',
      inputs: () => [x([3, 4], { seed: 135, layout: 'transposed' })],
      fn: (a) => normalize(a, { axis: 0 }),
    },
  ],
  cosineSimilarity: [
    {
      label: '[3, 4] · [3, 4]',
      inputs: () => [x([3, 4], { seed: 136 }), x([3, 4], { seed: 137 })],
      fn: (a, b) => cosineSimilarity(a, b),
    },
    {
      label: '[3, 4] · [4] broadcast',
      inputs: () => [x([3, 4], { seed: 138, layout: 'sliced' }), x([4], { seed: 139 })],
      fn: (a, b) => cosineSimilarity(a, b),
    },
    {
      label: 'axis 0',
      inputs: () => [x([3, 2], { seed: 140 }), x([3, 2], { seed: 141, layout: 'transposed' })],
      fn: (a, b) => cosineSimilarity(a, b, { axis: 0 }),
    },
  ],
};

// maximum / minimum: b = a + d with |d| ≥ 0.2, or both on grids 0.05 apart offset by 0.025, so they never tie.
function maximumCases(fn: (a: Tensor, b: Tensor) => Tensor): OpCase[] {
  return [
    {
      label: 'same shapes',
      inputs: () => {
        const a = x([3, 4], { seed: 141 });
        return [a, add(a.detach(), x([3, 4], { seed: 142, ...awayFromZero }).detach()).requiresGrad_()];
      },
      fn: (a, b) => fn(a, b),
    },
    {
      label: 'broadcast [2, 3] vs [3]',
      inputs: () => [x([2, 3], { seed: 143, ...distinct }), x([3], { seed: 144, ...distinct, shift: 0.025 })],
      fn: (a, b) => fn(a, b),
    },
    {
      label: 'transposed vs sliced',
      inputs: () => [
        x([3, 3], { seed: 145, layout: 'transposed', ...distinct }),
        x([3, 3], { seed: 146, layout: 'sliced', ...distinct, shift: 0.025 }),
      ],
      fn: (a, b) => fn(a, b),
    },
  ];
}

// softmax-like ops along the last axis, axis 0, and on a transposed input.
function axisCases(fn: (a: Tensor, axis?: number) => Tensor): OpCase[] {
  return [
    { label: 'last axis of [3, 4]', inputs: () => [x([3, 4], { seed: 151 })], fn: (a) => fn(a) },
    { label: 'axis 0 of [3, 4]', inputs: () => [x([3, 4], { seed: 152, scale: 3 })], fn: (a) => fn(a, 0) },
    {
      label: 'axis 1 of [2, 3, 2] transposed',
      inputs: () => [x([2, 3, 2], { seed: 153, layout: 'transposed' })],
      fn: (a) => fn(a, 1),
    },
    { label: '[5]', inputs: () => [x([5], { seed: 154 })], fn: (a) => fn(a) },
  ];
}

/**
 * Exports of @xent/autograd that are not differentiable ops: creation, the engine, grad
 * mode, checks, and helpers. Anything else exported must have a row in {@link OPS}.
 */
const NOT_OPS = [
  'Tensor',
  'tensor',
  'zeros',
  'ones',
  'full',
  'zerosLike',
  'onesLike',
  'arange',
  'eye',
  'rand',
  'randn',
  'randint',
  'grad',
  'noGrad',
  'enableGrad',
  'isGradEnabled',
  'gradcheck',
  'gradgradcheck',
  'GradcheckError',
  'sumToShape',
];

/** Ops that only exist as functions: they take several tensors or none is "the" receiver. */
const FUNCTION_ONLY = ['concat', 'linear', 'stack', 'where'];

/** Function name → Tensor method name, where they differ (torch's `Tensor.var`). */
const METHOD_NAMES: Record<string, string> = { variance: 'var' };

describe('every differentiable op passes gradcheck and gradgradcheck', () => {
  for (const [name, cases] of Object.entries(OPS)) {
    describe(name, () => {
      for (const { label, inputs, fn, options } of cases) {
        it(label, () => {
          checkGradients(fn, inputs(), options);
        });
      }
    });
  }
});

describe('the op table is complete', () => {
  it('lists every function exported by @xent/autograd that is not in NOT_OPS', async () => {
    const exported = Object.keys(await import('@xent/autograd'));
    const missing = exported.filter((name) => !NOT_OPS.includes(name) && !(name in OPS));
    expect(missing, 'exported ops without a row in the gradient table').toEqual([]);
    const stale = [...NOT_OPS, ...Object.keys(OPS)].filter((name) => !exported.includes(name));
    expect(stale, 'table rows or NOT_OPS entries that are not exported').toEqual([]);
  });

  it('has at least two cases per op (one for single-purpose wrappers)', () => {
    const thin = Object.entries(OPS)
      .filter(([name, cases]) => cases.length < (['maskedFill', 'flatten'].includes(name) ? 1 : 2))
      .map(([name]) => name);
    expect(thin).toEqual([]);
  });

  it('offers every op as a Tensor method too, except the multi-tensor ones', () => {
    const prototype = autograd.Tensor.prototype as unknown as Record<string, unknown>;
    const withoutMethod = Object.keys(OPS).filter(
      (name) => !FUNCTION_ONLY.includes(name) && typeof prototype[METHOD_NAMES[name] ?? name] !== 'function',
    );
    expect(withoutMethod).toEqual([]);
  });
});

describe('methods and functions agree', () => {
  const a = () => x([3, 4], { seed: 161, ...positive });
  const b = () => x([4], { seed: 162 });
  const index = ints([[0, 1, 2, 0]]);
  const pairs: [string, (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = [
    ['add', (t) => t.add(b()), (t) => add(t, b())],
    ['pow', (t) => t.pow(b()), (t) => pow(t, b())],
    ['log', (t) => t.log(), log],
    ['clamp', (t) => t.clamp(0.5, 1), (t) => clamp(t, 0.5, 1)],
    ['leakyRelu', (t) => t.leakyRelu(0.3), (t) => leakyRelu(t, 0.3)],
    ['logsumexp', (t) => t.logsumexp(0, true), (t) => logsumexp(t, 0, true)],
    ['var', (t) => t.var(1, { correction: 0 }), (t) => variance(t, 1, { correction: 0 })],
    ['variance', (t) => t.variance(0), (t) => variance(t, 0)],
    ['norm', (t) => t.norm(0), (t) => norm(t, 0)],
    ['norm of every element', (t) => t.norm(), (t) => norm(t, [0, 1])],
    ['reshape, varargs', (t) => t.reshape(2, -1), (t) => reshape(t, [2, 6])],
    ['reshape, array', (t) => t.reshape([6, 2]), (t) => reshape(t, [6, 2])],
    ['permute, varargs', (t) => t.permute(1, 0), (t) => permute(t, [1, 0])],
    ['permute, array', (t) => t.permute([1, 0]), (t) => permute(t, [1, 0])],
    ['expand, varargs', (t) => t.unsqueeze(0).expand(2, -1, -1), (t) => expand(unsqueeze(t, 0), [2, 3, 4])],
    ['normalize', (t) => t.normalize({ axis: 0 }), (t) => normalize(t, { axis: 0 })],
    ['cosineSimilarity', (t) => t.cosineSimilarity(b()), (t) => cosineSimilarity(t, b())],
    ['flatten', (t) => t.flatten(), flatten],
    [
      'slice',
      (t) => t.slice([1, 3], [null, null, 2]),
      (t) =>
        slice(t, [
          [1, 3],
          [null, null, 2],
        ]),
    ],
    ['gather', (t) => t.gather(0, index), (t) => gather(t, 0, index)],
    [
      'scatterAdd',
      (t) => t.scatterAdd(0, index, b().reshape([1, 4])),
      (t) => scatterAdd(t, 0, index, b().reshape([1, 4])),
    ],
    ['maskedFill', (t) => t.maskedFill(ints([1, 0, 0, 1]), 7), (t) => maskedFill(t, ints([1, 0, 0, 1]), 7)],
  ];
  for (const [name, method, fn] of pairs) {
    it(name, () => {
      const viaMethod = method(a());
      const viaFunction = fn(a());
      expect(viaMethod.shape).toEqual(viaFunction.shape);
      expect(viaMethod.toArray()).toEqual(viaFunction.toArray());
      expect(viaMethod.gradFn?.name).toBe(viaFunction.gradFn?.name);
    });
  }
});
