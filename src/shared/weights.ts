// Validating a state_dict file against an architecture, with one message per kind of problem.
// Pure TypeScript (no tfjs): the CLI and the page's worker share it, and the page shows its
// messages. Checks, in order: the file itself (strict reader: truncated body, bad header, …), the
// architecture (the file's own `arch` metadata, as `px-lab train` writes it, or names that are
// mostly foreign), tensor names, shapes, dtypes, finite values.
import { finiteFloat32, parseSafetensors, showName, type SafeFile } from './safetensors';
import { isMaskName } from './maskNames';

export type WeightsProblem = 'file' | 'arch' | 'names' | 'shape' | 'dtype' | 'nonfinite';

export class WeightsError extends Error {
  override name = 'WeightsError';
  constructor(
    readonly problem: WeightsProblem,
    message: string,
  ) {
    super(message);
  }
}

/** What the checks need of a model: its state_dict entries and how to name it. */
export interface WeightsTarget {
  label: string;
  spec: unknown;
  params: ReadonlyArray<{ name: string; torchShape: readonly number[] }>;
}

/** Names that are not model entries but may ride along in a state_dict (masks, BN counters). */
const ignorable = (name: string) => isMaskName(name) || name.endsWith('num_batches_tracked');

/** JSON with sorted keys, so two specs compare by content. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function archOf(meta: Record<string, string>): unknown {
  if (!meta.arch) return undefined;
  try {
    return JSON.parse(meta.arch);
  } catch {
    return undefined;
  }
}

function describeSpec(s: unknown): string {
  if (!s || typeof s !== 'object') return JSON.stringify(s);
  const o = s as Record<string, unknown>;
  const extra =
    o.kind === 'convnet'
      ? ` channels ${JSON.stringify(o.channels)}`
      : o.kind === 'mlp'
        ? ` hidden ${JSON.stringify(o.hidden)}`
        : o.width
          ? ` width ${o.width}`
          : '';
  return `${o.kind}${extra}, input ${Array.isArray(o.input) ? o.input.join('×') : '?'}, ${o.classes ?? '?'} classes`;
}

/** Names, architecture, shapes: throws the first kind of problem found. */
export function checkWeightsFit(target: WeightsTarget, file: SafeFile, source: string): void {
  const head = `${source} do not fit ${target.label}`;
  const stated = archOf(file.metadata);
  if (stated !== undefined && canonical(stated) !== canonical(target.spec)) {
    throw new WeightsError(
      'arch',
      `${head}: the file was made for another architecture (${describeSpec(stated)}; chosen: ${describeSpec(target.spec)})`,
    );
  }
  const names = [...file.tensors.keys()].filter((n) => !ignorable(n));
  const known = new Set(target.params.map((p) => p.name));
  const missing = target.params.filter((p) => !file.tensors.has(p.name));
  const extra = names.filter((n) => !known.has(n));
  const present = target.params.length - missing.length;
  if (missing.length && present < target.params.length / 2) {
    throw new WeightsError(
      'arch',
      `${head}: only ${present} of its ${target.params.length} tensor names are in the file, which looks like another architecture's state_dict (it holds ${names.slice(0, 3).map(showName).join(', ')}${names.length > 3 ? ', …' : ''})`,
    );
  }
  if (missing.length || extra.length) {
    const parts = [
      ...missing.slice(0, 4).map((p) => `missing "${p.name}" [${p.torchShape}]`),
      ...(extra.length
        ? [`unexpected ${extra.slice(0, 4).map(showName).join(', ')}${extra.length > 4 ? ` and ${extra.length - 4} more` : ''}`]
        : []),
    ];
    throw new WeightsError(
      'names',
      `${head}: tensor names differ: ${parts.join('; ')}${missing.length > 4 ? ` (${missing.length} missing)` : ''}`,
    );
  }
  const wrong = target.params.filter((p) => file.tensors.get(p.name)!.shape.join(',') !== p.torchShape.join(','));
  if (wrong.length) {
    const parts = wrong
      .slice(0, 4)
      .map((p) => `"${p.name}" has shape [${file.tensors.get(p.name)!.shape}], ${target.label} needs [${p.torchShape}]`);
    throw new WeightsError('shape', `${head}: ${parts.join('; ')}${wrong.length > 4 ? ` (${wrong.length} tensors)` : ''}`);
  }
}

/** The state_dict (float32, PyTorch layout) of a validated file. */
export function weightsFromFile(target: WeightsTarget, file: SafeFile, source: string): Map<string, Float32Array> {
  checkWeightsFit(target, file, source);
  const out = new Map<string, Float32Array>();
  for (const p of target.params) {
    const t = file.tensors.get(p.name)!;
    if (t.dtype !== 'F32' && t.dtype !== 'F64')
      throw new WeightsError('dtype', `${source}: tensor ${showName(p.name)} is ${t.dtype}; weights must be F32 or F64`);
    try {
      out.set(p.name, finiteFloat32(t, `${source}: tensor ${showName(p.name)}`));
    } catch (e) {
      throw new WeightsError('nonfinite', (e as Error).message);
    }
  }
  return out;
}

/** Parse and validate weight file bytes; every failure is a WeightsError with one clear line. */
export function readWeights(
  target: WeightsTarget,
  bytes: Uint8Array,
  source: string,
): { stateDict: Map<string, Float32Array>; metadata: Record<string, string> } {
  let file: SafeFile;
  try {
    file = parseSafetensors(bytes, source);
  } catch (e) {
    throw new WeightsError('file', (e as Error).message);
  }
  return { stateDict: weightsFromFile(target, file, source), metadata: file.metadata };
}
