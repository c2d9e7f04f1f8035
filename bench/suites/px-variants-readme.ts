// Renders the "Which PX is the default" tables of docs/methods.md from the JSON lines bench/suites/px-variants.ts
// wrote (nothing typed in): one table per model and data set, a row per method, a column per
// density; each cell "collapsed · reachable outputs · effective density · NTK trace ratio", and
// the round count when a file mixes several for the same cell (the later file wins).
//
//   npx tsx bench/suites/px-variants-readme.ts bench/results/px-variants-r20.md.jsonl [bench/results/px-variants-r100.md.jsonl ...]
import { readFileSync } from 'node:fs';

interface Row {
  model: string;
  dataset: string;
  method: string;
  density: number;
  rounds: number;
  collapsed: string[];
  reachable: number;
  outputs: number;
  effectiveDensity: number;
  ntkTraceRatio: number;
}

const MODELS: Record<string, string> = { resnet20: 'ResNet-20', mlp: 'MLP', convnet: 'ConvNet' };
const DATASETS: Record<string, string> = { mnist: 'MNIST', synthetic: 'synthetic' };
const METHODS = ['px-2024', 'px', 'px-official', 'synflow', 'snip'];
const DENSITIES = [0.1, 0.032, 0.018, 0.01, 0.0032];
const ITERATIVE = new Set(['px-2024', 'px', 'px-official', 'synflow']);

const pct = (d: number) => `${Number((100 * d).toPrecision(3))}%`;

function cell(r: Row | undefined): string {
  if (!r) return 'not run';
  const coll = r.collapsed.length ? `**${r.collapsed.length}**` : '0';
  return `${coll} · ${r.reachable}/${r.outputs} · ${pct(r.effectiveDensity)} · ${r.ntkTraceRatio === 0 ? 0 : r.ntkTraceRatio.toPrecision(2)}`;
}

function render(files: string[]): string {
  const rows = new Map<string, Row & { file: number }>();
  files.forEach((f, file) => {
    for (const line of readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
      const r: Row = JSON.parse(line);
      rows.set([r.model, r.dataset, r.method, r.density].join('|'), { ...r, file });
    }
  });
  const out: string[] = [];
  for (const model of Object.keys(MODELS)) {
    for (const dataset of Object.keys(DATASETS)) {
      const got = [...rows.values()].filter((r) => r.model === model && r.dataset === dataset);
      if (!got.length) continue;
      const iterRounds = [...new Set(got.filter((r) => ITERATIVE.has(r.method)).map((r) => r.rounds))].sort((p, q) => p - q);
      out.push(
        `${MODELS[model]}, ${DATASETS[dataset]}, ${iterRounds.join('/')} rounds (SNIP: 1) — collapsed layers · reachable outputs · effective density · NTK trace ratio:`,
        '',
      );
      out.push(`| method | ${DENSITIES.map(pct).join(' | ')} |`, `|---|${DENSITIES.map(() => '---|').join('')}`);
      for (const m of METHODS) {
        const cells = DENSITIES.map((d) => {
          const r = rows.get([model, dataset, m, d].join('|'));
          const c = cell(r);
          return r && iterRounds.length > 1 && ITERATIVE.has(m) ? `${c} (R${r.rounds})` : c;
        });
        out.push(`| \`${m}\` | ${cells.join(' | ')} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

process.stdout.write(render(process.argv.slice(2)));
