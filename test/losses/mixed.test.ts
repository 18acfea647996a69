import { type Tensor, tensor } from '@xent/autograd';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  type MixedReconstructionInputs,
  mixedReconstructionLoss,
} from '@xent/losses';
import { IndexError, ShapeError, ValueError } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients, randomInput } from '../helpers/gradients.js';
import { type Json, losses2Cases, maxError } from './losses2-fixtures.js';

type Matrix = number[][];
const leaf = (data: Json) => tensor(data as Matrix, { dtype: 'float64', requiresGrad: true });
const f64 = (data: Json) => tensor(data as Matrix, { dtype: 'float64' });

/** Builds the xent inputs of a fixture case and the leaves, keyed by the fixture's grad paths. */
function fromFixture(raw: Record<string, Json>): {
  inputs: MixedReconstructionInputs;
  leaves: Map<string, Tensor>;
} {
  const leaves = new Map<string, Tensor>();
  const inputs: MixedReconstructionInputs = {};
  const part = raw as Record<string, Record<string, Json>>;
  if (part.binary) {
    leaves.set('binary.logits', leaf(part.binary.logits));
    inputs.binary = { logits: leaves.get('binary.logits') as Tensor, target: f64(part.binary.target) };
  }
  if (part.continuous) {
    leaves.set('continuous.pred', leaf(part.continuous.pred));
    inputs.continuous = {
      pred: leaves.get('continuous.pred') as Tensor,
      target: f64(part.continuous.target),
    };
  }
  if (raw.categorical) {
    inputs.categorical = (raw.categorical as { logits: Json; target: number[] }[]).map((head, j) => {
      leaves.set(`categorical.${j}.logits`, leaf(head.logits));
      return { logits: leaves.get(`categorical.${j}.logits`) as Tensor, target: head.target };
    });
  }
  return { inputs, leaves };
}

describe('mixedReconstructionLoss', () => {
  it.each(losses2Cases('mixedReconstructionLoss'))('matches PyTorch: %s', (_, c) => {
    const { inputs, leaves } = fromFixture(c.inputs);
    const { total, parts } = mixedReconstructionLoss(inputs, c.options);
    const expected = c.value as { total: number; parts: Record<string, Json> };
    expect(maxError(total.item(), expected.total)).toBeLessThan(1e-10);
    expect(Object.keys(parts).sort()).toEqual(Object.keys(expected.parts).sort());
    if (parts.binary) expect(maxError(parts.binary.item(), expected.parts.binary)).toBeLessThan(1e-10);
    if (parts.continuous)
      expect(maxError(parts.continuous.item(), expected.parts.continuous)).toBeLessThan(1e-10);
    if (parts.categorical) {
      expect(
        maxError(
          parts.categorical.map((p) => p.item()),
          expected.parts.categorical,
        ),
      ).toBeLessThan(1e-10);
    }
    total.backward();
    expect([...leaves.keys()].sort()).toEqual(Object.keys(c.grads).sort());
    for (const [path, grad] of Object.entries(c.grads)) {
      expect(maxError(leaves.get(path)?.grad?.toArray(), grad), `grad of ${path}`).toBeLessThan(1e-10);
    }
  });

  it('is the weighted sum of BCE-with-logits, MSE and every categorical CE', () => {
    const binaryLogits = randomInput([4, 2], { seed: 1 });
    const binaryTarget = tensor(
      [
        [1, 0],
        [0, 0],
        [1, 1],
        [0, 1],
      ],
      { dtype: 'float64' },
    );
    const pred = randomInput([4, 3], { seed: 2 });
    const continuousTarget = randomInput([4, 3], { seed: 3, requiresGrad: false });
    const head0 = randomInput([4, 3], { seed: 4 });
    const head1 = randomInput([4, 5], { seed: 5 });
    const weights = { binary: 0.5, continuous: 2, categorical: 3 };
    const { total, parts } = mixedReconstructionLoss(
      {
        binary: { logits: binaryLogits, target: binaryTarget },
        continuous: { pred, target: continuousTarget },
        categorical: [
          { logits: head0, target: [0, 2, 1, 1] },
          { logits: head1, target: [4, 0, 3, 2] },
        ],
      },
      { weights },
    );
    const bce = binaryCrossEntropyWithLogits(binaryLogits, binaryTarget).item();
    let squared = 0;
    const p = pred.data.values();
    const t = continuousTarget.data.values();
    for (let i = 0; i < p.length; i++) squared += (p[i] - t[i]) ** 2;
    const ce0 = crossEntropy(head0, [0, 2, 1, 1]).item();
    const ce1 = crossEntropy(head1, [4, 0, 3, 2]).item();
    expect(parts.binary?.item()).toBeCloseTo(bce, 14);
    expect(parts.continuous?.item()).toBeCloseTo(squared / 12, 14);
    expect(parts.categorical?.map((x) => x.item())).toEqual([ce0, ce1]);
    expect(total.item()).toBeCloseTo(0.5 * bce + 2 * (squared / 12) + 3 * (ce0 + ce1), 13);
  });

  it('passes gradcheck and gradgradcheck through every part', () => {
    const binaryTarget = tensor(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      { dtype: 'float64' },
    );
    const continuousTarget = randomInput([3, 2], { seed: 9, requiresGrad: false });
    checkGradients(
      (binaryLogits, pred, head0, head1) =>
        mixedReconstructionLoss(
          {
            binary: { logits: binaryLogits, target: binaryTarget },
            continuous: { pred, target: continuousTarget },
            categorical: [
              { logits: head0, target: [2, 0, 1] },
              { logits: head1, target: [1, 1, 0] },
            ],
          },
          { weights: { binary: 0.7, continuous: 1.5, categorical: 0.4 } },
        ).total,
      [
        randomInput([3, 2], { seed: 6 }),
        randomInput([3, 2], { seed: 7, layout: 'transposed' }),
        randomInput([3, 3], { seed: 8 }),
        randomInput([3, 2], { seed: 10, layout: 'sliced' }),
      ],
    );
  });

  it('rejects missing parts, bad weights and bad part inputs, naming the part', () => {
    const logits = randomInput([2, 3]);
    expect(() => mixedReconstructionLoss({})).toThrow(ValueError);
    expect(() => mixedReconstructionLoss({ categorical: [] })).toThrow(
      /mixedReconstructionLoss: inputs has no binary, continuous or categorical part/,
    );
    expect(() =>
      mixedReconstructionLoss(
        { continuous: { pred: logits, target: logits } },
        { weights: { continuous: -1 } },
      ),
    ).toThrow(/mixedReconstructionLoss: weights.continuous is -1, expected a finite number ≥ 0/);
    expect(() => mixedReconstructionLoss({ continuous: { pred: logits, target: [[1, 2, 3]] } })).toThrow(
      ShapeError,
    );
    expect(() => mixedReconstructionLoss({ continuous: { pred: logits, target: [[1, 2, 3]] } })).toThrow(
      /continuous.target has shape \[1, 3\] but continuous.pred \[2, 3\] needs the same shape/,
    );
    expect(() =>
      mixedReconstructionLoss({
        categorical: [
          { logits, target: [0, 1] },
          { logits, target: [0, 3] },
        ],
      }),
    ).toThrow(IndexError);
    expect(() =>
      mixedReconstructionLoss({
        categorical: [
          { logits, target: [0, 1] },
          { logits, target: [0, 3] },
        ],
      }),
    ).toThrow(/mixedReconstructionLoss: categorical\[1\]: crossEntropy: target contains class 3/);
    expect(() => mixedReconstructionLoss({ binary: { logits, target: [[0, 1, 2]] } })).toThrow(
      /mixedReconstructionLoss: binary: binaryCrossEntropyWithLogits/,
    );
  });
});
