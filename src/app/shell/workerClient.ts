// The page's side of the compute worker. The page renders; every tfjs call happens in the worker
// (this file imports no tfjs, only the protocol types and comlink).
//
// Semantics:
// - `run(config, { id, onEvent, signal })` (id: src/app/shell/requestIds.ts) supersedes the
//   previous run (one current run, newest.ts): the stale run is cancelled in the worker, its
//   promise rejects with an AbortError and none of its events reach a callback from then on.
// - If the worker crashes or its GPU device is lost, the worker is restarted without that
//   backend, a notice is shown and the current request is re-run on the new backend.
import * as Comlink from 'comlink';
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import { BACKEND_ORDER } from '../../shared/protocol';
import { RunError } from '../../shared/runError';
import { Newest } from './newest';
import { newRequestId } from './requestIds';
import { abortError, faultWords } from './workerFaults';
import type { LabClientOptions, Notice, RunHandlers } from './workerClientOptions';
import { defaultWorker, workerInit, type Current } from './workerClientParts';
import type { BackendInfo, BackendName, MaskArray, RunEvent, RunSummary } from '../../shared/protocol';
import type { FaultKind, LabWorkerApi, WorkerFault, WorkerStats } from '../../shared/workerApi';

export type { LabClientOptions, Notice, RunHandlers } from './workerClientOptions';

export class LabClient {
  private worker: Worker | null = null;
  private api: Comlink.Remote<LabWorkerApi> | null = null;
  private ready: Promise<BackendInfo> | null = null;
  private info: BackendInfo | null = null;
  /** The worker generation `info` describes. */
  private infoGeneration = 0;
  /** Bumped on every (re)start; callbacks of an older worker are ignored. */
  private generation = 0;
  private excluded: BackendName[] = [];
  private restarts = 0;
  private lastFinished = 0;
  /** The current run (newest wins); a restarted worker runs it again. */
  private readonly runs = new Newest<Current>();
  /** Time of the last heartbeat or event of the live worker. */
  private lastBeat = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  /** CIFAR-10 loads in flight (the watchdog watches them too). */
  private loading = 0;
  /** The files of the CIFAR-10 set the worker holds: loaded again into a restarted worker. */
  private cifarFiles: File[] | null = null;
  /** Rejects the calls in flight when their worker is stopped (a dead worker never answers). */
  private dead: { promise: Promise<never>; reject: (e: Error) => void } | null = null;
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  /** What a (re)started worker is given before any request runs on it (e.g. the user's weights). */
  private readonly restorers = new Set<(api: Comlink.Remote<LabWorkerApi>, generation: number) => Promise<void>>();
  private readonly opts: LabClientOptions;

  constructor(opts: LabClientOptions = {}) {
    this.opts = opts;
  }

  /** The backend the worker chose (starts the worker if needed). */
  backend(): Promise<BackendInfo> {
    return this.start();
  }

  onNotice(cb: (n: Notice) => void): () => void {
    this.noticeListeners.add(cb);
    return () => this.noticeListeners.delete(cb);
  }

  /** Called with every new worker before a request (a re-run included) is dispatched to it. */
  onStart(restore: (api: Comlink.Remote<LabWorkerApi>, generation: number) => Promise<void>): () => void {
    this.restorers.add(restore);
    return () => this.restorers.delete(restore);
  }

  /** Run a configuration; supersedes the previous run. Rejects with an AbortError when superseded or aborted. */
  run(config: RunConfig, handlers: RunHandlers = {}): Promise<RunSummary> {
    // the worker validates it (its trust boundary) and answers an invalid one with an error end
    const id = handlers.id ?? newRequestId();
    return new Promise<RunSummary>((resolve, reject) => {
      const cur: Current = { id, config, handlers, resolve, reject };
      const before = this.runs.begin(cur);
      if (before) this.stopRun(before, abortError());
      if (handlers.signal) {
        if (handlers.signal.aborted) {
          this.runs.end(cur);
          return this.finish(cur, abortError('aborted'));
        }
        cur.onAbort = () => {
          if (this.runs.end(cur)) this.stopRun(cur, abortError('aborted'));
        };
        handlers.signal.addEventListener('abort', cur.onAbort, { once: true });
      }
      void this.dispatch(cur);
    });
  }

  /** Cancel the current run (only if it is request `id`, when given). */
  cancel(id?: number): void {
    const cur = this.runs.current;
    if (cur && (id === undefined || cur.id === id) && this.runs.end(cur)) this.stopRun(cur, abortError());
  }

  /** Final masks (PyTorch layout) of one method of the last finished run, or null. */
  async masks(method: MethodId): Promise<MaskArray[] | null> {
    if (!this.lastFinished) return null;
    await this.start();
    return this.api!.masks(this.lastFinished, method);
  }

  /** Read CIFAR-10 from dropped files into the worker; resolves with the dataset's label. */
  async loadCifar10(files: File[], onProgress: (fraction: number) => void = () => undefined): Promise<string> {
    await this.start();
    this.loading++;
    this.lastBeat = performance.now();
    try {
      const label = await this.guard(this.api!.loadCifar10(files, Comlink.proxy(onProgress)));
      this.cifarFiles = files;
      return label;
    } finally {
      this.loading--;
    }
  }

  /** The label of the CIFAR-10 set the worker holds now, or null. */
  async cifarHeld(): Promise<string | null> {
    await this.start();
    return this.guard(Promise.resolve(this.api!.cifarHeld()));
  }

  async stats(): Promise<WorkerStats> {
    await this.start();
    return this.api!.stats();
  }

  async clearCache(): Promise<void> {
    await this.start();
    await this.api!.clearCache();
  }

  /** Tests (e2e builds only): make the worker crash, lose its device, exit or hang; the client restarts it. */
  async simulateFault(kind: FaultKind): Promise<void> {
    await this.start();
    const f = (this.api as unknown as { simulateFault?: (k: FaultKind) => Promise<void> }).simulateFault;
    if (!f) throw new Error('simulateFault exists only in test builds');
    // the fault may stop the worker before it answers: that is the point, not an error
    await this.guard(f(kind)).catch((e: Error) => {
      if (e.name !== 'AbortError') throw e;
    });
  }

  dispose(): void {
    this.cancel();
    this.stop();
  }

  /** The started worker's API and its generation (training calls it directly: src/app/train/trainClient.ts). */
  async remote(): Promise<{ api: Comlink.Remote<LabWorkerApi>; generation: number; backend: BackendInfo }> {
    const backend = await this.start();
    return { api: this.api!, generation: this.generation, backend };
  }

  // ------------------------------------------------------------------------------------------

  private start(): Promise<BackendInfo> {
    if (this.ready) return this.ready;
    const gen = ++this.generation;
    const worker = (this.opts.createWorker ?? defaultWorker)();
    this.worker = worker;
    this.api = Comlink.wrap<LabWorkerApi>(worker);
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      // crashed before it chose a backend: blame the first one it would have probed
      const backend =
        this.infoGeneration === gen && this.info ? this.info.name : (BACKEND_ORDER.find((b) => !this.excluded.includes(b)) ?? 'cpu');
      this.fault(gen, { kind: 'crash', backend, message: ev.message || 'the compute worker crashed' });
    });
    const onFault = Comlink.proxy((f: WorkerFault) => this.fault(gen, f));
    const onBeat = Comlink.proxy(() => {
      if (gen === this.generation) this.lastBeat = performance.now();
    });
    let reject: (e: Error) => void = () => undefined;
    const promise = new Promise<never>((_, r) => (reject = r));
    promise.catch(() => undefined);
    this.dead = { promise, reject };
    const { init, lifeLock } = workerInit(this.opts, this.excluded, gen);
    this.ready = this.guard(this.api.init(init, onFault, onBeat)).then(async (info) => {
      if (gen === this.generation) {
        if (lifeLock) this.watchLife(gen, lifeLock);
        this.startWatchdog(gen);
        await this.reloadCifar(gen);
        for (const restore of this.restorers) await this.guard(restore(this.api!, gen)).catch(() => undefined);
        this.info = info;
        this.infoGeneration = gen;
      }
      return info;
    });
    // a failed init leaves the client restartable
    this.ready.catch(() => {
      if (gen === this.generation) this.ready = null;
    });
    return this.ready;
  }

  /** Resolves with p, or rejects when its worker is stopped first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return this.dead ? Promise.race([p, this.dead.promise]) : p;
  }

  /** The worker's Web Lock is released when it ends, however it ends (no error event needed). */
  private watchLife(gen: number, name: string): void {
    void navigator.locks.request(name, () => {
      if (gen === this.generation)
        this.fault(gen, { kind: 'silent', backend: this.info?.name ?? 'cpu', message: 'it ended without an error event' });
    });
  }

  private startWatchdog(gen: number): void {
    const limit = this.opts.watchdogMs ?? 120_000;
    this.lastBeat = performance.now();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(
      () => {
        if (gen !== this.generation) return;
        const busy = this.runs.current !== null || this.loading > 0;
        if (!busy) this.lastBeat = performance.now();
        else if (performance.now() - this.lastBeat > limit) {
          this.fault(gen, {
            kind: 'silent',
            backend: this.info?.name ?? 'cpu',
            message: `no heartbeat from the compute worker for ${Math.round(limit / 1000)} s`,
          });
        }
      },
      Math.min(1000, limit / 4),
    );
  }

  /** A restarted worker gets the CIFAR-10 files the old one held (File objects stay readable). */
  private async reloadCifar(gen: number): Promise<void> {
    const files = this.cifarFiles;
    if (!files) return;
    try {
      await this.guard(
        this.api!.loadCifar10(
          files,
          Comlink.proxy(() => undefined),
        ),
      );
    } catch (e) {
      if (gen !== this.generation) return;
      this.cifarFiles = null;
      this.notice({
        level: 'warning',
        message: `The CIFAR-10 files could not be read again after the restart (${e instanceof Error ? e.message : String(e)}); drop them again.`,
      });
    }
  }

  private stop(): void {
    this.generation++;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.dead?.reject(abortError('the compute worker restarted before it answered'));
    this.dead = null;
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.ready = null;
  }

  /** A run no longer current (superseded, cancelled or aborted): cancelled in the worker, its promise rejected. */
  private stopRun(old: Current, why: Error): void {
    void this.api?.cancel(old.id);
    this.finish(old, why);
  }

  private finish(cur: Current, result: RunSummary | Error): void {
    if (cur.onAbort) cur.handlers.signal?.removeEventListener('abort', cur.onAbort);
    if (result instanceof Error) cur.reject(result);
    else cur.resolve(result);
  }

  private deliver(cur: Current, e: RunEvent): void {
    // stale events never reach a callback
    if (!this.runs.is(cur)) return;
    try {
      cur.handlers.onEvent?.(e);
    } catch (err) {
      console.error('onEvent handler failed', err);
    }
  }

  private async dispatch(cur: Current): Promise<void> {
    let info: BackendInfo;
    const t0 = performance.now();
    try {
      info = await this.start();
    } catch (e) {
      if (this.runs.end(cur)) this.finish(cur, e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (!this.runs.is(cur)) return;
    // the worker this request runs on (a restart makes a newer one)
    const gen = this.generation;
    this.deliver(cur, { type: 'backend', requestId: cur.id, info, waitedMs: performance.now() - t0 });
    this.lastBeat = performance.now();
    const onEvent = (e: RunEvent) => {
      if (gen === this.generation) this.lastBeat = performance.now();
      const failure = e.type === 'end' && e.outcome === 'error' ? e : null;
      if (failure) cur.error = RunError.fromEvent(failure);
      // a backend failure is retried on the next backend (with a notice), not shown as the result
      if (failure?.code === 'backend' && info.name !== 'cpu') return;
      this.deliver(cur, e);
    };
    const onEvents = Comlink.proxy((events: RunEvent[]) => events.forEach(onEvent));
    let summary: RunSummary | null;
    try {
      summary = await this.guard(this.api!.run({ id: cur.id, config: cur.config }, onEvents));
    } catch (e) {
      // a restarted worker re-dispatches the request itself
      if (gen !== this.generation) return;
      if (this.runs.end(cur)) this.finish(cur, e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (!this.runs.is(cur) || gen !== this.generation) return;
    // failed inside a GPU backend: fall back to the next backend and run it again
    if (!summary && cur.error?.code === 'backend' && info.name !== 'cpu') {
      const message = cur.error!.message;
      cur.error = undefined;
      this.fault(gen, { kind: 'backend-error', backend: info.name, message });
      return;
    }
    this.runs.end(cur);
    if (summary) this.lastFinished = cur.id;
    if (summary) this.finish(cur, summary);
    else this.finish(cur, cur.error ?? abortError('cancelled'));
  }

  private fault(gen: number, f: WorkerFault): void {
    if (gen !== this.generation) return;
    const maxRestarts = this.opts.maxRestarts ?? 3;
    // a silent death says nothing against the backend: restart on the same one
    if (f.kind !== 'silent' && !this.excluded.includes(f.backend)) this.excluded.push(f.backend);
    this.stop();
    const cur = this.runs.current;
    if (this.restarts >= maxRestarts || this.excluded.length >= 4) {
      this.notice({ level: 'warning', message: `The compute worker failed (${f.message}) and no backend is left to restart on.` });
      if (cur && this.runs.end(cur)) this.finish(cur, new Error(`compute worker failed: ${f.message}`));
      return;
    }
    this.restarts++;
    const { what, where } = faultWords(f);
    this.notice({
      level: 'warning',
      message: `${what} (${f.message}); restarting on ${where}${cur ? ' and re-running the request' : ''}.`,
    });
    if (cur) {
      this.deliver(cur, { type: 'notice', requestId: cur.id, level: 'warning', message: `${what}; restarted on ${where}, re-running.` });
      void this.dispatch(cur);
    } else {
      void this.start();
    }
  }

  private notice(n: Notice): void {
    for (const cb of this.noticeListeners) cb(n);
  }
}

let shared: LabClient | null = null;

/** The page's one client (the worker is created on first use). */
export function getLabClient(): LabClient {
  if (!shared) shared = new LabClient();
  return shared;
}
