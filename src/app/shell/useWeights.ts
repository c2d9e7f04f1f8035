// Which weights every run starts from: the URL's `weights` ("init", "pretrained:<id>",
// "file:<sha256>:<name>") applied to the worker, imported files kept in IndexedDB, a link whose
// file this browser lacks shown as "load it" (the file must match the hash; nothing runs until it
// is loaded). A failed load keeps the weights used before and says why; weights a restarted worker
// could not take again are dropped to the init, and the panel says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseWeightsChoice, pretrainedProblem } from '../../shared/pretrained';
import type { WeightsInfo } from '../../shared/transfer';
import type { UrlState } from '../../shared/urlState';
import type { RunSource } from '../common/runView';
import { loadStoredWeights, saveWeights } from './weightsStore';

export interface WeightsState {
  /** What the worker starts from now (a sentence). */
  inUse: string;
  info: WeightsInfo | null;
  busy: boolean;
  /** The last load's problem (the previous weights stay in use). */
  error: string | null;
  /** A link names a file this browser does not hold. */
  missing: { name: string; sha256: string } | null;
  notice: string | null;
  /** The weights the worker holds, in the URL's form (what stored results state). */
  applied: string;
  /** Why runs must wait (the link's weights are not in the worker yet), or null. */
  blockedReason: string | null;
  /** Read a user's file: validated in the worker, kept in IndexedDB, recorded in the URL. */
  loadFile(file: File): Promise<void>;
  choose(choice: string): void;
}

/**
 * Records the weights now applied; true when they change what the worker held. Confirming its
 * own seeded initialisation on open changes nothing (a rerun would restart the page's first run).
 */
function recordApplied(applied: { current: string }, key: string, got: WeightsInfo | null): boolean {
  const changed = applied.current !== '' || got !== null;
  applied.current = key;
  return changed;
}

export function useWeights(source: RunSource, state: UrlState, set: (p: Partial<UrlState>) => void, onChanged: () => void): WeightsState {
  const [info, setInfo] = useState<WeightsInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<WeightsState['missing']>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const applied = useRef('');
  const [appliedKey, setAppliedKey] = useState('');
  const token = useRef(0);
  const available = !!source.setWeights;

  const apply = useCallback(
    async (model: string, choice: string, bytes?: Uint8Array, name?: string): Promise<WeightsInfo | null> => {
      const t = ++token.current;
      setBusy(true);
      try {
        const got = await source.setWeights!(model, choice, bytes, name);
        if (t !== token.current) return got;
        setInfo(got);
        setError(null);
        setMissing(null);
        const changed = recordApplied(applied, `${model}|${got?.choice ?? 'init'}`, got);
        setAppliedKey(applied.current);
        if (changed) onChanged();
        return got;
      } finally {
        if (t === token.current) setBusy(false);
      }
    },
    [source, onChanged],
  );

  // follow the URL: model switches and links
  useEffect(() => {
    if (!available) return;
    const key = `${state.model}|${state.weights}`;
    if (applied.current === key) return;
    const c = parseWeightsChoice(state.weights);
    const problem = c.kind === 'pretrained' ? pretrainedProblem(c.id, state.model) : null;
    if (problem) {
      setNotice(`Weights: ${problem}; using the random init.`);
      return set({ weights: 'init' });
    }
    void (async () => {
      try {
        if (c.kind === 'file') {
          const stored = await loadStoredWeights(c.sha256, state.model).catch(() => ({ record: null, dropped: undefined }));
          if (stored.dropped) setNotice(stored.dropped);
          if (!stored.record) {
            applied.current = key;
            setMissing({ name: c.name, sha256: c.sha256 });
            return;
          }
          await apply(state.model, state.weights, stored.record.bytes, stored.record.name);
          return;
        }
        await apply(state.model, state.weights);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        // the weights named could not be used here (another model): fall back to the seeded init
        applied.current = '';
        set({ weights: 'init' });
      }
    })();
  }, [available, state.model, state.weights, apply, set]);

  const loadFile = useLoadFile(apply, missing, state.model, set, setNotice, setError);

  const choose = useCallback((choice: string) => set({ weights: choice }), [set]);

  // a restarted worker that could not take the weights again runs from the init: say so, follow it
  const onLost = useCallback(
    (message: string) => {
      token.current++;
      setInfo(null);
      setError(message);
      applied.current = `${state.model}|init`;
      setAppliedKey(applied.current);
      set({ weights: 'init' });
    },
    [set, state.model],
  );
  useEffect(() => source.onWeightsLost?.(onLost), [source, onLost]);

  const inUse = busy ? 'loading weights…' : info ? info.label : `random init (seed ${state.seed})`;
  const blockedReason = weightsBlockedReason(available, state, appliedKey, missing);
  return { inUse, info, busy, error, missing, notice, applied: info?.choice ?? 'init', blockedReason, loadFile, choose };
}

type Apply = (model: string, choice: string, bytes?: Uint8Array, name?: string) => Promise<WeightsInfo | null>;

/** Read a user's file: validated in the worker, kept in IndexedDB, recorded in the URL. */
function useLoadFile(
  apply: Apply,
  missing: WeightsState['missing'],
  model: string,
  set: (p: Partial<UrlState>) => void,
  setNotice: (m: string) => void,
  setError: (m: string) => void,
) {
  return useCallback(
    async (file: File) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // a link's file must be the one it names
      const choice = missing ? `file:${missing.sha256}:${missing.name}` : 'file';
      try {
        const got = await apply(model, choice, bytes, file.name);
        if (got?.sha256) {
          await saveWeights({ sha256: got.sha256, name: file.name, model: model, bytes, savedAt: Date.now() }).catch(() =>
            setNotice('This browser did not let the page keep the file (IndexedDB unavailable): after a reload, load it again.'),
          );
          set({ weights: got.choice });
        }
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [apply, missing, set, model, setNotice, setError],
  );
}

/** Runs wait while the link's weights are not in the worker: a file this browser lacks, or still loading. */
export function weightsBlockedReason(
  available: boolean,
  state: Pick<UrlState, 'model' | 'weights'>,
  appliedKey: string,
  missing: WeightsState['missing'],
): string | null {
  if (!available || state.weights === 'init' || appliedKey === `${state.model}|${state.weights}`) return null;
  if (missing)
    return `This link starts from ${missing.name} (sha256 ${missing.sha256.slice(0, 12)}…), which this browser does not hold: load that file in the Weights panel to run (or choose other weights).`;
  return 'Loading the weights this link names…';
}
