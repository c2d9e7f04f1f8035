// window.__pxlab: a small hook for end-to-end tests and benchmarks, installed by main.tsx only in
// builds made with `vite build --mode e2e` (npm run e2e, npm run bench): never in production.

import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config';
import type { BackendInfo, RunEvent, RunSummary, TrainEvent, TrainResult } from '../../shared/protocol';
import type { FaultKind, WorkerInit, WorkerStats } from '../../shared/workerApi';
import type { EndOutcome } from '../../shared/requestEnd';
import type { SweepPlan } from '../../shared/train';
import { TrainClient } from '../train/trainClient';
import { getLabClient, LabClient, type LabClientOptions, type Notice } from '../shell/workerClient';

export interface PxLabHook {
  /** Run (config fields over the defaults); resolves with the summary, rejects when superseded. */
  run(config?: Partial<RunConfig>): Promise<RunSummary>;
  backend(): Promise<BackendInfo>;
  /** Benchmarks: train a plan's cells; every event with its arrival time (performance.now()). */
  train(plan: SweepPlan): Promise<{ results: TrainResult[] | null; events: Array<{ t: number; e: TrainEvent }> }>;
  stats(): Promise<WorkerStats>;
  clearCache(): Promise<void>;
  /** The CIFAR-10 set the worker holds (label), or null. */
  cifarHeld(): Promise<string | null>;
  simulateFault(kind: FaultKind): Promise<void>;
  /** Tests: drive a separate client (its own worker) made with these options from now on. */
  useClient(init?: WorkerInit, opts?: Omit<LabClientOptions, 'init' | 'createWorker'>): void;
  /** Cancel the hook's current run. */
  cancel(): void;
  /** Events delivered to callbacks since the last reset (requestId, type, an end's outcome, performance.now()). */
  delivered: Array<{ requestId: number; type: RunEvent['type']; outcome?: EndOutcome; t: number }>;
  /** Every delivered event of the last run. */
  lastEvents: RunEvent[];
  notices: Notice[];
  reset(): void;
}

export function installTestHook(): PxLabHook | null {
  if (typeof window === 'undefined') return null;
  const w = window as unknown as { __pxlab?: PxLabHook };
  if (w.__pxlab) return w.__pxlab;
  let own: LabClient | null = null;
  const client = () => own ?? getLabClient();
  let subscribed = false;
  const hook: PxLabHook = {
    delivered: [],
    lastEvents: [],
    notices: [],
    run(config = {}) {
      const c = client();
      if (!subscribed) {
        subscribed = true;
        c.onNotice((n) => hook.notices.push(n));
      }
      const events: RunEvent[] = [];
      hook.lastEvents = events;
      return c.run(
        { ...DEFAULT_CONFIG, ...config },
        {
          onEvent: (e) => {
            events.push(e);
            const outcome = e.type === 'end' ? { outcome: e.outcome } : {};
            hook.delivered.push({ requestId: e.requestId ?? -1, type: e.type, ...outcome, t: performance.now() });
          },
        },
      );
    },
    backend: () => client().backend(),
    async train(plan) {
      const events: Array<{ t: number; e: TrainEvent }> = [];
      const results = await new TrainClient(client()).run('train', plan, [], (e) => events.push({ t: performance.now(), e }));
      return { results, events };
    },
    stats: () => client().stats(),
    clearCache: () => client().clearCache(),
    cifarHeld: () => client().cifarHeld(),
    simulateFault: (kind) => client().simulateFault(kind),
    cancel: () => client().cancel(),
    useClient(init, opts = {}) {
      own?.dispose();
      own = new LabClient({ ...opts, init });
      subscribed = false;
    },
    reset() {
      hook.delivered = [];
      hook.lastEvents = [];
      hook.notices = [];
    },
  };
  w.__pxlab = hook;
  return hook;
}
