// Side by side with the official PyTorch code, in this run on this machine: bench/suites/sidebyside.py
// (`px-lab score` on Node wasm against the official pruners, alternating, best of two) when
// Debian's PyTorch and an export of the official repository are there:
//
//   apt-get install -y python3-torch python3-tqdm
//   git clone https://github.com/iurada/px-ntk-pruning && git -C px-ntk-pruning archive HEAD | tar -x -C /some/dir
//   PXREF=/some/dir npm run bench
//
// Otherwise the ratios cannot be measured and the stored reference (bench/measured/reference-timing.json,
// its date and CPU) is what the figures are compared with. The official code never enters this repo.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export type CaseName = 'px' | 'synflow' | 'snip';

export interface SideBySideCase {
  rounds: number;
  lab_s: number[];
  lab_backend: string;
  torch_s: number[];
  lab_best_s: number;
  torch_best_s: number;
  ratio: number;
}

export type SideBySide =
  | { measured: true; threads: number; torch: string; cases: Partial<Record<CaseName, SideBySideCase>> }
  | { measured: false; reason: string };

const python = () => process.env.PXREF_PYTHON ?? '/usr/bin/python3';

/** Why the side-by-side run cannot happen here, or null when it can. */
export function sideBySideUnavailable(): string | null {
  const ref = process.env.PXREF;
  if (!ref) return 'PXREF is not set (an export of github.com/iurada/px-ntk-pruning HEAD)';
  if (!existsSync(join(ref, 'lib', 'pruners.py'))) return `PXREF=${ref} holds no lib/pruners.py (not an export of the official code)`;
  const probe = spawnSync(python(), ['-c', 'import torch, tqdm; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${python()} cannot import torch and tqdm (apt-get install -y python3-torch python3-tqdm)`;
  return null;
}

/** Runs bench/suites/sidebyside.py with `threads` PyTorch threads; minutes. */
export async function runSideBySide(threads: number, log: (s: string) => void, timeoutMs = 40 * 60_000): Promise<SideBySide> {
  const why = sideBySideUnavailable();
  if (why) return { measured: false, reason: why };
  const out = join(mkdtempSync(join(tmpdir(), 'pxlab-sbs-')), 'sidebyside.json');
  // the goal is not a gate here: a huge one keeps the script's exit status about errors only
  const child = spawn(python(), ['-u', join(here, 'sidebyside.py'), '1e9', '--threads', String(threads), '--json', out], {
    cwd: join(here, '..', '..'),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => {
    text += d;
    for (const line of String(d).split('\n').filter(Boolean)) log(`  side by side: ${line}`);
  });
  child.stderr.on('data', (d: Buffer) => (text += d));
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const code: number | null = await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  if (!existsSync(out))
    return {
      measured: false,
      reason: `bench/suites/sidebyside.py failed (exit ${code}): ${text.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`,
    };
  const rec = JSON.parse(readFileSync(out, 'utf8')) as { threads: number; torch: string; cases: Partial<Record<CaseName, SideBySideCase>> };
  return { measured: true, threads: rec.threads, torch: rec.torch, cases: rec.cases };
}

export interface StoredReference {
  device: string;
  torch: string;
  date?: string;
  PX_score_seconds: { median: number };
  SynFlow_score_seconds: { median: number };
  SNIP_score_seconds: { median: number };
}

/** "…, CPU: AMD EPYC, 2 logical cores, …, 2026-11-26": what the stored figures were measured on. */
export function describeStored(ref: StoredReference): string {
  return `stored reference bench/measured/reference-timing.json (${ref.date ?? 'date not recorded'}; ${ref.device}; PyTorch ${ref.torch}): PX.score ${ref.PX_score_seconds.median.toFixed(3)} s, SynFlow.score ${ref.SynFlow_score_seconds.median.toFixed(3)} s, SNIP.score ${ref.SNIP_score_seconds.median.toFixed(3)} s per round`;
}
