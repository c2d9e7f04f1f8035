// The weights a run may start from, as plain data (the page, the URL and the worker share it):
// the seeded initialisation, a shipped pretrained checkpoint (public/pretrained/, made by
// scripts/pretrain.mjs with the lab's own trainer; manifest.json there), or the user's file.
import type { ModelName } from './models';

export interface PretrainedCheckpoint {
  id: string;
  model: ModelName;
  /** Dataset it was trained on (the upstream task of a transfer). */
  dataset: 'mnist' | 'fashion-mnist';
  label: string;
}

/** Kept equal to public/pretrained/manifest.json by test/pretrained.test.ts. */
export const PRETRAINED: readonly PretrainedCheckpoint[] = [
  { id: 'mlp-mnist', model: 'mlp', dataset: 'mnist', label: 'MLP trained on MNIST' },
  { id: 'convnet-fashion-mnist', model: 'convnet', dataset: 'fashion-mnist', label: 'ConvNet trained on Fashion-MNIST' },
  { id: 'resnet20-fashion-mnist', model: 'resnet20', dataset: 'fashion-mnist', label: 'ResNet-20 trained on Fashion-MNIST' },
];

/** "init" | "pretrained:<id>" | "file:<sha256>:<name>" (the name: letters, digits, space, . _ - ( ), up to 100). */
export const WEIGHTS_PATTERN = /^(init|pretrained:[a-z0-9-]{1,60}|file:[0-9a-f]{64}:[\w .()-]{1,100})$/;

export type WeightsChoice = { kind: 'init' } | { kind: 'pretrained'; id: string } | { kind: 'file'; sha256: string; name: string };

export function parseWeightsChoice(s: string): WeightsChoice {
  if (s.startsWith('pretrained:')) return { kind: 'pretrained', id: s.slice(11) };
  // "file" alone: a freshly picked file (no hash to match yet)
  if (s === 'file') return { kind: 'file', sha256: '', name: '' };
  if (s.startsWith('file:')) return { kind: 'file', sha256: s.slice(5, 69), name: s.slice(70) };
  return { kind: 'init' };
}

/** Why pretrained checkpoint `id` cannot start a run of `model` (no such id, another model's), or null. */
export function pretrainedProblem(id: string, model: string): string | null {
  const p = PRETRAINED.find((x) => x.id === id);
  const offered = PRETRAINED.filter((x) => x.model === model).map((x) => x.id);
  if (!p)
    return `there is no pretrained checkpoint “${id.slice(0, 60)}” (${offered.length ? `${model} has ${offered.join(', ')}` : `none for ${model}`})`;
  if (p.model !== model) return `${p.id} is a checkpoint of ${p.model}, not ${model}`;
  return null;
}

export function weightsParam(c: WeightsChoice): string {
  if (c.kind === 'pretrained') return `pretrained:${c.id}`;
  if (c.kind === 'file') return `file:${c.sha256}:${safeFileName(c.name)}`;
  return 'init';
}

/** A file name as the URL may carry it (other characters become "_"). */
export function safeFileName(name: string): string {
  return name.replace(/[^\w .()-]/g, '_').slice(0, 100) || 'weights';
}

export function pretrainedFor(model: string): PretrainedCheckpoint[] {
  return PRETRAINED.filter((p) => p.model === model);
}

/** The downstream dataset of a transfer pair: the other bundled set. */
export function downstreamOf(upstream: 'mnist' | 'fashion-mnist'): 'mnist' | 'fashion-mnist' {
  return upstream === 'mnist' ? 'fashion-mnist' : 'mnist';
}
