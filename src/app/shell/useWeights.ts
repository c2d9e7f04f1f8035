// Which weights every run starts from: the URL's `weights` ("init", "pretrained:<id>",
// "file:<sha256>:<name>") applied to the worker, imported files kept in IndexedDB, a link whose
// file this browser lacks shown as "load it" (the file must match the hash). A failed load keeps
// the weights used before and says why.
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseWeightsChoice, PRETRAINED } from '../../shared/pretrained';
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
        if (recordApplied(applied, `${model}|${got?.choice ?? 'init'}`, got)) onChanged();
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
    if (c.kind === 'pretrained' && PRETRAINED.find((p) => p.id === c.id)?.model !== state.model) {
      set({ weights: 'init' });
      return;
    }
    void (async () => {
      try {
        if (c.kind === 'file') {
          const stored = await loadStoredWeights(c.sha256).catch(() => ({ record: null, dropped: undefined }));
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

  const loadFile = useCallback(
    async (file: File) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // a link's file must be the one it names
      const choice = missing ? `file:${missing.sha256}:${missing.name}` : 'file';
      try {
        const got = await apply(state.model, choice, bytes, file.name);
        if (got?.sha256) {
          await saveWeights({ sha256: got.sha256, name: file.name, model: state.model, bytes, savedAt: Date.now() }).catch(() =>
            setNotice('This browser did not let the page keep the file (IndexedDB unavailable): after a reload, load it again.'),
          );
          set({ weights: got.choice });
        }
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [apply, missing, set, state.model],
  );

  const choose = useCallback((choice: string) => set({ weights: choice }), [set]);

  const inUse = busy ? 'loading weights…' : info ? info.label : `random init (seed ${state.seed})`;
  return { inUse, info, busy, error, missing, notice, loadFile, choose };
}
