/**
 * The safetensors format (https://huggingface.co/docs/safetensors): 8 bytes of little-endian
 * u64 header length N, N bytes of JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }`
 * padded with spaces so the data starts 8-byte aligned, then the raw little-endian tensor
 * bytes, `data_offsets` counted from the start of the data. PyTorch users read our files
 * with `safetensors.torch.load_file`, and we read theirs. Bytes only, so it runs in the
 * browser; the Node file helpers are in `node.ts`.
 */
import { Tensor } from '@xent/autograd';
import { type DType, NDArray, XentError } from '@xent/tensor';
import type { StateDict } from '../modules/module.js';

/** Thrown by {@link load} on bytes that are not a valid safetensors file. */
export class SafetensorsError extends XentError {}

/** Tensors (or arrays) to {@link save}, by name. */
export type SaveInput = Record<string, Tensor | NDArray>;

const dtypeCodes: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32' };
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Bytes per element and a reader of one element from a DataView, for each dtype code we read. */
const readers: Record<string, { dtype: DType; bytes: number; read: (view: DataView, at: number) => number }> =
  {
    F32: { dtype: 'float32', bytes: 4, read: (v, at) => v.getFloat32(at, true) },
    F64: { dtype: 'float64', bytes: 8, read: (v, at) => v.getFloat64(at, true) },
    I32: { dtype: 'int32', bytes: 4, read: (v, at) => v.getInt32(at, true) },
    // int64 (PyTorch's default integer type) is read as int32 when every value fits.
    I64: { dtype: 'int32', bytes: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  };

/**
 * Serialises `stateDict` to safetensors bytes: float32 → F32, float64 → F64, int32 → I32,
 * in the dict's key order, each tensor row-major. `metadata` (string to string) goes to
 * `__metadata__`.
 */
export function save(stateDict: SaveInput, metadata?: Record<string, string>): Uint8Array {
  const entries = Object.entries(stateDict).map(([name, value]) => {
    if (name === '__metadata__')
      throw new SafetensorsError("save: '__metadata__' is reserved and cannot be a tensor name");
    const array: unknown = value instanceof Tensor ? value.data : value;
    if (!(array instanceof NDArray)) {
      const given = Array.isArray(array) ? 'a plain array' : array === null ? 'null' : typeof array;
      throw new SafetensorsError(`save: '${name}' is ${given}; expected a Tensor or an NDArray`);
    }
    return { name, array, values: array.values() };
  });
  // load() refuses non-string metadata, so writing it would make a file that cannot be read back.
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value !== 'string') {
      throw new SafetensorsError(
        `save: metadata '${key}' is ${typeof value} ${String(value)}; safetensors metadata values must be strings`,
      );
    }
  }
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, array, values } of entries) {
    const end = offset + values.byteLength;
    header[name] = { dtype: dtypeCodes[array.dtype], shape: array.shape, data_offsets: [offset, end] };
    offset = end;
  }
  if (metadata) header.__metadata__ = metadata;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces
  let position = 8 + headerLength;
  for (const { values } of entries) {
    if (littleEndian) out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), position);
    else writeLittleEndian(view, position, values);
    position += values.byteLength;
  }
  return out;
}

function writeLittleEndian(
  view: DataView,
  position: number,
  values: ArrayLike<number> & { BYTES_PER_ELEMENT: number },
): void {
  for (let i = 0; i < values.length; i++) {
    const at = position + i * values.BYTES_PER_ELEMENT;
    if (values instanceof Float32Array) view.setFloat32(at, values[i], true);
    else if (values instanceof Float64Array) view.setFloat64(at, values[i], true);
    else view.setInt32(at, values[i], true);
  }
}

/** The metadata and tensors of a safetensors file, as {@link readSafetensors} returns them. */
export interface SafetensorsContents {
  /** The `__metadata__` strings (empty if absent). */
  metadata: Record<string, string>;
  /** The tensors, in header order. */
  tensors: StateDict;
}

/**
 * Parses safetensors bytes into a state dict of tensors (F32 → float32, F64 → float64,
 * I32 → int32, I64 → int32 when every value fits). Everything is validated before anything
 * is returned: a truncated or corrupt file throws a {@link SafetensorsError} saying what
 * is wrong, and no tensor is produced.
 */
export function load(bytes: Uint8Array): StateDict {
  return readSafetensors(bytes).tensors;
}

/** Like {@link load}, also returning the `__metadata__`. */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  const fail = (message: string): never => {
    throw new SafetensorsError(`load: ${message}; nothing was loaded`);
  };
  if (bytes.length < 8)
    fail(`got ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    fail(
      `the header length says ${declared} bytes but only ${bytes.length - 8} follow (truncated or not a safetensors file)`,
    );
  }
  const headerLength = Number(declared);
  const dataStart = 8 + headerLength;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    fail(`the ${headerLength}-byte header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('the header is not a JSON object');
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const specs: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) fail('__metadata__ is not an object');
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`__metadata__.${key} is not a string`);
        metadata[key] = value as string;
      }
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof entry !== 'object' || entry === null) fail(`'${name}' is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string' || !(dtype in readers))
      fail(`'${name}' has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(readers).join(', ')}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(`'${name}' has shape ${JSON.stringify(shape)}, expected an array of non-negative integers`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    )
      fail(
        `'${name}' has data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with 0 <= begin <= end`,
      );
    const [begin, end] = offsets as [number, number];
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = elements * readers[dtype as string].bytes;
    if (end - begin !== expected)
      fail(
        `'${name}' (${dtype} ${JSON.stringify(shape)}) needs ${expected} bytes but data_offsets span ${end - begin}`,
      );
    if (end > dataLength)
      fail(`'${name}' ends at data byte ${end} but the file holds ${dataLength} data bytes (truncated)`);
    specs.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  // The format requires the tensors to tile the data exactly: no overlap, no gap.
  const sorted = [...specs].sort((a, b) => a.begin - b.begin);
  let covered = 0;
  for (const spec of sorted) {
    if (spec.begin !== covered)
      fail(
        `'${spec.name}' starts at data byte ${spec.begin} but the previous tensor ends at ${covered} (overlap or gap)`,
      );
    covered = spec.end;
  }
  if (covered !== dataLength)
    fail(`the tensors cover ${covered} data bytes but the file holds ${dataLength}`);

  const tensors: StateDict = {};
  for (const spec of specs) {
    const reader = readers[spec.dtype];
    const array = NDArray.empty(spec.shape, reader.dtype);
    const target = array.data;
    const base = dataStart + spec.begin;
    if (littleEndian && spec.dtype !== 'I64') {
      new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(
        bytes.subarray(base, base + spec.end - spec.begin),
      );
      tensors[spec.name] = new Tensor(array);
      continue;
    }
    for (let i = 0; i < target.length; i++) {
      const value = reader.read(view, base + i * reader.bytes);
      if (spec.dtype === 'I64' && (value > 2147483647 || value < -2147483648))
        fail(`'${spec.name}' is I64 with value ${value}, which does not fit int32`);
      target[i] = value;
    }
    tensors[spec.name] = new Tensor(array);
  }
  return { metadata, tensors };
}
