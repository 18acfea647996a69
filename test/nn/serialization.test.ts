import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, tensor } from '@xent/autograd';
import { Linear, load, readSafetensors, SafetensorsError, Sequential, save, Tanh } from '@xent/nn';
import { Generator } from '@xent/tensor';
import { describe, expect, it } from 'vitest';
import { loadFile, saveFile } from '../../packages/nn/src/node.js';

const fixtureDir = new URL('../../fixtures/safetensors/', import.meta.url);
const fixtureBytes = new Uint8Array(readFileSync(new URL('tiny.safetensors', fixtureDir)));
const fixture = JSON.parse(readFileSync(new URL('tiny.json', fixtureDir), 'utf8')) as {
  fileSize: number;
  headerLength: number;
  dataStart: number;
  metadata: Record<string, string>;
  tensors: {
    name: string;
    dtype: string;
    shape: number[];
    dataOffsets: [number, number];
    values: number[];
  }[];
};
const dtypes: Record<string, string> = { F32: 'float32', F64: 'float64', I32: 'int32' };

function header(bytes: Uint8Array): { length: number; json: Record<string, unknown>; raw: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const raw = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { length, json: JSON.parse(raw), raw };
}

/** The fixture's bytes with the header replaced by `json` (re-padded). */
function withHeader(json: unknown): Uint8Array {
  return file(json, fixtureBytes.subarray(8 + header(fixtureBytes).length));
}

/** A safetensors file of header `json` and data section `data`. */
function file(json: unknown, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const padded = Math.ceil(text.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(text, 8);
  out.set(data, 8 + padded);
  return out;
}

describe('safetensors', () => {
  it('reads the independent fixture: dtypes, shapes, values and metadata', () => {
    expect(fixtureBytes.length).toBe(fixture.fileSize);
    const { tensors, metadata } = readSafetensors(fixtureBytes);
    expect(metadata).toEqual(fixture.metadata);
    expect(Object.keys(tensors)).toEqual(fixture.tensors.map((t) => t.name));
    for (const expected of fixture.tensors) {
      const t = tensors[expected.name];
      expect(t.dtype).toBe(dtypes[expected.dtype]);
      expect(t.shape).toEqual(expected.shape);
      expect(Array.from(t.data.values())).toEqual(expected.values);
    }
  });

  it('writes the published layout: u64 LE header length, padded JSON header, LE data', () => {
    const sd = {
      bias: tensor([0.1, -1e-300, 12345.678], { dtype: 'float64' }),
      'layer.weight': tensor([
        [1.5, -2.25, 0],
        [0.1, -3e38, 1e-7],
      ]),
      labels: tensor(new Int32Array([0, -1, 2147483647, -2147483648])),
    };
    const bytes = save(sd, fixture.metadata);
    const { length, json } = header(bytes);
    expect(length % 8).toBe(0);
    expect(json).toEqual({
      bias: { dtype: 'F64', shape: [3], data_offsets: [0, 24] },
      'layer.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [24, 48] },
      labels: { dtype: 'I32', shape: [4], data_offsets: [48, 64] },
      __metadata__: fixture.metadata,
    });
    // The data section is byte-for-byte the fixture's (same tensors, same order).
    expect(bytes.subarray(8 + length)).toEqual(fixtureBytes.subarray(fixture.dataStart));
    expect(bytes.length).toBe(8 + length + 64);
  });

  it('round-trips a model state dict (bytes and files)', () => {
    const model = new Sequential(
      new Linear(3, 5, { generator: new Generator(1) }),
      new Tanh(),
      new Linear(5, 2),
    );
    const restored = load(save(model.stateDict()));
    expect(Object.keys(restored)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const twin = new Sequential(new Linear(3, 5), new Tanh(), new Linear(5, 2));
    twin.loadStateDict(restored);
    const x = tensor([[1, 2, 3]]);
    expect(twin.forward(x).toArray()).toEqual(model.forward(x).toArray());

    const path = join(mkdtempSync(join(tmpdir(), 'xent-nn-')), 'model.safetensors');
    saveFile(model.stateDict(), path);
    const fromFile = loadFile(path);
    expect(fromFile['2.bias'].toArray()).toEqual(model.stateDict()['2.bias'].toArray());
  });

  it('saves non-contiguous views and empty tensors', () => {
    const wide = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const restored = load(save({ t: wide.transpose(), empty: tensor([], { dtype: 'float64' }) }));
    expect(restored.t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(restored.empty.shape).toEqual([0]);
  });

  it('save refuses what load would refuse or what is not an array, naming it', () => {
    expect(() => save({ a: tensor([1]) }, { epoch: 3 } as unknown as Record<string, string>)).toThrow(
      new SafetensorsError("save: metadata 'epoch' is number 3; safetensors metadata values must be strings"),
    );
    expect(() => save({ w: [1, 2] } as unknown as Record<string, Tensor>)).toThrow(
      new SafetensorsError("save: 'w' is a plain array; expected a Tensor or an NDArray"),
    );
    expect(() => save({ w: null } as unknown as Record<string, Tensor>)).toThrow(
      "save: 'w' is null; expected a Tensor or an NDArray",
    );
    expect(readSafetensors(save({ a: tensor([1]) }, { epoch: '3' })).metadata).toEqual({ epoch: '3' });
  });

  it('rejects truncated and corrupt input with a clear error, loading nothing', () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'too short',
        fixtureBytes.subarray(0, 5),
        /got 5 bytes, but a safetensors file starts with an 8-byte header length/,
      ],
      [
        'truncated header',
        fixtureBytes.subarray(0, 100),
        /the header length says 256 bytes but only 92 follow/,
      ],
      [
        'truncated data',
        fixtureBytes.subarray(0, fixture.fileSize - 4),
        /'labels' ends at data byte 64 but the file holds 60 data bytes/,
      ],
      [
        'not JSON',
        (() => {
          const b = fixtureBytes.slice();
          b[8] = 0x7b;
          b[9] = 0x7b;
          return b;
        })(),
        /not valid UTF-8 JSON/,
      ],
      [
        'bad dtype',
        withHeader({
          ...header(fixtureBytes).json,
          bias: { dtype: 'Q8', shape: [3], data_offsets: [0, 24] },
        }),
        /'bias' has dtype "Q8"/,
      ],
      [
        'size mismatch',
        withHeader({
          ...header(fixtureBytes).json,
          bias: { dtype: 'F64', shape: [4], data_offsets: [0, 24] },
        }),
        /'bias' \(F64 \[4\]\) needs 32 bytes but data_offsets span 24/,
      ],
      [
        'overlap',
        withHeader({
          ...header(fixtureBytes).json,
          labels: { dtype: 'I32', shape: [4], data_offsets: [40, 56] },
        }),
        /overlap or gap/,
      ],
      [
        'extra bytes',
        new Uint8Array([...fixtureBytes, 0, 0, 0, 0]),
        /the tensors cover 64 data bytes but the file holds 68/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      let error: unknown;
      try {
        load(bytes);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(SafetensorsError);
      expect((error as Error).message, name).toMatch(message);
      expect((error as Error).message, name).toMatch(/nothing was loaded/);
    }
  });

  it('reads int64 (PyTorch labels) into int32 when the values fit', () => {
    const spec = { x: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } };
    const fits = new Uint8Array(new BigInt64Array([5n, -3n]).buffer);
    const x = load(file(spec, fits)).x;
    expect(x.dtype).toBe('int32');
    expect(x.toArray()).toEqual([5, -3]);
    const big = new Uint8Array(new BigInt64Array([5n, 1n << 40n]).buffer);
    expect(() => load(file(spec, big))).toThrow(
      /'x' is I64 with value 1099511627776, which does not fit int32/,
    );
  });
});
