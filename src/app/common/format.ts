// Number formatting shared by the charts, the table and the exports.

/** 0.1074 → "10.74%" (2 decimals, fewer digits below 0.01%). */
export function pct(x: number | undefined | null, digits = 2): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  const v = x * 100;
  if (v !== 0 && Math.abs(v) < 0.01) return `${v.toPrecision(2)}%`;
  return `${v.toFixed(digits)}%`;
}

/** A density as a person writes it: as typed when short (0.018), else 4 significant digits (0.8^18 → "0.01801"). */
export function densityText(d: number): string {
  return String(Number(d.toPrecision(4)));
}

/** Sparsity (pruned fraction) of a density, as the literature writes it: 0.1074 → "89.26%". */
export function sparsityPct(density: number): string {
  return pct(1 - density);
}

/** Compact engineering notation: 1234567 → "1.23M", 0.00012 → "1.2e-4". */
export function compact(x: number | undefined | null): string {
  if (x === undefined || x === null || Number.isNaN(x)) return '–';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e12 || a < 1e-3) return x.toExponential(2).replace('e+', 'e');
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

export function int(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return Math.round(x).toLocaleString('en-US');
}

export function duration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/** Module name of a prunable weight ("blocks.0.conv1.weight" → "blocks.0.conv1"). */
export function moduleOf(weight: string): string {
  return weight.replace(/\.weight$/, '');
}

/** A short axis label for a layer ("blocks.3.shortcut.0" → "b3.sc", "conv1" → "conv1"). */
export function shortLayer(weight: string): string {
  const m = moduleOf(weight);
  return m
    .replace(/^blocks\.(\d+)\./, 'b$1.')
    .replace(/^layers\.(\d+)\./, 'l$1.')
    .replace(/shortcut\.0$/, 'sc')
    .replace(/\.conv$/, '');
}
