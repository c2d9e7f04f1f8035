// Exports: results as JSON and CSV, a chart as PNG, masks as .safetensors.
import type { RunConfig } from '../../shared/config';
import { METHOD_INFO } from '../../shared/methods';
import { moduleOf } from './format';
import type { MaskTensor, RunView } from './runView';
import { writeSafetensors } from '../../shared/safetensors';
import { maskModule, maskName } from '../../shared/maskNames';

export function download(data: BlobPart, filename: string, type: string): void {
  const blob = new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "resnet20-synthetic-d0.1074-seed0" */
export function fileStem(config: RunConfig): string {
  return `pxlab-${config.model}-${config.dataset}-d${config.density}-seed${config.seed}`;
}

function finite(x: number | undefined): number | null {
  return x === undefined || !Number.isFinite(x) ? null : x;
}

/** Everything the run produced, as plain JSON (Infinity → null). */
export function resultsJson(view: RunView, shareUrl: string): string {
  const out = {
    tool: 'PX Lab',
    url: shareUrl,
    config: view.config,
    backend: view.backend ? { name: view.backend.name, label: view.backend.label } : null,
    model: view.model
      ? {
          name: view.model.name,
          label: view.model.label,
          params: view.model.params,
          prunable: view.model.prunable,
          layers: view.model.layers,
        }
      : null,
    dataset: view.dataset ?? null,
    status: view.status,
    dense: view.denseNtk ? { ntk: { ...view.denseNtk, condition: finite(view.denseNtk.condition) } } : null,
    methods: view.methods.map((m) => ({
      method: m.method,
      label: METHOD_INFO[m.method].label,
      status: m.status,
      error: m.error ?? null,
      summary: m.summary ? { ...m.summary, condition: finite(m.summary.condition), ntkTraceRatio: finite(m.summary.ntkTraceRatio) } : null,
      ntk: m.ntk ? { ...m.ntk, condition: finite(m.ntk.condition) } : null,
      layers: m.layers ?? null,
      rounds: m.rounds,
    })),
  };
  return JSON.stringify(out, null, 2);
}

/** Fields that measure time (or say a result came from a cache): the only ones two runs of one URL may differ in. */
export const TIMING_FIELDS: ReadonlySet<string> = new Set(['ms', 'elapsedMs', 'etaMs', 'startedAt', 'cached']);

/** A results JSON with its timing fields removed (to compare two runs of one URL). */
export function withoutTiming(json: string): unknown {
  return JSON.parse(json, (k, v) => (TIMING_FIELDS.has(k) ? undefined : v));
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  // quote, and defuse spreadsheet formulas
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const SUMMARY_COLUMNS = [
  'method',
  'source',
  'density_target',
  'rounds',
  'kept',
  'total',
  'kept_fraction',
  'effective_density',
  'ntk_trace',
  'ntk_trace_ratio',
  'condition',
  'flops',
  'dense_flops',
  'collapsed_layers',
  'ms',
] as const;

/** One row per method (the summary table), then one row per method and layer. */
export function resultsCsv(view: RunView): string {
  const rows: unknown[][] = [[...SUMMARY_COLUMNS]];
  for (const m of view.methods) {
    const s = m.summary;
    rows.push([
      m.method,
      s?.source,
      s?.density ?? view.config.density,
      s?.rounds,
      s?.kept,
      s?.total,
      s?.keptFraction,
      s?.effectiveDensity,
      m.ntk?.trace,
      s?.ntkTraceRatio,
      s?.condition,
      s?.flops,
      s?.denseFlops,
      s?.collapsedLayers,
      s?.ms,
    ]);
  }
  if (view.denseNtk)
    rows.push([
      'dense',
      '',
      1,
      0,
      view.model?.prunable,
      view.model?.prunable,
      1,
      1,
      view.denseNtk.trace,
      1,
      view.denseNtk.condition,
      '',
      '',
      0,
      view.denseNtk.ms,
    ]);
  rows.push([]);
  rows.push(['method', 'layer', 'numel', 'kept', 'density', 'out_units', 'width', 'effective_width', 'collapsed', 'flops']);
  for (const m of view.methods)
    for (const l of m.layers ?? [])
      rows.push([
        m.method,
        moduleOf(l.name),
        l.numel,
        l.kept,
        l.density,
        l.outUnits,
        l.width,
        l.effectiveWidth,
        l.collapsed ? 1 : 0,
        l.flops,
      ]);
  return csv(rows);
}

/** Masks of one method as .safetensors with the official `<module>.weight_mask` names. */
export function masksSafetensors(masks: MaskTensor[], config: RunConfig, method: string): Uint8Array {
  const named = masks.map((m) => ({ ...m, name: maskName(`${maskModule(m.name)}.weight`) }));
  return writeSafetensors(named, {
    format: 'pt',
    producer: 'PX Lab',
    method,
    model: config.model,
    dataset: config.dataset,
    density: String(config.density),
    seed: String(config.seed),
    scope: config.scope,
  });
}

export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
}

/** Render the chart SVGs inside `root` to a PNG with a title and a legend drawn above them. */
export async function chartPng(
  root: HTMLElement,
  title: string,
  legend: LegendEntry[],
  theme: { background: string; text: string },
): Promise<Blob> {
  // the chart surfaces, not the legend's icons (recharts draws those as small svgs too)
  const svgs = [...root.querySelectorAll<SVGSVGElement>('svg.recharts-surface')].filter(
    (s) => !s.closest('.recharts-legend-wrapper') && s.getBoundingClientRect().width > 0,
  );
  if (!svgs.length) throw new Error('nothing to export yet');
  const scale = 2;
  const pad = 12;
  const width = Math.max(...svgs.map((s) => s.getBoundingClientRect().width)) + 2 * pad;
  const titleH = 26;
  const legendH = legend.length ? 22 : 0;
  const heights = svgs.map((s) => s.getBoundingClientRect().height);
  const height = titleH + legendH + heights.reduce((a, b) => a + b, 0) + 2 * pad;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = theme.text;
  ctx.font = '600 15px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + titleH / 2 - 2);
  let x = pad;
  ctx.font = '12px system-ui, sans-serif';
  for (const e of legend) {
    const y = pad + titleH + legendH / 2 - 2;
    ctx.strokeStyle = e.color;
    ctx.lineWidth = 2.5;
    ctx.setLineDash(e.dashed ? [5, 3] : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 18, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = theme.text;
    ctx.fillText(e.label, x + 23, y);
    x += 23 + ctx.measureText(e.label).width + 16;
  }
  let y = pad + titleH + legendH;
  for (let i = 0; i < svgs.length; i++) {
    const img = await svgImage(svgs[i]);
    ctx.drawImage(img, pad, y, svgs[i].getBoundingClientRect().width, heights[i]);
    y += heights[i];
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

function svgImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const rect = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(rect.width));
  clone.setAttribute('height', String(rect.height));
  clone.setAttribute('style', 'font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 12px;');
  const text = new XMLSerializer().serializeToString(clone);
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the chart could not be rendered to an image'));
    img.src = url;
  });
}
