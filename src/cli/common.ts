// Shared pieces of the px-lab commands: file IO, models, inputs and weights, the backend, clear
// one-line errors for each (the flags are args.ts's).
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  finiteFloat32,
  parseSafetensors,
  showName,
  toInt32,
  writeSafetensors,
  type SafeFile,
  type TensorToWrite,
} from '../shared/safetensors';
import { buildModel, parseArch, type Model } from '../core/models';
import type { StateDict } from '../core/models/state';
import { readWeights } from '../shared/weights';
import { useNodeBackend, type BackendName } from '../core/backend';
import { asCliError, CliError } from './args';

const FS_ERRORS: Record<string, string> = {
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'is not a folder (a part of the path is a file)',
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'no space left on the disk',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** A Node file-system error as one plain line ("out.json: is a folder, not a file"); null for other errors. */
export function fsErrorLine(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return null;
  const why = FS_ERRORS[err.code] ?? `cannot be used (${err.code})`;
  return err.path ? `${err.path}: ${why}` : `file error: ${why}`;
}

/** An output path must not be a folder: refused before any work is done. */
export function checkOutPath(path: string | undefined, flag: string): void {
  if (path && existsSync(path) && statSync(path).isDirectory()) throw new CliError(`--${flag} ${path}: is a folder, not a file`);
}

export function readBytes(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new CliError(`${what} file not found: ${path}`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliError(fsErrorLine(e) ?? `${path}: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function readSafetensorsFile(path: string, what: string): SafeFile {
  return asCliError(() => parseSafetensors(readBytes(path, what), path));
}

/** --arch: a zoo name, or a JSON file holding a spec (or a case.json with an "arch" field). */
export function loadModel(arch: string): Model {
  return asCliError(() => {
    if (!arch.endsWith('.json')) return buildModel(arch);
    const j = JSON.parse(new TextDecoder().decode(readBytes(arch, 'arch')));
    return buildModel(parseArch(j.arch ?? j));
  });
}

/** Weights for `model`: the shared validator (src/shared/weights.ts), one clear line per problem. */
export function loadWeights(model: Model, path: string): StateDict {
  return loadWeightsFile(model, path).stateDict;
}

export function loadWeightsFile(model: Model, path: string): { stateDict: StateDict; metadata: Record<string, string>; bytes: Uint8Array } {
  const bytes = readBytes(path, 'weights');
  return asCliError(() => ({ ...readWeights(model, bytes, path), bytes }));
}

export interface Inputs {
  x: Float32Array;
  shape: [number, number, number, number];
  y: Int32Array;
}

/** Inputs x [N,C,H,W] (finite) and labels y [N] (each in 0..classes−1). */
export function loadInputs(path: string, classes: number): Inputs {
  const f = readSafetensorsFile(path, 'inputs');
  const x = f.tensors.get('x');
  const y = f.tensors.get('y');
  if (!x || !y)
    throw new CliError(
      `${path}: needs tensors "x" (F32 [N,C,H,W]) and "y" (I64/I32 [N]); found ${[...f.tensors.keys()].map(showName).join(', ') || 'none'}`,
    );
  if (x.shape.length !== 4) throw new CliError(`${path}: "x" must be [N,C,H,W] (got [${x.shape}])`);
  if (y.shape.length !== 1 || y.shape[0] !== x.shape[0]) throw new CliError(`${path}: "y" must be [${x.shape[0]}] (got [${y.shape}])`);
  if (x.shape[0] === 0) throw new CliError(`${path}: the inputs are empty ("x" has shape [${x.shape}]: no examples to score with)`);
  if (x.dtype !== 'F32' && x.dtype !== 'F64') throw new CliError(`${path}: "x" must be F32 or F64 (got ${x.dtype})`);
  return asCliError(() => ({
    x: finiteFloat32(x, `${path}: tensor "x"`),
    shape: x.shape as Inputs['shape'],
    y: toInt32(y, `${path}: tensor "y"`, classes),
  }));
}

export function writeFile(path: string, data: Uint8Array | string): void {
  try {
    const dir = dirname(path);
    if (dir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
    writeFileSync(path, data);
  } catch (e) {
    throw new CliError(fsErrorLine(e) ?? `${path}: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function writeSafetensorsFile(path: string, tensors: TensorToWrite[], metadata: Record<string, string>): void {
  writeFile(path, writeSafetensors(tensors, metadata));
}

export async function setupBackend(v: Record<string, unknown>): Promise<BackendName> {
  const b = (v.backend as string | undefined) ?? process.env.PXLAB_BACKEND;
  if (b !== undefined && b !== 'wasm' && b !== 'cpu')
    throw new CliError(`--backend must be wasm or cpu in Node (got ${JSON.stringify(b)})`);
  return useNodeBackend(b as BackendName | undefined);
}

export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}
