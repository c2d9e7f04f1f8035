// Drives runs: a new configuration (debounced while a field is typed in; at once when the slider
// is released) supersedes the running request; events are folded into the view at once after a
// quiet frame, and at most once per animation frame while they stream.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunConfig } from '../../shared/config';
import type { BackendInfo, RunEvent } from '../../shared/protocol';
import { newRequestId } from '../shell/requestIds';
import { emptyRun, reduceRun, type RunSource, type RunView } from '../common/runView';

export interface LabRun {
  view: RunView | null;
  backend: BackendInfo | null;
  backendError: string | null;
  cancel(): void;
  rerun(): void;
  /** The next configuration starts without the debounce (the slider was released: one change, answered at once). */
  startNextAtOnce(): void;
}

const DEBOUNCE_MS = 180;
/** One animation frame at 60 Hz. */
const FRAME_MS = 1000 / 60;

/** The compute backend the source picked (once), or why it could not start. */
function useBackend(source: RunSource) {
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    source.init().then(
      (b) => alive && setBackend(b),
      (e: unknown) => alive && setBackendError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, [source]);
  return { backend, setBackend, backendError };
}

/**
 * Events folded into the view: at once after a quiet frame (a new request's first answer, the
 * slider's provisional rows), at most once per animation frame while they stream.
 */
function useEventFolder(fold: (events: RunEvent[]) => void) {
  const pending = useRef<RunEvent[]>([]);
  const frame = useRef<number | null>(null);
  const lastFold = useRef(-Infinity);
  const flush = useCallback(() => {
    frame.current = null;
    lastFold.current = performance.now();
    const events = pending.current;
    pending.current = [];
    if (events.length) fold(events);
  }, [fold]);
  useEffect(
    () => () => {
      if (frame.current !== null && frame.current >= 0) cancelAnimationFrame(frame.current);
    },
    [],
  );
  return useMemo(
    () => ({
      push(e: RunEvent) {
        pending.current.push(e);
        if (frame.current !== null) return;
        if (performance.now() - lastFold.current > FRAME_MS) {
          frame.current = -1;
          queueMicrotask(flush);
        } else frame.current = requestAnimationFrame(flush);
      },
      /** A new request: the events still waiting belong to the one before. */
      drop() {
        pending.current = [];
      },
    }),
    [flush],
  );
}

export function useLabRun(source: RunSource, config: RunConfig, enabled: boolean): LabRun {
  const [view, setView] = useState<RunView | null>(null);
  const { backend, setBackend, backendError } = useBackend(source);
  const [nonce, setNonce] = useState(0);
  const currentId = useRef(0);
  const first = useRef(true);
  const atOnce = useRef(false);
  /** Set once a run ended or the page waited (blocked): later runs are not the page's opening request. */
  const notOpening = useRef(false);
  const key = JSON.stringify(config);

  const fold = useCallback(
    (events: RunEvent[]) => {
      setView((v) => (v ? events.reduce(reduceRun, v) : v));
      for (const e of events) if (e.type === 'backend') setBackend(e.info);
    },
    [setBackend],
  );
  const events = useEventFolder(fold);

  useEffect(() => {
    if (!enabled) {
      notOpening.current = true;
      if (currentId.current) source.cancel(currentId.current);
      currentId.current = 0;
      setView(null);
      return;
    }
    const cfg = JSON.parse(key) as RunConfig;
    const now = atOnce.current;
    const delay = first.current || now ? 0 : DEBOUNCE_MS;
    first.current = false;
    atOnce.current = false;
    const start = () => {
      // until a first run ends, the page is answering its opening request: time counts from the navigation
      const openedAt =
        !notOpening.current && typeof performance !== 'undefined' && performance.timeOrigin > 0
          ? Math.round(performance.timeOrigin)
          : undefined;
      const id = newRequestId();
      currentId.current = id;
      events.drop();
      setView((prev) => {
        const v = emptyRun(id, cfg, prev?.backend);
        return openedAt !== undefined && openedAt <= v.startedAt ? { ...v, openedAt } : v;
      });
      void source.run(id, cfg, (e) => {
        if (currentId.current === id) events.push(e);
      });
    };
    // a released slider: the request leaves in this task, before the page redraws
    if (now) {
      start();
      return;
    }
    const timer = setTimeout(start, delay);
    return () => clearTimeout(timer);
  }, [key, enabled, nonce, source, events]);

  const status = view?.status;
  useEffect(() => {
    if (status && status !== 'running') notOpening.current = true;
  }, [status]);

  const cancel = useCallback(() => {
    if (currentId.current) source.cancel(currentId.current);
  }, [source]);
  const rerun = useCallback(() => setNonce((n) => n + 1), []);
  const startNextAtOnce = useCallback(() => {
    atOnce.current = true;
  }, []);

  return { view, backend: view?.backend ?? backend, backendError, cancel, rerun, startNextAtOnce };
}
