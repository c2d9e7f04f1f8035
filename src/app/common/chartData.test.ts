// Chart data rules: one tick format per axis, per-layer points side by side
// (never on top of each other), collapse marks inside the plot, a note where a spectrum stops.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import { METHOD_INFO } from '../../shared/methods';
import type { LayerRow, NtkSpectrum } from '../../shared/protocol';
import { emptyRun, type RunView } from './runView';
import { LAYER_DENSITY_FLOOR, decadeLabel, decadeTicks, layerPoints, percentDecadeLabel, spectrumNote } from './chartData';

const ntk = (ev: number[]): NtkSpectrum => ({
  eigenvalues: ev,
  trace: ev.reduce((a, b) => a + b, 0),
  condition: 1,
  traceByLayer: [],
  samples: ev.length,
  ms: 1,
});
const row = (name: string, kept: number, numel: number, collapsed = false): LayerRow => ({
  name,
  numel,
  kept,
  density: kept / numel,
  outUnits: 10,
  width: collapsed ? 0 : 10,
  collapsed,
});

describe('chart data', () => {
  it('decade ticks share one format', () => {
    const labels = decadeTicks([1e-3, 1e3]).map(decadeLabel);
    expect(labels).toEqual(['10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹', '10²', '10³']);
    expect([1e-4, 1e-3, 1e-2, 1e-1, 1].map(percentDecadeLabel)).toEqual(['0.01%', '0.1%', '1%', '10%', '100%']);
  });

  it('per-layer points: methods side by side at each layer, collapse drawn above the floor', () => {
    const base = emptyRun(1, { ...DEFAULT_CONFIG, methods: ['px', 'snip'] });
    const view: RunView = {
      ...base,
      methods: [
        { ...base.methods[0], layers: [row('a.weight', 5, 100), row('b.weight', 0, 100, true)] },
        { ...base.methods[1], layers: [row('a.weight', 5, 100), row('b.weight', 1, 100)] },
      ],
    };
    const { names, series } = layerPoints(view, 'density');
    expect(names).toEqual(['a.weight', 'b.weight']);
    const [px, snip] = series;
    // same value, different x: neither hides the other
    expect(px.points[0].y).toBe(snip.points[0].y);
    expect(px.points[0].x).toBeLessThan(snip.points[0].x);
    expect(Math.abs(px.points[0].x - 0)).toBeLessThan(0.5);
    // collapsed: kept inside the log axis (above its floor), the raw value kept for the tooltip
    expect(px.points[1].collapsed).toBe(true);
    expect(px.points[1].y).toBeGreaterThan(LAYER_DENSITY_FLOOR);
    expect(px.points[1].raw).toBe(0);
  });

  it('says where and why a spectrum stops early', () => {
    const base = emptyRun(1, { ...DEFAULT_CONFIG, methods: ['px'] });
    const full = [10, 5, 2, 1];
    expect(spectrumNote({ denseNtk: ntk(full), methods: [{ ...base.methods[0], ntk: ntk(full) }] })).toBeNull();
    const note = spectrumNote({ denseNtk: ntk(full), methods: [{ ...base.methods[0], ntk: ntk([10, 5, 1e-12, 0]) }] });
    expect(note!.startsWith(`${METHOD_INFO.px.label} stops at 2 of 4: `)).toBe(true);
    expect(note).toMatch(/numerically zero/);
  });
});
