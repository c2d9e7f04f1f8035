// Explanations where people look: one line per method and metric, shown
// beside them (not only as tooltips), and a "what to look for" per chart that states the paper's
// claim as a question and then says only what this run shows.
import type { MethodId } from '../shared/config';
import { METHOD_INFO } from '../shared/methods';
import { compact } from './format';
import type { RunView } from './runView';
import { isCollapsed } from './summaryRows';

/** One short line per method (methods without one fall back to their description). */
const METHOD_LINES: Partial<Record<MethodId, string>> = {
  'px-2024': 'PX as released: weights on the paths that carry the most NTK trace, on real data',
  px: 'keeps weights on the input→output paths that carry the most NTK trace (data-driven)',
  'px-official': 'PX as the official code runs it (BatchNorm in training mode)',
  snip: 'keeps weights whose removal would change the loss most (|gradient × weight|)',
  synflow: 'data-free: keeps weights carrying the most “synaptic flow”',
  grasp: 'keeps weights that best preserve gradient flow',
  mag: 'keeps the largest weights at initialisation',
  rand: 'random scores: the baseline to beat',
  ntksap: 'keeps weights that most move the NTK spectrum under perturbation',
};

export function methodLine(m: MethodId): string {
  return METHOD_LINES[m] ?? METHOD_INFO[m]?.description ?? m;
}

/** One line per summary column. */
export const METRIC_LINES: Array<[string, string]> = [
  ['Kept', 'share of prunable weights left'],
  ['Eff. dens.', 'weights on a complete input→output path (the rest cannot affect the output)'],
  ['NTK tr. / dense', 'size of the pruned NTK relative to dense; near 1 keeps the training speed'],
  ['Cond.', 'λmax/λmin of the NTK; lower trains more evenly — meaningless once the net is cut'],
  ['FLOPs', 'multiply-adds of one forward pass'],
  ['Coll.', 'layers with nothing left: the net is cut there'],
];

function finished(view: RunView) {
  return view.methods.flatMap((m) => (m.summary && !m.summary.exactPending ? [m.summary] : []));
}

/** Spectrum: which pruned NTK is closest to dense by trace, among uncollapsed nets, if any. */
export function lookForSpectrum(view: RunView): string {
  const claim = 'Look for: which pruned curve stays closest to the dashed dense one (the paper claims PX preserves the spectrum best).';
  const s = finished(view).filter((x) => !isCollapsed(x) && x.ntkTraceRatio !== undefined && x.ntkTraceRatio > 0);
  if (s.length < 2) return claim;
  const best = [...s].sort((a, b) => Math.abs(Math.log(a.ntkTraceRatio!)) - Math.abs(Math.log(b.ntkTraceRatio!)))[0];
  return `${claim} Here: ${METHOD_INFO[best.method].label} (trace ${compact(best.ntkTraceRatio!)}× dense).`;
}

/** Per-layer: how many methods collapsed a layer, and which kept every layer. */
export function lookForLayers(view: RunView): string {
  const claim = 'Look for: layers kept wide rather than emptied (✕ = collapsed; the paper claims PX keeps widths).';
  const s = finished(view);
  if (!s.length) return claim;
  const cut = s.filter(isCollapsed).map((x) => METHOD_INFO[x.method].label);
  return `${claim} Here: ${cut.length ? `collapsed — ${cut.join(', ')}` : 'no method collapsed a layer'}.`;
}

/** Progress: only what the rounds show. */
export function lookForProgress(view: RunView): string {
  const claim = 'Look for: iterative methods (PX, SynFlow) approach the target over rounds; one-shot methods jump there.';
  const traced = view.methods.filter((m) => m.rounds.some((r) => r.ntkTrace !== undefined)).map((m) => METHOD_INFO[m.method].label);
  return traced.length ? `${claim} The trace along the rounds is measured for ${traced.join(', ')}.` : claim;
}
