import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import { DEFAULT_URL_STATE, parseUrlState, serializeUrlState } from '../../shared/urlState';
import { SNAP_POINTS, densityAt, positionOf, snap } from './SparsityBar';

describe('the page’s default density is a point of the slider’s snap grid', () => {
  it('0.8^10 to 4 digits: snapping it is the identity, so the slider can return to it', () => {
    expect(DEFAULT_URL_STATE.density).toBe(0.1074);
    expect(SNAP_POINTS).toContain(DEFAULT_URL_STATE.density);
    expect(snap(DEFAULT_URL_STATE.density)).toBe(DEFAULT_URL_STATE.density);
    // a drag that ends anywhere near it lands back on it
    const pos = positionOf(DEFAULT_URL_STATE.density);
    for (const p of [pos - 2, pos - 1, pos, pos + 1, pos + 2]) expect(snap(densityAt(p))).toBe(DEFAULT_URL_STATE.density);
    // and a link reads it back exactly
    expect(parseUrlState(`?${serializeUrlState(DEFAULT_URL_STATE)}`).state.density).toBe(DEFAULT_URL_STATE.density);
  });
  it('the CLI’s default stays 10% (golden outputs unchanged)', () => {
    expect(DEFAULT_CONFIG.density).toBe(0.1);
  });
});
