// The px-lab commands' flags: declaring and parsing them, reading and range-checking their values
// (ranges from the field table, src/shared/fields.ts), and the one-line error a bad value gives.
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
