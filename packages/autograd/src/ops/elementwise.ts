/** Differentiable arithmetic. Each op: forward on NDArrays, backward beside it in Tensor ops. */
import * as nd from '@xent/tensor';
import { constant, dataOf, type Operand, record, sumToShape } from '../record.js';
import { Tensor } from '../tensor.js';
import { where } from './indexing.js';

type Gradients = [Tensor | null, Tensor | null];

/**
 * True when `x` is a tensor whose gradient is wanted. Backward rules skip the others'
 * gradients: a matmul or mul by a constant input would otherwise pay for a product
 * that the engine throws away.
 */
export function needsGrad(x: Operand): x is Tensor {
  return x instanceof Tensor && x.requiresGrad;
}

/** Records a broadcasting binary op; gradients are summed back to each operand's shape. */
function binaryOp(
  name: string,
  a: Operand,
  b: Operand,
  forward: (x: nd.ArrayOrScalar, y: nd.ArrayOrScalar) => nd.NDArray,
  backward: (gradOutput: Tensor, output: Tensor) => Gradients,
): Tensor {
  const inputs: Tensor[] = [];
  if (a instanceof Tensor) inputs.push(a);
  if (b instanceof Tensor) inputs.push(b);
  return record(name, forward(dataOf(a), dataOf(b)), inputs, (g, out) => {
    const [ga, gb] = backward(g, out);
    const grads: (Tensor | null)[] = [];
    if (a instanceof Tensor) grads.push(ga && sumToShape(ga, a.data.view.shape));
    if (b instanceof Tensor) grads.push(gb && sumToShape(gb, b.data.view.shape));
    return grads;
  });
}

/** Records a unary op. */
function unaryOp(
  name: string,
  a: Tensor,
  forward: (x: nd.NDArray) => nd.NDArray,
  backward: (gradOutput: Tensor, output: Tensor) => Tensor,
): Tensor {
  return record(name, forward(a.data), [a], (g, out) => [backward(g, out)]);
}

/** a + b. */
export function add(a: Operand, b: Operand): Tensor {
  // d(a+b)/da = 1, d(a+b)/db = 1
  return binaryOp('add', a, b, nd.add, (g) => [g, g]);
}

/** a − b. */
export function sub(a: Operand, b: Operand): Tensor {
  // d(a−b)/da = 1, d(a−b)/db = −1
  return binaryOp('sub', a, b, nd.sub, (g) => [g, needsGrad(b) ? neg(g) : null]);
}

/** a · b. */
export function mul(a: Operand, b: Operand): Tensor {
  // d(ab)/da = b, d(ab)/db = a
  return binaryOp('mul', a, b, nd.mul, (g) => [
    needsGrad(a) ? mul(g, b) : null,
    needsGrad(b) ? mul(g, a) : null,
  ]);
}

/** a / b. */
export function div(a: Operand, b: Operand): Tensor {
  // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −(a/b)/b
  return binaryOp('div', a, b, nd.div, (g, out) => [
    needsGrad(a) ? div(g, b) : null,
    needsGrad(b) ? neg(div(mul(g, out), b)) : null,
  ]);
}

/** −a. */
export function neg(a: Tensor): Tensor {
  // d(−a)/da = −1
  return unaryOp('neg', a, nd.neg, (g) => neg(g));
}

/**
 * a ** b, for a scalar or tensor exponent. As in PyTorch, the base's gradient is 0 where
 * b = 0 (b·aᵇ⁻¹ would be 0·∞ = NaN at a = 0), and where a = 0 the exponent's gradient (which
 * has a factor log a) is taken as 0.
 */
export function pow(a: Operand, b: Operand): Tensor {
  // d(aᵇ)/da = b·aᵇ⁻¹, d(aᵇ)/db = aᵇ·log a
  return binaryOp('pow', a, b, nd.pow, (g, out) => {
    const gradBase = needsGrad(a) ? powBaseGradient(g, a, b) : null;
    if (!needsGrad(b)) return [gradBase, null];
    // log a, with a = 0 replaced by 1 (a differentiable where, so second derivatives hold).
    const safeLog = typeof a === 'number' ? Math.log(a === 0 ? 1 : a) : log(where(nd.equal(a.data, 0), 1, a));
    return [gradBase, mul(g, mul(out, safeLog))];
  });
}

/** g·b·aᵇ⁻¹, and 0 wherever b = 0 (PyTorch's `pow_backward`). */
function powBaseGradient(g: Tensor, a: Tensor, b: Operand): Tensor {
  if (typeof b === 'number') {
    if (b === 0) return constant(nd.zeros(g.shape, { dtype: g.dtype }));
    return mul(g, mul(pow(a, b - 1), b));
  }
  const gradient = mul(g, mul(b, pow(a, sub(b, 1))));
  return where(nd.equal(b.data, 0), 0, gradient);
}

/** eᵃ. */
export function exp(a: Tensor): Tensor {
  // d eᵃ/da = eᵃ
  return unaryOp('exp', a, nd.exp, (g, out) => mul(g, out));
}

/** Natural log. */
export function log(a: Tensor): Tensor {
  // d log a/da = 1/a
  return unaryOp('log', a, nd.log, (g) => div(g, a));
}

/** log(1 + a). */
export function log1p(a: Tensor): Tensor {
  // d log(1+a)/da = 1/(1+a)
  return unaryOp('log1p', a, nd.log1p, (g) => div(g, add(a, 1)));
}

/** √a. */
export function sqrt(a: Tensor): Tensor {
  // d√a/da = 1/(2√a)
  return unaryOp('sqrt', a, nd.sqrt, (g, out) => div(g, mul(out, 2)));
}

/** |a|; the gradient at 0 is 0, as in PyTorch. */
export function abs(a: Tensor): Tensor {
  // d|a|/da = sign(a)
  return unaryOp('abs', a, nd.abs, (g) => mul(g, constant(nd.sign(a.data))));
}

/** The error function. */
export function erf(a: Tensor): Tensor {
  // d erf(a)/da = 2/√π · e^{−a²}
  return unaryOp('erf', a, nd.erf, (g) => mul(g, mul(exp(neg(mul(a, a))), 2 / Math.sqrt(Math.PI))));
}

/** Limits a to [min, max]; the gradient is 1 inside (bounds included) and 0 outside, as in PyTorch. */
export function clamp(a: Tensor, min?: number, max?: number): Tensor {
  const low = min ?? Number.NEGATIVE_INFINITY;
  const high = max ?? Number.POSITIVE_INFINITY;
  return unaryOp(
    'clamp',
    a,
    (x) => nd.clamp(x, low, high),
    (g) => mul(g, constant(nd.mul(nd.greaterEqual(a.data, low), nd.lessEqual(a.data, high)))),
  );
}

/** Elementwise maximum; at ties the gradient is split equally, as in PyTorch. */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return binaryOp('maximum', a, b, nd.maximum, (g) => {
    const share = nd.add(nd.greater(a.data, b.data), nd.mul(nd.equal(a.data, b.data), 0.5));
    return [
      needsGrad(a) ? mul(g, constant(share)) : null,
      needsGrad(b) ? mul(g, constant(nd.sub(1, share))) : null,
    ];
  });
}

/** Elementwise minimum; at ties the gradient is split equally, as in PyTorch. */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return binaryOp('minimum', a, b, nd.minimum, (g) => {
    const share = nd.add(nd.less(a.data, b.data), nd.mul(nd.equal(a.data, b.data), 0.5));
    return [
      needsGrad(a) ? mul(g, constant(share)) : null,
      needsGrad(b) ? mul(g, constant(nd.sub(1, share))) : null,
    ];
  });
}
