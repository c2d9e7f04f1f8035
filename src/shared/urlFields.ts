// The table of the URL's fields: every field of UrlState, its query parameter, its kind and range
// (number ranges from the field table, fields.ts). urlState.ts parses and writes links with it.
import { SCOPES } from './config';
import { DATASET_NAMES } from './datasets';
import { METHOD_NAMES } from './methods';
import { FIELD_FACTS as F, rangeOf, type NumberFact } from './fields';
import { MAX_SCAN_SEEDS } from './densityScan';
import { MODEL_NAMES } from './models';
import { WEIGHTS_PATTERN } from './pretrained';
import { ABLATIONS, LR_SCHEDULES } from './train';
import { MAX_SWEEP_DENSITIES, TRAIN_BUDGETS } from './trainSettings';
import { LAYER_METRICS, METRICS_VIEWS, PAGE_TABS, type UrlState } from './urlStateShape';

export type Key = keyof UrlState;

export interface FieldBase<K extends Key> {
  key: K;
  /** Left out of a link at its default value (a field added after links were shared). */
  omitAtDefault?: boolean;
  /** Name in the query string. */
  param: string;
  /** Human name used in notices. */
  label: string;
}
export interface EnumField<K extends Key> extends FieldBase<K> {
  kind: 'enum';
  values: readonly string[];
}
export interface EnumListField<K extends Key> extends FieldBase<K> {
  kind: 'enumList';
  values: readonly string[];
}
export interface NumberField<K extends Key> extends FieldBase<K> {
  kind: 'int' | 'number';
  min: number;
  max: number;
}
/** Comma-separated numbers in [min, max], at most maxItems, deduplicated (sweep densities). */
export interface NumberListField<K extends Key> extends FieldBase<K> {
  kind: 'numberList';
  min: number;
  max: number;
  maxItems: number;
}
export interface BoolField<K extends Key> extends FieldBase<K> {
  kind: 'bool';
}
/** A string of a given form (the weights' source). */
export interface PatternField<K extends Key> extends FieldBase<K> {
  kind: 'pattern';
  pattern: RegExp;
  hint: string;
}
export type Field = {
  [K in Key]: EnumField<K> | EnumListField<K> | NumberField<K> | NumberListField<K> | BoolField<K> | PatternField<K>;
}[Key];

/** A number field of the link: its label and range are the field table's (fields.ts), as the page offers them. */
function numberField<K extends Key>(key: K, param: string, fact: NumberFact): NumberField<K> {
  return { key, param, label: fact.label, kind: fact.integer ? 'int' : 'number', ...rangeOf(fact, 'page') };
}

/** The table: every field of UrlState, its query parameter, its type and its range. */
export const URL_FIELDS: readonly Field[] = [
  { key: 'model', param: 'model', label: 'Model', kind: 'enum', values: MODEL_NAMES },
  { key: 'dataset', param: 'data', label: 'Dataset', kind: 'enum', values: DATASET_NAMES },
  { key: 'methods', param: 'methods', label: 'Methods', kind: 'enumList', values: METHOD_NAMES },
  numberField('density', 'density', F.density),
  numberField('rounds', 'rounds', F.rounds),
  numberField('oneShotRounds', 'oneshot', F.oneShotRounds),
  { key: 'scope', param: 'scope', label: 'Scope', kind: 'enum', values: SCOPES },
  numberField('seed', 'seed', F.seed),
  numberField('examplesPerClass', 'epc', F.examplesPerClass),
  numberField('batchSize', 'batch', F.pruneBatch),
  numberField('ntkSamples', 'ntk', F.ntkSamples),
  { key: 'snap', param: 'snap', label: 'Snap to grid', kind: 'bool' },
  // Train and Sweep sections (src/shared/trainSettings.ts)
  { key: 'trainOnOpen', param: 'train', label: 'Train on open', kind: 'bool' },
  { key: 'budget', param: 'tbudget', label: 'Training budget', kind: 'enum', values: TRAIN_BUDGETS },
  numberField('epochs', 'epochs', F.epochs),
  numberField('steps', 'steps', F.steps),
  numberField('lr', 'lr', F.lr),
  { key: 'schedule', param: 'sched', label: 'LR schedule', kind: 'enum', values: LR_SCHEDULES },
  numberField('trainBatch', 'tbatch', F.trainBatch),
  numberField('weightDecay', 'wd', F.weightDecay),
  { key: 'augment', param: 'aug', label: 'Augmentation', kind: 'bool' },
  { key: 'ablation', param: 'ablation', label: 'Ablation', kind: 'enum', values: ABLATIONS },
  { key: 'dense', param: 'dense', label: 'Dense baseline', kind: 'bool' },
  { key: 'sweepOnOpen', param: 'sweep', label: 'Sweep on open', kind: 'bool' },
  {
    key: 'sweepDensities',
    param: 'sdens',
    label: 'Sweep densities',
    kind: 'numberList',
    ...rangeOf(F.density, 'page'),
    maxItems: MAX_SWEEP_DENSITIES,
  },
  { key: 'sweepMethods', param: 'smethods', label: 'Sweep methods', kind: 'enumList', values: METHOD_NAMES },
  numberField('sweepSeeds', 'sseeds', F.sweepSeeds),
  // written only when not 0 (links made before it read and write the same)
  { ...numberField('impRewind', 'rewind', F.impRewind), omitAtDefault: true },
  // the weights every run starts from (src/shared/pretrained.ts); last, so older links read the same
  {
    key: 'weights',
    param: 'weights',
    label: 'Weights',
    kind: 'pattern',
    pattern: WEIGHTS_PATTERN,
    hint: 'init, pretrained:<id> or file:<sha256>:<name>',
  },
  // the view: what a shared link opens on
  { key: 'layerMetric', param: 'lm', label: 'Per-layer chart', kind: 'enum', values: LAYER_METRICS },
  { key: 'tab', param: 'tab', label: 'Section', kind: 'enum', values: PAGE_TABS },
  { key: 'pin', param: 'pin', label: 'Pinned run', kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER },
  // the Metrics section: its view, the density scan's seeds, the compared run
  { key: 'metricsView', param: 'mview', label: 'Metrics view', kind: 'enum', values: METRICS_VIEWS },
  { key: 'scanSeeds', param: 'mseeds', label: 'Density scan seeds', kind: 'int', min: 1, max: MAX_SCAN_SEEDS },
  { key: 'compare', param: 'cmp', label: 'Compared run', kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER },
];

export const FIELD_BY_PARAM = new Map<string, Field>(URL_FIELDS.map((f) => [f.param, f]));
export const FIELD_BY_KEY = new Map<Key, Field>(URL_FIELDS.map((f) => [f.key, f]));
