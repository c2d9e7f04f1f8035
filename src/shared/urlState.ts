// The lab's whole configuration in the URL: one typed table of fields (like TensorFlow
// Playground's state.ts). Parsing is pure and total: any string gives a valid state, keeping
// every valid field, clamping numbers into range, falling back to the default for the rest and
// saying so in short notices. Nothing here touches the DOM.
import { RunConfigSchema, type RunConfig } from './config';
import { METHOD_NAMES, type MethodId } from './methods';
import { pageDefaults, type ModelName } from './models';
import { WEIGHTS_PATTERN, parseWeightsChoice, pretrainedProblem } from './pretrained';
import { TrainSettingsSchema, type TrainSettings } from './trainSettings';
import { FIELD_BY_KEY, FIELD_BY_PARAM, URL_FIELDS, type Field, type Key, type NumberField, type NumberListField } from './urlFields';
import {
  DEFAULT_URL_STATE,
  MAX_NOTICES,
  MAX_QUERY_LENGTH,
  MAX_VALUE_LENGTH,
  MODEL_DEFAULT_KEYS,
  URL_VERSION,
  type UrlState,
} from './urlStateShape';

export * from './urlStateShape';
export { URL_FIELDS, type Field } from './urlFields';

export interface ParsedUrlState {
  state: UrlState;
  /** Short, plain-text notices about what was ignored, clamped or replaced (empty when the URL was clean). */
  notices: string[];
}

/** A value as it may be echoed in a notice: short, printable, never markup-bearing on its own. */
export function quote(v: string): string {
  const clean = v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(clean.length > 24 ? `${clean.slice(0, 24)}…` : clean);
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

type FieldResult<T> = { ok: true; value: T; notice?: string } | { ok: false; notice: string };

function parseNumberField(f: NumberField<Key>, raw: string): FieldResult<number> {
  const s = raw.trim();
  if (!NUMBER_RE.test(s)) return { ok: false, notice: `${f.label}: ${quote(raw)} is not a number; using the default.` };
  let v = Number(s);
  if (!Number.isFinite(v)) return { ok: false, notice: `${f.label}: ${quote(raw)} is not a finite number; using the default.` };
  let notice: string | undefined;
  if (f.kind === 'int' && !Number.isInteger(v)) {
    v = Math.round(v);
    notice = `${f.label}: ${quote(raw)} is not a whole number; rounded to ${v}.`;
  }
  if (v < f.min || v > f.max) {
    const c = Math.min(f.max, Math.max(f.min, v));
    return { ok: true, value: c, notice: `${f.label}: ${quote(raw)} is outside ${f.min}–${f.max}; clamped to ${c}.` };
  }
  return { ok: true, value: v === 0 ? 0 : v, notice };
}

function parseNumberListField(f: NumberListField<Key>, raw: string): FieldResult<number[]> {
  const values: number[] = [];
  const notices: string[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const r = parseNumberField({ ...f, kind: 'number' }, part);
    if (r.notice) notices.push(r.notice);
    if (r.ok && !values.includes(r.value)) values.push(r.value);
  }
  if (values.length === 0) return { ok: false, notice: notices[0] ?? `${f.label}: no number in ${quote(raw)}; using the default.` };
  if (values.length > f.maxItems) notices.push(`${f.label}: more than ${f.maxItems} values; kept the first ${f.maxItems}.`);
  // largest first, as the sweep runs them (and the same list always reads back the same)
  const kept = values.slice(0, f.maxItems).sort((a, b) => b - a);
  return { ok: true, value: kept, notice: notices.length ? notices.join(' ') : undefined };
}

function parseField(f: Field, raw: string): FieldResult<UrlState[Key]> {
  switch (f.kind) {
    case 'enum': {
      const s = raw.trim().toLowerCase();
      return f.values.includes(s)
        ? { ok: true, value: s as UrlState[Key] }
        : { ok: false, notice: `${f.label}: unknown value ${quote(raw)}; using the default.` };
    }
    case 'enumList': {
      const parts = raw
        .split(',')
        .map((p) => p.trim().toLowerCase())
        .filter((p) => p.length > 0);
      const known: MethodId[] = [];
      const unknown: string[] = [];
      for (const p of parts) {
        if ((f.values as readonly string[]).includes(p)) {
          if (!known.includes(p as MethodId)) known.push(p as MethodId);
        } else unknown.push(p);
      }
      const ordered = METHOD_NAMES.filter((m) => known.includes(m));
      if (ordered.length === 0) return { ok: false, notice: `${f.label}: no known method in ${quote(raw)}; using the default.` };
      const notice = unknown.length
        ? `${f.label}: ignored unknown ${unknown.length === 1 ? 'method' : 'methods'} ${unknown.slice(0, 3).map(quote).join(', ')}${unknown.length > 3 ? '…' : ''}.`
        : undefined;
      return { ok: true, value: ordered, notice };
    }
    case 'int':
    case 'number':
      return parseNumberField(f, raw);
    case 'numberList':
      return parseNumberListField(f, raw);
    case 'pattern': {
      const s = raw.trim();
      return f.pattern.test(s)
        ? { ok: true, value: s as UrlState[Key] }
        : { ok: false, notice: `${f.label}: ${quote(raw)} is not ${f.hint}; using the default.` };
    }
    case 'bool': {
      const s = raw.trim().toLowerCase();
      if (s === '1' || s === 'true' || s === 'yes' || s === 'on') return { ok: true, value: true };
      if (s === '0' || s === 'false' || s === 'no' || s === 'off') return { ok: true, value: false };
      return { ok: false, notice: `${f.label}: ${quote(raw)} is not on/off; using the default.` };
    }
  }
}

function cloneDefaults(): UrlState {
  return {
    ...DEFAULT_URL_STATE,
    methods: [...DEFAULT_URL_STATE.methods],
    sweepDensities: [...DEFAULT_URL_STATE.sweepDensities],
    sweepMethods: [...DEFAULT_URL_STATE.sweepMethods],
  };
}

function capNotices(notices: string[]): string[] {
  const unique = [...new Set(notices)];
  if (unique.length <= MAX_NOTICES) return unique;
  return [...unique.slice(0, MAX_NOTICES - 1), `…and ${unique.length - MAX_NOTICES + 1} more problems in the link.`];
}

/**
 * Read a query string ("?model=…&…" or "model=…", or a whole URL) into a valid state. Never throws.
 */
export function parseUrlState(input: string): ParsedUrlState {
  const notices: string[] = [];
  try {
    let query = typeof input === 'string' ? input : '';
    const q = query.indexOf('?');
    if (q >= 0) query = query.slice(q + 1);
    else if (/^([a-z][a-z0-9+.-]*:\/\/|\/)/i.test(query)) query = ''; // a whole URL with no query
    const hash = query.indexOf('#');
    if (hash >= 0) query = query.slice(0, hash);
    if (query.length > MAX_QUERY_LENGTH) {
      notices.push(`The link is too long (${query.length} characters); only its first ${MAX_QUERY_LENGTH} were read.`);
      query = query.slice(0, MAX_QUERY_LENGTH);
    }
    const state = cloneDefaults();
    const seen = new Set<string>();
    const params = new URLSearchParams(query);
    for (const [rawName, raw] of params) {
      const name = rawName.trim().toLowerCase();
      if (name === '') continue;
      if (name === 'v') {
        if (raw.trim() !== String(URL_VERSION))
          notices.push(`Link version ${quote(raw)} is not ${URL_VERSION}; read as version ${URL_VERSION}.`);
        continue;
      }
      const f = FIELD_BY_PARAM.get(name);
      if (!f) {
        notices.push(`Ignored unknown field ${quote(rawName)}.`);
        continue;
      }
      if (seen.has(f.param)) {
        notices.push(`${f.label} is given more than once; the first value is used.`);
        continue;
      }
      seen.add(f.param);
      if (raw.length > MAX_VALUE_LENGTH) {
        notices.push(`${f.label}: value too long (${raw.length} characters); using the default.`);
        continue;
      }
      const r = parseField(f, raw);
      if (r.notice) notices.push(r.notice);
      if (r.ok) (state as unknown as Record<string, unknown>)[f.key] = r.value;
    }
    // a field the link leaves out takes the default of the link's model
    const modelDefaults = pageDefaults(state.model);
    for (const k of MODEL_DEFAULT_KEYS) if (!seen.has(FIELD_BY_KEY.get(k)!.param)) state[k] = modelDefaults[k];
    // a checkpoint that does not exist, or another model's, is a bad value like any other
    const weights = parseWeightsChoice(state.weights);
    const problem = weights.kind === 'pretrained' ? pretrainedProblem(weights.id, state.model) : null;
    if (problem) {
      notices.push(`Weights: ${problem}; using init.`);
      state.weights = 'init';
    }
    const checked = RunConfigSchema.safeParse(configOf(state));
    const training = TrainSettingsSchema.safeParse(trainSettingsOf(state));
    if (!checked.success || !training.success || typeof state.snap !== 'boolean' || !WEIGHTS_PATTERN.test(state.weights)) {
      // unreachable if the table matches the schema; kept so that a drift can never crash the page
      return { state: cloneDefaults(), notices: capNotices([...notices, 'The link could not be read; using the default configuration.']) };
    }
    return {
      state: {
        ...checked.data,
        ...training.data,
        snap: state.snap,
        weights: state.weights,
        layerMetric: state.layerMetric,
        tab: state.tab,
        pin: state.pin,
        metricsView: state.metricsView,
        scanSeeds: state.scanSeeds,
        compare: state.compare,
      },
      notices: capNotices(notices),
    };
  } catch {
    return { state: cloneDefaults(), notices: capNotices([...notices, 'The link could not be read; using the default configuration.']) };
  }
}

function formatValue(f: Field, v: UrlState[Key]): string {
  switch (f.kind) {
    case 'enumList':
      return (v as MethodId[]).join(',');
    case 'numberList':
      return (v as number[]).join(',');
    case 'bool':
      return v ? '1' : '0';
    default:
      return String(v);
  }
}

/** The query string (without "?") for a state: every field, in table order, so a link means the same forever. */
export function serializeUrlState(state: UrlState): string {
  const parts = [`v=${URL_VERSION}`];
  for (const f of URL_FIELDS) {
    if (f.omitAtDefault && formatValue(f, state[f.key]) === formatValue(f, DEFAULT_URL_STATE[f.key])) continue;
    parts.push(`${f.param}=${encodeURIComponent(formatValue(f, state[f.key])).replace(/%2C/g, ',')}`);
  }
  return parts.join('&');
}

/** The fields of a URL state that a settings schema names, in the schema's order (one list of keys: the schema's). */
function fieldsOf(state: UrlState, schema: { shape: object }): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((k) => [k, state[k as Key]]));
}

/** The run configuration in a URL state (drops the page-only and training fields). */
export function configOf(state: UrlState): RunConfig {
  return fieldsOf(state, RunConfigSchema) as RunConfig;
}

/** The Train/Sweep settings in a URL state. */
export function trainSettingsOf(state: UrlState): TrainSettings {
  return fieldsOf(state, TrainSettingsSchema) as TrainSettings;
}

/**
 * The state after picking another model: the model-dependent fields still at the old model's
 * defaults take the new model's; values the user chose are kept.
 */
export function withModel<S extends Pick<UrlState, 'model' | (typeof MODEL_DEFAULT_KEYS)[number]>>(state: S, model: ModelName): S {
  if (model === state.model) return state;
  const before = pageDefaults(state.model);
  const after = pageDefaults(model);
  const next = { ...state, model };
  for (const k of MODEL_DEFAULT_KEYS) if (state[k] === before[k]) next[k] = after[k];
  return next;
}

/** Equality of two states field by field (methods as ordered lists). */
export function sameUrlState(a: UrlState, b: UrlState): boolean {
  return URL_FIELDS.every((f) => formatValue(f, a[f.key]) === formatValue(f, b[f.key]));
}
