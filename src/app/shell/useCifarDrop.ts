// Dropped CIFAR-10 files, read into the worker: the load's progress and outcome. Only the newest
// drop may change what the page shows; a failed or running load keeps the set loaded before.
import { useRef, useState } from 'react';
import type { DatasetLoadState, RunSource } from '../common/runView';

export function useCifarDrop(
  source: RunSource,
  onLoaded: () => void,
): { cifar: DatasetLoadState; onCifarFiles: ((files: File[]) => Promise<void>) | null } {
  const [cifar, setCifar] = useState<DatasetLoadState>({ status: 'none' });
  // one token per drop: only the newest drop may change what the page shows
  const loadToken = useRef(0);
  const onCifarFiles = source.loadCifar10
    ? async (files: File[]) => {
        const token = ++loadToken.current;
        // `label` is always the set the worker holds, whatever this drop does
        setCifar((c) => ({ status: 'loading', progress: 0, label: c.label }));
        try {
          // progress travels on its own port and may arrive after the result: it never reopens a finished load
          let settled = false;
          const label = await source.loadCifar10!(files, (p) => {
            if (token === loadToken.current && !settled) setCifar((c) => (c.status === 'loading' ? { ...c, progress: p } : c));
          }).finally(() => (settled = true));
          if (token !== loadToken.current) return;
          setCifar({ status: 'ready', label });
          onLoaded();
        } catch (e) {
          if (token !== loadToken.current) return;
          const held = source.cifarHeld ? await source.cifarHeld().catch(() => null) : null;
          if (token !== loadToken.current) return;
          setCifar((c) => ({
            status: 'error',
            error: e instanceof Error ? e.message : String(e),
            label: source.cifarHeld ? (held ?? undefined) : c.label,
          }));
        }
      }
    : null;
  return { cifar, onCifarFiles };
}
