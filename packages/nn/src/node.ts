/**
 * Node-only helpers: read and write safetensors files. Kept out of the package's main
 * entry so that `@xent/nn` itself runs in the browser; import them from `@xent/nn/node`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { StateDict } from './modules/module.js';
import { load, type SaveInput, save } from './serialization/safetensors.js';

/** Writes `stateDict` to `path` in the safetensors format (see `save`). */
export function saveFile(stateDict: SaveInput, path: string, metadata?: Record<string, string>): void {
  writeFileSync(path, save(stateDict, metadata));
}

/** Reads a safetensors file (see `load`); throws without loading anything if it is invalid. */
export function loadFile(path: string): StateDict {
  return load(readFileSync(path));
}
