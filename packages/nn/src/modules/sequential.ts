import type { Tensor } from '@xent/autograd';
import { ValueError } from '@xent/tensor';
import { Module } from './module.js';

/**
 * Modules applied one after the other (PyTorch's `nn.Sequential`); parameters are named
 * by position, `0.weight`, `2.bias`, … as in PyTorch, so state dicts are interchangeable.
 */
export class Sequential extends Module {
  /** The modules, in order. */
  private readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) {
        const given = typeof layer === 'function' ? 'a function' : String(layer);
        throw new ValueError(`Sequential: layer ${i} is ${given}; expected a Module`);
      }
    });
    this.layers = layers;
  }

  /** Number of modules. */
  get length(): number {
    return this.layers.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module | undefined {
    return this.layers.at(index);
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((layer, i) => [String(i), layer]);
  }

  override forward(input: Tensor): Tensor {
    let output = input;
    for (const layer of this.layers) output = layer.forward(output);
    return output;
  }
}
