// The weights the worker starts every run from, when not the seeded initialisation: a shipped
// pretrained checkpoint (fetched from the page's own public/pretrained/) or the user's file.
// Validated in full (src/shared/weights.ts: file, architecture, names, shapes, dtypes, finite
// values) before they replace anything; a failed load keeps what was held.
import { buildModel } from '../core/models';
import type { StateDict } from '../core/models/state';
import { parseWeightsChoice, PRETRAINED, weightsParam } from '../shared/pretrained';
import type { WeightsInfo } from '../shared/transfer';
import { readWeights, WeightsError } from '../shared/weights';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Held extends WeightsInfo {
  stateDict: StateDict;
}

export class WeightsHolder {
  private held: Held | null = null;

  /** `fetchPretrained(id)`: the bytes of public/pretrained/<id>.safetensors. */
  constructor(private readonly fetchPretrained: (id: string) => Promise<Uint8Array>) {}

  /** The weights for `model`, or null (seeded initialisation). */
  for(model: string): { key: string; stateDict: StateDict } | null {
    return this.held && this.held.model === model ? { key: this.held.choice, stateDict: this.held.stateDict } : null;
  }

  info(): WeightsInfo | null {
    if (!this.held) return null;
    const { stateDict: _, ...info } = this.held;
    return info;
  }

  /**
   * Use `choice` for `model` from now on. "file:…" needs `bytes` (and `name`); a choice that names a
   * sha256 (from a link) must match the file's. Throws a WeightsError; nothing changes then.
   */
  async set(model: string, choice: string, bytes?: Uint8Array, name?: string): Promise<WeightsInfo | null> {
    const c = parseWeightsChoice(choice);
    if (c.kind === 'init') {
      this.held = null;
      return null;
    }
    const target = buildModel(model);
    if (c.kind === 'pretrained') {
      const ck = PRETRAINED.find((p) => p.id === c.id);
      if (!ck) throw new WeightsError('file', `no shipped checkpoint "${c.id}" (shipped: ${PRETRAINED.map((p) => p.id).join(', ')})`);
      if (ck.model !== model) throw new WeightsError('arch', `the checkpoint ${ck.id} is a ${ck.model}, not a ${model}`);
      const raw = await this.fetchPretrained(c.id);
      const { stateDict } = readWeights(target, raw, `${c.id}.safetensors`);
      this.held = { model, choice: weightsParam(c), label: `pretrained: ${ck.label}`, sha256: await sha256Hex(raw), stateDict };
      return this.info();
    }
    if (!bytes) throw new WeightsError('file', `load the weights file ${c.name} (sha256 ${c.sha256.slice(0, 12)}…) to use it`);
    const fileName = name ?? c.name;
    const sha = await sha256Hex(bytes);
    if (/^[0-9a-f]{64}$/.test(c.sha256) && c.sha256 !== sha) {
      throw new WeightsError(
        'file',
        `${fileName} is not the file this link names: its sha256 is ${sha.slice(0, 12)}…, the link expects ${c.sha256.slice(0, 12)}…`,
      );
    }
    const { stateDict } = readWeights(target, bytes, fileName);
    this.held = {
      model,
      choice: weightsParam({ kind: 'file', sha256: sha, name: fileName }),
      label: `your file: ${fileName}`,
      sha256: sha,
      stateDict,
    };
    return this.info();
  }
}
