// The weights' place in the link: every form round-trips, anything else is refused with a notice.
import { describe, expect, it } from 'vitest';
import { parseWeightsChoice, safeFileName, weightsParam } from './pretrained';
import { parseUrlState, serializeUrlState } from './urlState';

const SHA = 'ab'.repeat(32);

describe('weights in the URL', () => {
  for (const w of ['init', 'pretrained:convnet-fashion-mnist', `file:${SHA}:my ckpt (1).safetensors`]) {
    it(`round-trips ${w}`, () => {
      const { state, notices } = parseUrlState(`?model=convnet&weights=${encodeURIComponent(w)}`);
      expect(notices).toEqual([]);
      expect(state.weights).toBe(w);
      expect(parseUrlState(serializeUrlState(state)).state.weights).toBe(w);
    });
  }
  it('refuses a malformed value with a notice and keeps the seeded init', () => {
    const { state, notices } = parseUrlState(`?weights=file:${SHA.slice(2)}:x.safetensors`);
    expect(state.weights).toBe('init');
    expect(notices.join(' ')).toMatch(/Weights: .* is not init, pretrained:<id> or file:<sha256>:<name>/);
  });
  it('parses and formats choices; file names are made URL-safe', () => {
    expect(parseWeightsChoice(`file:${SHA}:a.safetensors`)).toEqual({ kind: 'file', sha256: SHA, name: 'a.safetensors' });
    expect(parseWeightsChoice('file')).toEqual({ kind: 'file', sha256: '', name: '' });
    expect(weightsParam({ kind: 'file', sha256: SHA, name: 'a/b?.safetensors' })).toBe(`file:${SHA}:a_b_.safetensors`);
    expect(safeFileName('')).toBe('weights');
  });
});
