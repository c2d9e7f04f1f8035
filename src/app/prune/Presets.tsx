// The preset buttons, each with its one-line explanation beside it (touch screens have no hover).
import type { UrlState } from '../../shared/urlState';
import { DEMO_PRESET, paperPreset, presetActive } from './presets';

export function Presets({ state, set, cifarLoaded }: { state: UrlState; set: (p: Partial<UrlState>) => void; cifarLoaded: boolean }) {
  return (
    <section className="presets" aria-label="Presets">
      {[DEMO_PRESET, paperPreset(cifarLoaded)].map((p) => (
        <div key={p.id} className="preset">
          <button type="button" className="small" aria-pressed={presetActive(state, p)} onClick={() => set(p.patch)}>
            {p.label}
          </button>
          <small className="hint">{p.explain}</small>
        </div>
      ))}
    </section>
  );
}
