// The committed module is built from the committed source: kernels.wasm.ts records the sha256 of
// the kernels.c it was built from (scripts/build-wasm-kernels.sh), so an edit of the C without a
// rebuild fails here, on machines without clang too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('wasm kernels module', () => {
  it('kernels.wasm.ts was built from this kernels.c', () => {
    const source = readFileSync(join(__dirname, 'kernels.c'));
    const generated = readFileSync(join(__dirname, 'kernels.wasm.ts'), 'utf8');
    const recorded = /kernels\.c sha256: ([0-9a-f]{64})/.exec(generated)?.[1];
    expect(recorded).toBe(createHash('sha256').update(source).digest('hex'));
  });
});
