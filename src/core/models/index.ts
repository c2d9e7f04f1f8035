// The model zoo: zoo names and arch specs → Model.
import { buildConvNet } from './convnet';
import { buildMlp } from './mlp';
import { buildResNet20 } from './resnet20';
import type { ArchSpec, Model } from './types';
import { buildVgg16Bn } from './vgg16bn';
import { MODELS } from '../../shared/models';

export type { ArchSpec, Model, LayerOps, ParamInfo, PrunableLayer } from './types';

/** Named architectures for the CLI and the page: the zoo table of src/shared/models.ts. */
export const ZOO: Record<string, ArchSpec> = Object.fromEntries(MODELS.map((m) => [m.id, m.arch as ArchSpec]));

function positiveInt(v: unknown, what: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0 || (v as number) > 1 << 20)
    throw new Error(`arch: ${what} must be a positive integer (got ${JSON.stringify(v)})`);
  return v as number;
}

function shape3(v: unknown, what: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) throw new Error(`arch: ${what} must be [C,H,W] (got ${JSON.stringify(v)})`);
  return v.map((d, i) => positiveInt(d, `${what}[${i}]`)) as [number, number, number];
}

/** Validate an arch spec from JSON (a zoo name, or an object like case.json's "arch"). */
export function parseArch(arch: unknown): ArchSpec {
  if (typeof arch === 'string') {
    const z = ZOO[arch];
    if (!z) throw new Error(`unknown arch "${arch}" (known: ${Object.keys(ZOO).join(', ')}, or a spec .json file)`);
    return z;
  }
  if (!arch || typeof arch !== 'object') throw new Error('arch must be a zoo name or a spec object');
  const a = arch as Record<string, unknown>;
  const classes = a.classes === undefined ? 10 : positiveInt(a.classes, 'classes');
  switch (a.kind) {
    case 'mlp': {
      if (!Array.isArray(a.hidden)) throw new Error('arch: mlp needs "hidden": [units, …]');
      return { kind: 'mlp', input: shape3(a.input, 'input'), hidden: a.hidden.map((h, i) => positiveInt(h, `hidden[${i}]`)), classes };
    }
    case 'convnet': {
      if (!Array.isArray(a.channels) || !Array.isArray(a.strides)) throw new Error('arch: convnet needs "channels" and "strides" arrays');
      return {
        kind: 'convnet',
        input: shape3(a.input, 'input'),
        channels: a.channels.map((c, i) => positiveInt(c, `channels[${i}]`)),
        strides: a.strides.map((s, i) => positiveInt(s, `strides[${i}]`)),
        batchnorm: Boolean(a.batchnorm),
        bias: Boolean(a.bias),
        classes,
      };
    }
    case 'resnet20':
      return {
        kind: 'resnet20',
        width: a.width === undefined ? 16 : positiveInt(a.width, 'width'),
        input: a.input === undefined ? [3, 32, 32] : shape3(a.input, 'input'),
        classes,
      };
    case 'vgg16_bn':
      return { kind: 'vgg16_bn', input: a.input === undefined ? [3, 32, 32] : shape3(a.input, 'input'), classes };
    default:
      throw new Error(`arch: unknown kind ${JSON.stringify(a.kind)} (mlp, convnet, resnet20, vgg16_bn)`);
  }
}

export function buildModel(spec: ArchSpec | string): Model {
  const s = parseArch(spec);
  switch (s.kind) {
    case 'mlp':
      return buildMlp(s);
    case 'convnet':
      return buildConvNet(s);
    case 'resnet20':
      return buildResNet20(s);
    case 'vgg16_bn':
      return buildVgg16Bn(s);
  }
}

export function totalPrunable(model: Model): number {
  return model.prunable.reduce((a, l) => a + l.numel, 0);
}
