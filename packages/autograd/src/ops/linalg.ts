import * as nd from '@xent/tensor';
import { record, sumToShape } from '../record.js';
import type { Tensor } from '../tensor.js';

/**
 * Matrix product with NumPy/PyTorch rules (1-D operands, broadcast batch axes; two 1-D
 * operands give their dot product as a 0-d tensor). Backward:
 * dA = G·Bᵀ, dB = Aᵀ·G, summed over broadcast batch axes (and skipped for an input that needs no
 * gradient). Transposes are views; the kernel reads them in place.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 1 && b.ndim === 1) return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape([]);
  if (a.ndim === 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.ndim === 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
  return record('matmul', nd.matmul(a.data, b.data), [a, b], (g) => [
    a.requiresGrad ? sumToShape(matmul(g, b.transpose()), a.shape) : null,
    b.requiresGrad ? sumToShape(matmul(a.transpose(), g), b.shape) : null,
  ]);
}
