// `npm run bench`: Node benchmarks (wasm, cpu) and, when Chromium and a build are available,
// the browser benchmark; writes bench/results/results.json and bench/results/results.md and prints the table
// with each figure next to the official PyTorch timing (measured separately, CPU, 2 threads,
// same kind of machine: bench/measured/reference-timing.json).
//   --quick      fewer repeats and rounds (a smoke run)
//   --no-browser Node only
//   --no-cpu     skip the (slow) cpu backend
//   --only-train only the training benchmarks (bench/suites/train.ts), written to bench/results/results-train.*
//   --no-dispatch skip counting kernels / WebGPU dispatches per round (bench/suites/dispatch.ts)
//   --only-targets only the speed targets (the training step and the side-by-side, thread and
//                dispatch rows; dispatches as last stored), written to bench/results/results-targets.*
// Then the speed targets (bench/suites/targets.ts): side by side with the official PyTorch code
// when PXREF points to an export of it (bench/suites/sidebyside.ts), wasm thread scaling in Chromium,
// bundle sizes and first paint, each with its ratio to the reference.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { fullPrune, scoreRounds, type BenchRow } from './node';
import { extraNodeBenches } from './extra';
import { trainBenches } from './train';
import { speedTargets } from './targets';
import { dispatchBench, dispatchMarkdown, type DispatchReport } from './dispatch';
import { trainStepMarkdown, trainStepRow, trainStepSideBySide, type TrainStepReport } from './trainstep';
import { sideBySideUnavailable } from './sidebyside';

const here = dirname(fileURLToPath(import.meta.url));
/** Generated results files; raw measured records live in bench/measured. */
const resultsDir = join(here, '..', 'results');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Reference {
  PX_score_seconds: { median: number };
  SynFlow_score_seconds: { median: number };
  SNIP_score_seconds: { median: number };
  summary: { PX_100_rounds_uncontended_estimate_s: number; SynFlow_100_rounds_min_round_s: number };
}
const ref = JSON.parse(readFileSync(join(here, '..', 'measured', 'reference-timing.json'), 'utf8')) as Reference;

function referenceFor(row: BenchRow): { seconds: number; what: string } | null {
  if (row.case.startsWith('train step')) return null; // no PyTorch training step on record: see trainNote
  if (!row.case.includes('resnet20') || !(row.case.includes('128 images') || row.case.includes('100-round'))) return null;
  if (row.case.startsWith('px round')) return { seconds: ref.PX_score_seconds.median, what: 'PX.score()' };
  if (row.case.startsWith('synflow round')) return { seconds: ref.SynFlow_score_seconds.median, what: 'SynFlow.score()' };
  if (row.case.startsWith('snip round')) return { seconds: ref.SNIP_score_seconds.median, what: 'SNIP.score()' };
  if (row.case.startsWith('px 100-round'))
    return { seconds: ref.summary.PX_100_rounds_uncontended_estimate_s, what: '100-round PX (uncontended estimate)' };
  return null;
}

async function main() {
  const rows: BenchRow[] = [];
  const repeats = quick ? 1 : 3;
  const rounds = quick ? 5 : 100;
  log(
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const onlyTargets = args.has('--only-targets');
  const backends = onlyTargets ? [] : args.has('--no-cpu') ? (['wasm'] as const) : (['wasm', 'cpu'] as const);
  for (const backend of backends) {
    log(`node · ${backend}`);
    // the cpu backend is ~15× slower: one repeat of the single rounds, no 100-round prunes
    const rep = backend === 'cpu' ? 1 : repeats;
    rows.push(...(await trainBenches(backend, rep, log)));
    if (args.has('--only-train')) continue;
    rows.push(...(await scoreRounds(backend, 'resnet20', ['mag', 'synflow', 'px', 'snip', 'grasp'], rep, log)));
    rows.push(...(await scoreRounds(backend, 'mlp', ['mag', 'synflow', 'px', 'snip', 'grasp'], rep, log)));
    if (backend === 'wasm') {
      rows.push(await fullPrune(backend, 'px', rounds, log));
      rows.push(await fullPrune(backend, 'synflow', rounds, log));
    }
    rows.push(...(await extraNodeBenches(backend, log)));
  }
  // the training step side by side with the official code (bench/suites/trainstep.ts)
  let trainStep: TrainStepReport | null = null;
  const sbsWhy = sideBySideUnavailable();
  if (sbsWhy) log(`training step side by side skipped: ${sbsWhy}`);
  else {
    log('node · wasm training step side by side with PyTorch 1 thread');
    trainStep = await trainStepSideBySide({ steps: quick ? 1 : 3, repeats: quick ? 1 : 2, backend: 'wasm', log });
    rows.push(trainStepRow(trainStep));
  }
  if (!args.has('--no-browser') && !args.has('--only-train') && !onlyTargets) {
    try {
      const { browserBenches } = await import('./browser');
      rows.push(...(await browserBenches({ quick, log })));
      // the page as a user meets it: first exact result per zoo model, slider → exact, ETA error
      const { playgroundBenches } = await import('./playground');
      rows.push(...(await playgroundBenches({ quick, log })));
    } catch (e) {
      log(`browser benchmark skipped: ${(e as Error).message}`);
    }
  }
  const table = [
    '| env | backend | case | lab (s) | PyTorch CPU (s) | lab / PyTorch | notes |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const rf = referenceFor(r);
      return `| ${r.env} | ${r.backend} | ${r.case} | ${r.seconds.toFixed(3)} | ${rf ? rf.seconds.toFixed(3) : '—'} | ${rf ? (r.seconds / rf.seconds).toFixed(2) : '—'} | ${[r.note, r.tensorsAfter !== undefined ? `tensors ${r.tensorsBefore}→${r.tensorsAfter}` : '', r.peakBytes ? `memory high-water ${(r.peakBytes / 2 ** 20).toFixed(0)} MiB` : ''].filter(Boolean).join('; ')} |`;
    }),
  ].join('\n');
  const trainNote = trainStep
    ? `Training step side by side with the official code in this run: see the ResNet-20 training step below (lab/PyTorch ${trainStep.ratio.toFixed(2)}, 1 thread each).`
    : `Training steps: PyTorch is not installed here (side by side needs \`apt-get install -y python3-torch\` and a PyTorch training-step script), so the lab / PyTorch ratio of a training step was not measured in this run. Nearest stored reference: the official SNIP.score() on ResNet-20 at batch 128 (one forward + backward in train mode, no update) took ${ref.SNIP_score_seconds.median.toFixed(3)} s on ${(ref as unknown as { device: string }).device}.`;
  log(trainNote);
  // a training-only run keeps the full results (and targets) of the last complete run
  const onlyTrain = args.has('--only-train');
  let dispatch: DispatchReport | undefined;
  if (!onlyTrain && !onlyTargets && !args.has('--no-dispatch')) {
    log('kernels and WebGPU dispatches per round (bench/suites/dispatch.ts)');
    // WebGPU counts in Chromium (SwiftShader: minutes per ResNet-20 round) for the target's PX round only; every method on wasm
    dispatch = await dispatchBench({ browser: !args.has('--no-browser'), browserMethods: ['px-2024'], log });
  }
  const targets = onlyTrain
    ? null
    : await speedTargets({ rows, quick, browser: !args.has('--no-browser'), log, dispatch, trainStep: trainStep ?? sbsWhy ?? undefined });
  const note = `${trainNote}\n\nPyTorch figures in the table above: the official code (Debian PyTorch 1.13, CPU, 2 threads, ResNet-20, batch 128), measured separately on another machine (bench/measured/reference-timing.json), not in this run.${targets ? `\n\n${targets.table}\n\n${targets.details}` : ''}${dispatch ? `\n\n${dispatchMarkdown(dispatch)}` : ''}${trainStep ? `\n\n${trainStepMarkdown(trainStep)}` : ''}`;
  mkdirSync(resultsDir, { recursive: true });
  const stem = onlyTrain ? 'results-train' : onlyTargets ? 'results-targets' : 'results';
  writeFileSync(
    join(resultsDir, `${stem}.json`),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        loadavg: loadavg(),
        quick,
        reference: 'bench/measured/reference-timing.json',
        note,
        rows,
        targets: targets?.rows,
        sideBySide: targets?.sideBySide,
        threads: targets?.threads,
        dispatch,
        trainStep,
      },
      null,
      1,
    ),
  );
  writeFileSync(join(resultsDir, `${stem}.md`), `${table}\n\n${note}\n`);
  console.log(`${table}\n\n${note}`);
  if (!existsSync(join(resultsDir, `${stem}.json`))) process.exitCode = 1;
}

await main();
