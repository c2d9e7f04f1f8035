// The preset buttons, each with its one-line explanation beside it (touch screens have no hover)
// and the time its run took here, as measured.
import { useEffect, useState } from 'react';
import type { UrlState } from '../../shared/urlState';
import { measuredPresetTime, presetTimeLine, readPresetTimes, writePresetTime, type PresetTimes } from './presetTimes';
import { DEMO_PRESET, paperPreset, presetActive } from './presets';
import type { RunView } from '../common/runView';

export function Presets({
  state,
  set,
  cifarLoaded,
  view,
}: {
  state: UrlState;
  set: (p: Partial<UrlState>) => void;
  cifarLoaded: boolean;
  view: RunView | null;
}) {
  const presets = [DEMO_PRESET, paperPreset(cifarLoaded)];
  const [times, setTimes] = useState<PresetTimes>(() => readPresetTimes());
  useEffect(() => {
    for (const p of [DEMO_PRESET, paperPreset(cifarLoaded)]) {
      const t = measuredPresetTime(view, p);
      if (t && times[p.id]?.at !== t.at) setTimes(writePresetTime(p.id, t));
    }
  }, [view, cifarLoaded, times]);
  return (
    <section className="presets" aria-label="Presets">
      {presets.map((p) => (
        <div key={p.id} className="preset" data-preset={p.id}>
          <button type="button" className="small" aria-pressed={presetActive(state, p)} onClick={() => set(p.patch)}>
            {p.label}
          </button>
          <small className="hint">
            {p.explain} <span data-testid={`preset-time-${p.id}`}>{presetTimeLine(times[p.id])}</span>
          </small>
        </div>
      ))}
    </section>
  );
}
