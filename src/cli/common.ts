// Shared pieces of the px-lab commands: argument parsing, file IO, clear one-line errors.
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
import { METHOD_NAMES, isMethodId, type MethodId } from '../shared/methods';
import type { Scope } from '../core/pruners/masking';
import { FIELD_FACTS, inRange, rangeText, type NumberFact } from '../shared/fields';

/** An error the user caused: printed as one line, exit code 2. */
export class CliError extends Error {}

/** Runs `f`; a failure in it is the user's (core refusing what the user gave): a CliError with its message. */
export function asCliError<T>(f: () => T): T {
  const wrap = (e: unknown) => (e instanceof CliError ? e : new CliError((e as Error).message));
  try {
    const r = f();
    return (r instanceof Promise ? r.catch((e: unknown) => Promise.reject(wrap(e))) : r) as T;
  } catch (e) {
    throw wrap(e);
  }
}

/** A command's parsed flags. */
export type Args = Record<string, string | boolean | undefined>;
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** One px-lab command: main.ts parses its flags, prints its help on --help, else runs it. */
export interface Command {
  /** Its lines in `px-lab --help`. */
  usage: string;
  /** What `px-lab <command> --help` prints; `usage` when absent. */
  help?: string;
  options: FlagOptions;
  run: (v: Args) => Promise<void>;
}

/** parseArgs options of flags that take a value. */
export function valueFlags<N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

/** parseArgs options of on/off flags. */
export function switchFlags<N extends string>(...names: N[]): Record<N, { type: 'boolean' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'boolean' }])) as Record<N, { type: 'boolean' }>;
}

/** How one run prunes: the flags prune, score and train share. */
export const PRUNING_FLAGS = valueFlags('method', 'density', 'rounds', 'scope', 'examples-per-class');

/** `--name -1` → `--name=-1` for value options, so a negative number reaches the range check. */
function joinNegativeValues(argv: string[], options: FlagOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-[\d.]/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export function parse(argv: string[], options: FlagOptions): Args {
  try {
    const all = { ...options, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
    return parseArgs({ args: joinNegativeValues(argv, all), options: all, allowPositionals: false, strict: true }).values as Args;
  } catch (e) {
    throw new CliError((e as Error).message.split('\n')[0]);
  }
}

export function required(v: Record<string, unknown>, name: string): string {
  const s = v[name];
  if (typeof s !== 'string' || !s) throw new CliError(`missing --${name}`);
  return s;
}

/** A decimal number as written on a command line ("12", "-1", "0.5", "1e-4"; not "0x1", " 3", "Infinity"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A command-line number, decimal only; NaN for anything else ("0x1", "", "Infinity"). */
export function decimal(s: unknown): number {
  return typeof s === 'string' && DECIMAL.test(s) ? Number(s) : NaN;
}

/** A numeric flag, decimal only and range-checked: `what` names the range ("an integer in 1..4096"). */
export function numberArg(
  v: Record<string, unknown>,
  name: string,
  fallback: number,
  check?: (n: number) => boolean,
  what = 'a number',
): number {
  const s = v[name];
  if (s === undefined) return fallback;
  const n = decimal(s);
  if (!Number.isFinite(n) || (check && !check(n))) throw new CliError(`--${name} must be ${what} (got ${JSON.stringify(s)})`);
  return n;
}

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

/** --density: a fraction in (0, 1]; `fallback` when absent (NaN: the caller says it is missing). */
export function densityArg(v: Record<string, unknown>, fallback: number): number {
  return numberArg(v, 'density', fallback, (d) => d > 0 && d <= 1, 'in (0, 1]');
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
