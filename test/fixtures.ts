// Loading the reference fixtures (copied from shared/fixtures) in tests.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSafetensors, type SafeFile } from '../src/shared/safetensors';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const PUBLIC = join(FIXTURES, 'safetensors', 'public');
export const CASES = ['mlp', 'conv_nobn', 'conv_bn', 'resnet20'] as const;
export type CaseName = (typeof CASES)[number];

export function readSafe(path: string): SafeFile {
  return parseSafetensors(new Uint8Array(readFileSync(path)), path);
}

export function readCase(name: CaseName) {
  const dir = join(PUBLIC, name);
  return {
    dir,
    caseJson: JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')),
    weights: readSafe(join(dir, 'weights.safetensors')),
    inputs: readSafe(join(dir, 'inputs.safetensors')),
    expected: (file: string) => readSafe(join(dir, 'expected', file)),
    debug: () => readSafe(join(dir, 'debug', 'forward_and_px_intermediates.safetensors')),
    json: (file: string) => JSON.parse(readFileSync(join(dir, 'expected', file), 'utf8')),
  };
}

export function readJsonFixture(name: 'mlp' | 'conv' | 'conv_nobn' | 'resnet20') {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

/** ‖a−b‖/‖b‖ in float64. */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Number(a[i]) - Number(b[i]);
    num += d * d;
    den += Number(b[i]) * Number(b[i]);
  }
  return Math.sqrt(num / (den || 1));
}
