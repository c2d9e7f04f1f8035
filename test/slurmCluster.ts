// A one-node Slurm cluster on localhost for the tests: munged with its own key and socket,
// slurmctld and slurmd in the foreground (children of this process, so they are stopped by pid),
// every file in one temp folder, ports on loopback. What works in a container without systemd or
// cgroups (Debian's slurm-wlm 22.05): ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
// JobAcctGatherType=jobacct_gather/none, no cgroup.conf, accounting off (so sacct has nothing and
// the scheduler's state comes from squeue, which keeps finished tasks for MinJobAge seconds).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo'];
const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

const which = (b: string) => SBIN.map((d) => join(d, b)).find((p) => existsSync(p));

/** Why the cluster cannot be started here, in one line (null: it can be tried). */
export function slurmMissing(): string | null {
  const absent = BINARIES.filter((b) => !which(b));
  if (absent.length) return `Slurm is not installed (missing ${absent.join(', ')}; Debian: apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'the one-node Slurm cluster needs root (slurmd runs jobs as their user)';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface SlurmCluster {
  dir: string;
  /** Environment for the Slurm client commands (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  /** Slurm client command, failing with its stderr. */
  run(cmd: string, args: string[]): string;
  stop(): Promise<void>;
}

function slurmConf(dir: string, node: string, ports: [number, number], cpus: number): string {
  return `ClusterName=pxlab
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=${join(dir, 'munge', 'munge.sock')}
CredType=cred/munge
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${join(dir, 'slurmctld.pid')}
SlurmdPidFile=${join(dir, 'slurmd.pid')}
SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}
SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
MinJobAge=600
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start munged, slurmctld and slurmd; resolves once the node is idle. Stops what it started on failure. */
export async function startSlurm(cpus: number): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pxlab-slurm-'));
  chmodSync(dir, 0o755);
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d));
  chmodSync(join(dir, 'munge'), 0o700);
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const conf = join(dir, 'slurm.conf');
  const node = hostname().split('.')[0];
  writeFileSync(conf, slurmConf(dir, node, [await freePort(), await freePort()], cpus));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const output = new Map<string, string[]>();
  const start = (bin: string, args: string[]) => {
    const p = spawn(which(bin)!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    output.set(bin, chunks);
    p.stdout!.on('data', (b) => chunks.push(String(b)));
    p.stderr!.on('data', (b) => chunks.push(String(b)));
    daemons.push(p);
  };
  const alive = (p?: ChildProcess) => p !== undefined && p.exitCode === null && p.signalCode === null;
  // a test runner killed mid-test must not leave daemons behind
  const killAll = () => daemons.forEach((p) => alive(p) && p.kill('SIGKILL'));
  process.once('exit', killAll);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(which(cmd)!, args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    return r.stdout;
  };
  const stop = async () => {
    // cancel what is left, so slurmstepd and the job's processes end before the daemons
    if (alive(daemons[1]) && alive(daemons[2])) {
      spawnSync(which('scancel')!, ['--full', '--user', 'root'], { env, encoding: 'utf8', timeout: 15_000 });
      for (
        let i = 0;
        i < 50 && spawnSync(which('squeue')!, ['-h', '-t', 'R,CG'], { env, encoding: 'utf8', timeout: 15_000 }).stdout?.trim();
        i++
      )
        await sleep(200);
    }
    for (const p of [...daemons].reverse()) {
      if (!alive(p)) continue;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([gone, sleep(5000).then(() => p.kill('SIGKILL'))]);
    }
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    start('munged', [
      '-F',
      '-f',
      `--key-file=${key}`,
      `--socket=${join(dir, 'munge', 'munge.sock')}`,
      `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--seed-file=${join(dir, 'munge', 'seed')}`,
      `--log-file=${join(dir, 'log', 'munged.log')}`,
    ]);
    for (let i = 0; i < 50 && !existsSync(join(dir, 'munge', 'munge.sock')); i++) await sleep(100);
    if (!existsSync(join(dir, 'munge', 'munge.sock'))) throw new Error('munged did not open its socket');
    start('slurmctld', ['-D', '-f', conf]);
    start('slurmd', ['-D', '-N', node, '-f', conf]);
    let state = '';
    for (let i = 0; i < 100; i++) {
      await sleep(200);
      const exited = daemons.find((p) => !alive(p));
      if (exited) throw new Error(`${exited.spawnfile} exited with ${exited.exitCode ?? exited.signalCode}`);
      state = spawnSync(which('sinfo')!, ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim() ?? '';
      if (state === 'idle') return { dir, env, run, stop };
    }
    throw new Error(`the node did not come up (sinfo says ${JSON.stringify(state)})`);
  } catch (e) {
    // the last fatal line of each daemon (slurm also logs harmless errors: PMIx, MailProg)
    const logs = [...output.values()]
      .map((c) =>
        c
          .join('')
          .split('\n')
          .filter((l) => /fatal/i.test(l))
          .pop(),
      )
      .filter(Boolean);
    await stop();
    throw new Error(`Slurm did not start: ${(e as Error).message}${logs.length ? ` (${logs.join('; ')})` : ''}`);
  }
}
