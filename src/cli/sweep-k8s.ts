// The plan's cells as a Kubernetes Indexed Job: one completion per cell, the cell index from the
// JOB_COMPLETION_INDEX the Job controller sets in every pod, plan and cells on one shared volume.
// The manifest is JSON (kubectl reads it as it reads YAML), so it round-trips exactly.
import { basename } from 'node:path';
import { planCells, type SweepPlan } from '../shared/train';
import { log, writeFile } from './common';
import { CliError, numberArg } from './args';
import { cpusArg, gpusArg, jobNameArg, shellWord } from './sweep-job-args';

/** Where the shared volume is mounted in every pod, and where the image holds this repository. */
export const K8S_WORK = '/work';
export const K8S_APP = '/app';

export interface K8sJobOptions {
  image: string;
  name: string;
  planFile: string;
  cellsDir: string;
  parallelism: number;
  claim: string;
  cpus?: number;
  gpus?: number;
  data?: string;
}

/** The Job object (apiVersion batch/v1). */
export function k8sJob(plan: SweepPlan, o: K8sJobOptions): Record<string, unknown> {
  const completions = planCells(plan).length;
  const inWork = (p: string) => `${K8S_WORK}/${basename(p)}`;
  const cell = [
    'node',
    `${K8S_APP}/bin/px-lab.mjs`,
    'sweep',
    '--plan',
    shellWord(inWork(o.planFile)),
    '--cell',
    '"$JOB_COMPLETION_INDEX"',
    '--cells',
    shellWord(inWork(o.cellsDir)),
  ];
  if (o.data) cell.push('--data', shellWord(o.data));
  const resources: Record<string, Record<string, string | number>> = {};
  if (o.cpus) resources.requests = { cpu: String(o.cpus) };
  if (o.gpus) resources.limits = { 'nvidia.com/gpu': o.gpus };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, labels: { app: 'px-lab-sweep' } },
    spec: {
      completionMode: 'Indexed',
      completions,
      parallelism: Math.min(o.parallelism, completions),
      template: {
        metadata: { labels: { app: 'px-lab-sweep' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'cell',
              image: o.image,
              workingDir: K8S_APP,
              command: ['sh', '-c', `exec ${cell.join(' ')}`],
              ...(Object.keys(resources).length ? { resources } : {}),
              volumeMounts: [{ name: 'work', mountPath: K8S_WORK }],
            },
          ],
          volumes: [{ name: 'work', persistentVolumeClaim: { claimName: o.claim } }],
        },
      },
    },
  };
}

/** `--submit k8s`: the manifest to --out (or stdout); `kubectl apply -f` submits it. */
export function k8sCommand(v: Record<string, unknown>, plan: SweepPlan, planPath: string): void {
  const image = v.image as string | undefined;
  if (!image || /\s/.test(image))
    throw new CliError('--submit k8s needs --image IMAGE (an image holding this repository after `npm ci`, in /app)');
  const claim = (v.claim as string | undefined) ?? 'pxlab-work';
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(claim))
    throw new CliError(`--claim must be a PersistentVolumeClaim name (got ${JSON.stringify(claim)})`);
  const job = k8sJob(plan, {
    image,
    name: jobNameArg(v),
    planFile: planPath,
    cellsDir: (v.cells as string | undefined) ?? 'cells',
    parallelism: numberArg(v, 'parallelism', 8, (k) => Number.isInteger(k) && k >= 1 && k <= 10000, 'an integer in 1..10000'),
    claim,
    cpus: cpusArg(v),
    gpus: gpusArg(v, plan),
    data: v.data as string | undefined,
  });
  const text = `${JSON.stringify(job, null, 2)}\n`;
  if (!v.out) return void process.stdout.write(text);
  writeFile(v.out as string, text);
  log(
    `${planCells(plan).length} cells → Indexed Job ${jobNameArg(v)} in ${v.out}; copy ${planPath} to the volume's ${K8S_WORK}/ and run: kubectl apply -f ${v.out}`,
  );
}
