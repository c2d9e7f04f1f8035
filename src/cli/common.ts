// Shared pieces of the px-lab commands: argument parsing, file IO, clear one-line errors.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { finiteFloat32, parseSafetensors, showName, toInt32, writeSafetensors, type SafeFile, type TensorToWrite } from '../shared/safetensors';
import { buildModel, parseArch, type Model } from '../core/models';
import type { StateDict } from '../core/models/state';
import { readWeights } from '../shared/weights';
import { useNodeBackend, type BackendName } from '../core/backend';
import { METHOD_NAMES, isMethodId, type MethodId } from '../shared/methods';
import type { Scope } from '../core/pruners/masking';
import { FIELD_FACTS, inRange, rangeText, type NumberFact } from '../shared/fields';

/** An error the user caused: printed as one line, exit code 2. */
export class CliError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (e) {
    throw new CliError((e as Error).message.split('\n')[0]);
  }
}

export function required(v: Record<string, unknown>, name: string): string {
  const s = v[name];
  if (typeof s !== 'string' || !s) throw new CliError(`missing --${name}`);
  return s;
}

export function numberArg(v: Record<string, unknown>, name: string, fallback: number, check?: (n: number) => boolean, what = 'a number'): number {
  const s = v[name];
  if (s === undefined) return fallback;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isFinite(n) || (check && !check(n))) throw new CliError(`--${name} must be ${what} (got ${JSON.stringify(s)})`);
  return n;
}

export function readBytes(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new CliError(`${what} file not found: ${path}`);
  return new Uint8Array(readFileSync(path));
}

export function readSafetensorsFile(path: string, what: string): SafeFile {
  try {
    return parseSafetensors(readBytes(path, what), path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
}

/** --arch: a zoo name, or a JSON file holding a spec (or a case.json with an "arch" field). */
export function loadModel(arch: string): Model {
  try {
    if (arch.endsWith('.json')) {
      const j = JSON.parse(new TextDecoder().decode(readBytes(arch, 'arch')));
      return buildModel(parseArch(j.arch ?? j));
    }
    return buildModel(arch);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** Weights for `model`: the shared validator (src/shared/weights.ts), one clear line per problem. */
export function loadWeights(model: Model, path: string): StateDict {
  return loadWeightsFile(model, path).stateDict;
}

export function loadWeightsFile(model: Model, path: string): { stateDict: StateDict; metadata: Record<string, string>; bytes: Uint8Array } {
  const bytes = readBytes(path, 'weights');
  try {
    return { ...readWeights(model, bytes, path), bytes };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
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
  if (!x || !y) throw new CliError(`${path}: needs tensors "x" (F32 [N,C,H,W]) and "y" (I64/I32 [N]); found ${[...f.tensors.keys()].map(showName).join(', ') || 'none'}`);
  if (x.shape.length !== 4) throw new CliError(`${path}: "x" must be [N,C,H,W] (got [${x.shape}])`);
  if (y.shape.length !== 1 || y.shape[0] !== x.shape[0]) throw new CliError(`${path}: "y" must be [${x.shape[0]}] (got [${y.shape}])`);
  if (x.shape[0] === 0) throw new CliError(`${path}: the inputs are empty ("x" has shape [${x.shape}]: no examples to score with)`);
  if (x.dtype !== 'F32' && x.dtype !== 'F64') throw new CliError(`${path}: "x" must be F32 or F64 (got ${x.dtype})`);
  try {
    return { x: finiteFloat32(x, `${path}: tensor "x"`), shape: x.shape as Inputs['shape'], y: toInt32(y, `${path}: tensor "y"`, classes) };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function writeFile(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  if (dir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(path, data);
}

export function writeSafetensorsFile(path: string, tensors: TensorToWrite[], metadata: Record<string, string>): void {
  writeFile(path, writeSafetensors(tensors, metadata));
}

export async function setupBackend(v: Record<string, unknown>): Promise<BackendName> {
  const b = (v.backend as string | undefined) ?? process.env.PXLAB_BACKEND;
  if (b !== undefined && b !== 'wasm' && b !== 'cpu') throw new CliError(`--backend must be wasm or cpu in Node (got ${JSON.stringify(b)})`);
  return useNodeBackend(b as BackendName | undefined);
}

export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** --method: a row of the method table (src/shared/methods.ts). */
export function methodArg(v: Record<string, unknown>): MethodId {
  const method = required(v, 'method');
  if (!isMethodId(method)) throw new CliError(`unknown method "${method}" (known: ${METHOD_NAMES.join(', ')})`);
  return method;
}

/** A flag whose label and range are the field table's (src/shared/fields.ts), as runs take them. */
export function fieldArg(v: Record<string, unknown>, flag: string, field: NumberFact, fallback: number): number {
  return numberArg(v, flag, fallback, (n) => inRange(field, 'run', n), rangeText(field, 'run'));
}

/** --rounds (or --one-shot-rounds). */
export function roundsArg(v: Record<string, unknown>, fallback: number, name = 'rounds'): number {
  return fieldArg(v, name, FIELD_FACTS.rounds, fallback);
}

/** --scope: global (the default) or local. */
export function scopeArg(v: Record<string, unknown>): Scope {
  const scope = (v.scope as string | undefined) ?? 'global';
  if (scope !== 'global' && scope !== 'local') throw new CliError(`--scope must be global or local (got ${JSON.stringify(scope)})`);
  return scope;
}
