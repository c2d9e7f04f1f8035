// Which PX should be the default? Prunes with the three PX variants, SynFlow and SNIP to a few
// densities on the zoo models, with the shipped data and with synthetic data, and reports per run
// the collapsed layers, the reachable outputs (fc units on a complete input→output path), the
// effective density and the NTK trace ratio (pruned / dense). Uses the page's own data selection
// (src/worker/data.ts) and the core's prune/metrics functions. Every number is measured here.
//
//   npx tsx bench/suites/px-variants.ts [--models resnet20,mlp,convnet] [--datasets mnist,synthetic]
//       [--methods px-2024,px,px-official,synflow,snip] [--densities 0.018,0.01,...] [--rounds 100]
//       [--batch-size 64] [--examples-per-class 10] [--seed 0] [--out bench/results/px-variants.md]
//
// Results are appended to <out>.jsonl run by run (a long grid can be stopped and resumed: runs
// already there are skipped) and the markdown table is rewritten after every run.
import { existsSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../../src/core/backend';
import { runPruneJob } from '../../src/core/job';
import { runLayerStatsJob, runNtkJob } from '../../src/core/metrics';
import { buildModel, type Model } from '../../src/core/models';
import { initStateDict } from '../../src/core/models/state';
import { openDatasetForCli } from '../../src/cli/datasets';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/shared/config';
import { ITERATIVE_METHODS, type MethodId } from '../../src/shared/methods';
import { requestData } from '../../src/worker/data';

interface Row {
  model: string;
  dataset: string;
  method: string;
  density: number;
  rounds: number;
  kept: number;
  total: number;
  collapsed: string[];
  reachable: number;
  outputs: number;
  effectiveDensity: number;
  ntkTraceRatio: number;
  seconds: number;
}

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'resnet20,mlp,convnet' },
    datasets: { type: 'string', default: 'mnist,synthetic' },
    methods: { type: 'string', default: 'px-2024,px,px-official,synflow,snip' },
    densities: { type: 'string', default: '0.1,0.032,0.018,0.01,0.0032' },
    rounds: { type: 'string', default: '100' },
    'batch-size': { type: 'string', default: '64' },
    'examples-per-class': { type: 'string', default: '10' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/results/px-variants.md' },
  },
});
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const jsonl = `${a.out}.jsonl`;
const done: Row[] = existsSync(jsonl)
  ? readFileSync(jsonl, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const key = (r: Pick<Row, 'model' | 'dataset' | 'method' | 'density' | 'rounds'>) =>
  [r.model, r.dataset, r.method, r.density, r.rounds].join('|');

async function runOne(
  model: Model,
  cfg: RunConfig,
  method: MethodId,
  density: number,
  denseTrace: number,
  data: ReturnType<typeof requestData>,
): Promise<Row> {
  const stateDict = initStateDict(model, cfg.seed);
  const rounds = ITERATIVE_METHODS.includes(method) ? cfg.rounds : 1;
  const t0 = performance.now();
  const res = await runPruneJob({
    model,
    stateDict,
    method,
    density,
    rounds,
    seed: cfg.seed,
    lossData: data.lossData,
    subsetData: data.subsetData,
    batchSize: cfg.batchSize,
  });
  const seconds = (performance.now() - t0) / 1000;
  const t = await runLayerStatsJob(model, res.masks);
  const fc = t.layers[t.layers.length - 1];
  const ntk = await runNtkJob({ model, stateDict, x: data.ntkData.x, xShape: data.ntkData.shape, masks: res.masks, n: cfg.ntkSamples });
  return {
    model: cfg.model,
    dataset: cfg.dataset,
    method,
    density,
    rounds,
    kept: res.kept,
    total: res.total,
    collapsed: t.network.collapsedLayers,
    reachable: fc.effectiveUnits,
    outputs: fc.outUnits,
    effectiveDensity: t.network.effectiveDensity,
    ntkTraceRatio: ntk.trace / denseTrace,
    seconds,
  };
}

function markdown(rows: Row[]): string {
  const head =
    '| model | data | method | density | rounds | collapsed layers | reachable outputs | effective density | NTK trace ratio | time (s) |\n|---|---|---|---|---|---|---|---|---|---|';
  const order = (xs: string[], x: string) => xs.indexOf(x) + 1 || 99;
  const models = ['resnet20', 'mlp', 'convnet'];
  const methods = ['px-2024', 'px', 'px-official', 'synflow', 'snip'];
  const sorted = [...rows].sort(
    (p, q) =>
      order(models, p.model) - order(models, q.model) ||
      p.dataset.localeCompare(q.dataset) ||
      q.density - p.density ||
      order(methods, p.method) - order(methods, q.method),
  );
  const body = sorted.map((r) => {
    const coll = r.collapsed.length ? `**${r.collapsed.length}** (${r.collapsed.join(', ')})` : '0';
    return `| ${r.model} | ${r.dataset} | ${r.method} | ${(100 * r.density).toPrecision(2)}% | ${r.rounds} | ${coll} | ${r.reachable}/${r.outputs} | ${(100 * r.effectiveDensity).toFixed(3)}% | ${r.ntkTraceRatio.toPrecision(3)} | ${r.seconds.toFixed(0)} |`;
  });
  return `${head}\n${body.join('\n')}\n`;
}

async function main(): Promise<void> {
  const backend = await useNodeBackend();
  const cfgBase: RunConfig = {
    ...DEFAULT_CONFIG,
    rounds: Number(a.rounds),
    batchSize: Number(a['batch-size']),
    examplesPerClass: Number(a['examples-per-class']),
    seed: Number(a.seed),
    methods: list(a.methods!) as MethodId[],
  };
  console.log(`px-variants on ${backend}: ${a.models} × ${a.datasets} × ${a.methods} × ${a.densities}, ${a.rounds} rounds`);
  for (const modelName of list(a.models!)) {
    for (const dataset of list(a.datasets!)) {
      const cfg = { ...cfgBase, model: modelName as RunConfig['model'], dataset: dataset as RunConfig['dataset'] };
      const model = buildModel(modelName);
      const ds = await openDatasetForCli(dataset, model, cfg.seed);
      const data = requestData(ds, cfg);
      const dense = await runNtkJob({
        model,
        stateDict: initStateDict(model, cfg.seed),
        x: data.ntkData.x,
        xShape: data.ntkData.shape,
        n: cfg.ntkSamples,
      });
      for (const density of list(a.densities!).map(Number)) {
        for (const method of cfg.methods) {
          const k = key({ model: modelName, dataset, method, density, rounds: ITERATIVE_METHODS.includes(method) ? cfg.rounds : 1 });
          if (done.some((r) => key(r) === k)) continue;
          const row = await runOne(model, cfg, method, density, dense.trace, data);
          done.push(row);
          appendFileSync(jsonl, `${JSON.stringify(row)}\n`);
          writeFileSync(a.out!, markdown(done));
          console.log(
            `${k}: ${row.collapsed.length} collapsed, ${row.reachable}/${row.outputs} outputs, eff ${(100 * row.effectiveDensity).toFixed(3)}%, NTK ${row.ntkTraceRatio.toPrecision(3)}, ${row.seconds.toFixed(0)} s`,
          );
        }
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
