/** Activation modules: each wraps the differentiable autograd op of the same name. */
import type { Tensor } from '@xent/autograd';
import { Module } from './module.js';

/** max(x, 0) (PyTorch's `nn.ReLU`). */
export class ReLU extends Module {
  override forward(input: Tensor): Tensor {
    return input.relu();
  }
}

/** tanh(x) (PyTorch's `nn.Tanh`). */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

/** 1 / (1 + e⁻ˣ) (PyTorch's `nn.Sigmoid`). */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.sigmoid();
  }
}

/** x · Φ(x) with the exact erf form (PyTorch's `nn.GELU()`, `approximate='none'`). */
export class GELU extends Module {
  override forward(input: Tensor): Tensor {
    return input.gelu();
  }
}

/** x for x > 0, `negativeSlope` · x otherwise (PyTorch's `nn.LeakyReLU`, default slope 0.01). */
export class LeakyReLU extends Module {
  /** @param negativeSlope The slope for x ≤ 0 (default 0.01). */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input.leakyRelu(this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * Softmax along `dim` (PyTorch's `nn.Softmax`). Unlike PyTorch, `dim` defaults to the last
 * axis, xent's class axis.
 */
export class Softmax extends Module {
  /** @param dim The axis whose entries are normalised to sum to 1 (default −1, the last). */
  constructor(readonly dim = -1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input.softmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
