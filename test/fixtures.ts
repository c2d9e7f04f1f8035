// Loading the reference fixtures (copied from shared/fixtures) in tests.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSafetensors, type SafeFile } from '../src/shared/safetensors';

export { relL2 } from './relL2';

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
