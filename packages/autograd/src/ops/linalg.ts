import * as nd from '@xent/tensor';
import { formatShape, ShapeError } from '@xent/tensor';
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

/**
 * y = x·Wᵀ + b (PyTorch's `F.linear`): `input` `[..., in]`, `weight` `[out, in]`, `bias` `[out]`.
 * The same numbers as `matmul(input, weight.transpose()).add(bias)`, as one node so that
 * backward makes each gradient directly in its parameter's layout:
 * dx = G·W, dW = Gᵀ·x (a contiguous `[out, in]`, where the composed form yields a transposed
 * view that the leaf's accumulation must copy element by element), db = Σ G over every axis
 * but the last (no broadcast add node, no sumToShape). All three are differentiable ops.
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkLinearShapes(input, weight, bias);
  const product = nd.matmul(input.data, weight.data.transpose());
  const output = bias ? nd.add(product, bias.data) : product;
  const inputs = bias ? [input, weight, bias] : [input, weight];
  return record('linear', output, inputs, (g) => {
    const rows = g.reshape([-1, weight.shape[0]]);
    const gradients = [
      input.requiresGrad ? matmul(g, weight) : null,
      weight.requiresGrad ? matmul(rows.transpose(), input.reshape([-1, weight.shape[1]])) : null,
    ];
    if (bias) gradients.push(bias.requiresGrad ? rows.sum(0) : null);
    return gradients;
  });
}

/**
 * The shapes `linear` accepts. A bias of any other shape would broadcast in the forward
 * (a `[1]` or `[N, out]` bias adds fine) and then get a `[out]` gradient in the backward.
 */
function checkLinearShapes(input: Tensor, weight: Tensor, bias: Tensor | null): void {
  if (weight.ndim !== 2) {
    throw new ShapeError(`linear: weight has shape ${formatShape(weight.shape)}; expected [out, in]`);
  }
  const [outFeatures, inFeatures] = weight.shape;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inFeatures) {
    throw new ShapeError(
      `linear: input has shape ${formatShape(input.shape)} but weight ${formatShape(weight.shape)} needs [..., ${inFeatures}]`,
    );
  }
  if (bias && !(bias.ndim === 1 && bias.shape[0] === outFeatures)) {
    throw new ShapeError(
      `linear: bias has shape ${formatShape(bias.shape)} but weight ${formatShape(weight.shape)} needs [${outFeatures}]`,
    );
  }
}
