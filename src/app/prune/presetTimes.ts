// How long each preset's run took on this machine, as measured (kept in localStorage): the
// presets promise no time, they show the last measurement here, or say there is none yet.
import { duration } from '../common/format';
import type { Preset } from './presets';
import type { RunView } from '../common/runView';

export interface PresetTime {
  ms: number;
  /** The backend label it ran on ("wasm · SIMD · 2 threads"). */
  backend: string;
  /** Date.now() of the measurement. */
  at: number;
}

export type PresetTimes = Partial<Record<Preset['id'], PresetTime>>;

const KEY = 'px-lab-preset-times';

export function readPresetTimes(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): PresetTimes {
  try {
    const parsed = JSON.parse(storage?.getItem(KEY) ?? '{}') as PresetTimes;
    const out: PresetTimes = {};
    for (const [id, t] of Object.entries(parsed))
      if (t && Number.isFinite(t.ms) && t.ms > 0 && typeof t.backend === 'string') out[id as Preset['id']] = t;
    return out;
  } catch {
    return {};
  }
}

export function writePresetTime(
  id: Preset['id'],
  t: PresetTime,
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage,
): PresetTimes {
  const next = { ...readPresetTimes(storage), [id]: t };
  try {
    storage?.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: the time is still shown for this visit
  }
  return next;
}

/**
 * The time a finished run measured for a preset, or null: the run must have the preset's every
 * run setting and have computed something (a run whose every method came from the result cache
 * is a replay, not the preset's time).
 */
export function measuredPresetTime(view: RunView | null, p: Preset): PresetTime | null {
  if (!view || view.status !== 'done' || view.endedAt === undefined) return null;
  if (view.methods.every((m) => m.summary?.cached)) return null;
  const config = view.config as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(p.patch)) if (k in config && JSON.stringify(config[k]) !== JSON.stringify(v)) return null;
  return { ms: view.endedAt - view.startedAt, backend: view.backend?.label ?? 'unknown backend', at: view.endedAt };
}

/** The preset's time line: "Took 1 min 12 s here (wasm · SIMD · 2 threads)." or that it is not measured yet. */
export function presetTimeLine(t: PresetTime | undefined): string {
  return t ? `Took ${duration(t.ms)} here (${t.backend}).` : 'Time here: not measured yet.';
}
