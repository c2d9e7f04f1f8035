// Options both schedulers share (Slurm array script and Kubernetes Job): name, CPUs, GPUs, and
// quoting of paths into a shell command line.
import type { SweepPlan } from '../shared/train';
import { CliError, numberArg } from './args';

/** A Kubernetes/Slurm-safe job name: lowercase letters, digits and '-', at most 63. */
export function jobNameArg(v: Record<string, unknown>): string {
  const name = (v['job-name'] as string | undefined) ?? 'pxlab-sweep';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
    throw new CliError(`--job-name must be lowercase letters, digits and '-' (at most 63), got ${JSON.stringify(name)}`);
  return name;
}

/** --gpus-per-task: given, or 1 when the plan's cells run on webgpu. */
export function gpusArg(v: Record<string, unknown>, plan: SweepPlan): number | undefined {
  const n = numberArg(
    v,
    'gpus-per-task',
    plan.backend === 'webgpu' ? 1 : 0,
    (k) => Number.isInteger(k) && k >= 0 && k <= 64,
    'an integer in 0..64',
  );
  return n > 0 ? n : undefined;
}

export const cpusArg = (v: Record<string, unknown>) =>
  v['cpus-per-task'] === undefined
    ? undefined
    : numberArg(v, 'cpus-per-task', 1, (k) => Number.isInteger(k) && k >= 1 && k <= 1024, 'an integer in 1..1024');

/** A word for a shell command line: as is when plain, else single-quoted. */
export const shellWord = (s: string) => (/^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
