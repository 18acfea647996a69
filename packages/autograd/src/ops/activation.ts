/** Differentiable activations, each in its overflow-free form. */
import * as nd from '@xent/tensor';
import { constant, record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { add, erf, mul, neg, sub } from './elementwise.js';

/** σ(a) = 1 / (1 + e⁻ᵃ). */
export function sigmoid(a: Tensor): Tensor {
  // dσ/da = σ(1 − σ)
  return record('sigmoid', nd.sigmoid(a.data), [a], (g, out) => [mul(g, mul(out, sub(1, out)))]);
}

/** tanh(a). */
export function tanh(a: Tensor): Tensor {
  // d tanh/da = 1 − tanh²
  return record('tanh', nd.tanh(a.data), [a], (g, out) => [mul(g, sub(1, mul(out, out)))]);
}

/** max(a, 0); the gradient at 0 is 0. */
export function relu(a: Tensor): Tensor {
  // d relu/da = [a > 0]
  return record('relu', nd.relu(a.data), [a], (g) => [mul(g, constant(nd.greater(a.data, 0)))]);
}

/** a for a > 0, slope·a otherwise; the gradient at 0 is the slope, as in PyTorch. */
export function leakyRelu(a: Tensor, negativeSlope = 0.01): Tensor {
  // d/da = 1 for a > 0, slope otherwise. The 1 is a 0-d array of a's dtype: with two plain
  // numbers `where` would give float32, rounding the slope of a float64 gradient.
  return record('leakyRelu', nd.leakyRelu(a.data, negativeSlope), [a], (g) => [
    mul(g, constant(nd.where(nd.greater(a.data, 0), nd.ones([], { dtype: a.dtype }), negativeSlope))),
  ]);
}

/** softplus(a) = log(1 + eᵃ), computed as max(a, 0) + log1p(e^−|a|). */
export function softplus(a: Tensor): Tensor {
  // d softplus/da = σ(a)
  return record('softplus', nd.softplus(a.data), [a], (g) => [mul(g, sigmoid(a))]);
}

/** log σ(a) = −softplus(−a), finite for every finite a. */
export function logSigmoid(a: Tensor): Tensor {
  // d log σ(a)/da = 1 − σ(a) = σ(−a)
  return record('logSigmoid', nd.logSigmoid(a.data), [a], (g) => [mul(g, sigmoid(neg(a)))]);
}

/** GELU with the exact erf form (PyTorch's default): a · Φ(a), Φ the standard normal CDF. */
export function gelu(a: Tensor): Tensor {
  // Composed from differentiable ops: Φ(a) = (1 + erf(a/√2)) / 2.
  const cdf = mul(add(erf(mul(a, Math.SQRT1_2)), 1), 0.5);
  return mul(a, cdf);
}
