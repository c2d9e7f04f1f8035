// The training recipe, shared by the Train section and the Sweep panel: budget (epochs or
// steps), learning rate and schedule, batch size, weight decay, augmentation, ablation, dense
// baseline, and IMP's rewind step when the tab runs imp. Native inputs with visible labels;
// numbers commit when valid and clamp on blur.
import { useId } from 'react';
import { augmentationOf } from '../../shared/datasets';
import { FIELD_FACTS as F, formLabel, rangeOf, type NumberFact } from '../../shared/fields';
import { ABLATIONS, LR_SCHEDULES, type Ablation, type LrSchedule } from '../../shared/train';
import type { MethodId } from '../../shared/methods';
import { TRAIN_BUDGETS, type TrainSettings } from '../../shared/trainSettings';
import { useNumberText } from '../common/useNumberText';

interface NumProps {
  /** The field: its label, range and kind come from the field table. */
  field: NumberFact;
  name: string;
  value: number;
  onCommit: (v: number) => void;
  width?: number;
  title?: string;
}

/** A number input: valid values commit as typed, out-of-range ones clamp on blur or Enter. */
export function NumInput({ field, name, value, onCommit, width = 70, title }: NumProps) {
  const id = useId();
  const { min, max } = rangeOf(field, 'page');
  const integer = field.integer;
  const text = useNumberText({ value, min, max, integer, onCommit });
  return (
    <span className="inline-field" title={title}>
      <label htmlFor={id}>{formLabel(field)}</label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={integer ? 1 : 'any'}
        {...text}
        style={{ width }}
      />
    </span>
  );
}

interface SelectProps<T extends string> {
  label: string;
  name: string;
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
  onChange: (v: T) => void;
}

/** A labelled select, each option shown by its label. */
function InlineSelect<T extends string>({ label, name, value, options, labels, onChange }: SelectProps<T>) {
  const id = useId();
  return (
    <span className="inline-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((x) => (
          <option key={x} value={x}>
            {labels[x]}
          </option>
        ))}
      </select>
    </span>
  );
}

const ABLATION_LABEL: Record<Ablation, string> = {
  none: 'none',
  'reshuffle-masks': 'reshuffle masks',
  reinit: 'reinitialise weights',
  'invert-scores': 'invert scores (keep the lowest)',
};
/** What the Augment box does on a dataset, from the dataset table. */
function augmentationWords(dataset: string): string {
  const a = augmentationOf(dataset);
  return `a ${a.pad}-pixel padded random crop${a.flip ? ' + horizontal flip' : ' (no flip)'}`;
}

const SCHEDULE_LABEL: Record<LrSchedule, string> = { multistep: 'multi-step (×0.1 at 50%, 75%)', cosine: 'cosine', constant: 'constant' };

/** The recipe's number inputs: each a setting, its field, input name, width and tooltip. */
type NumberSetting = 'epochs' | 'steps' | 'lr' | 'trainBatch' | 'weightDecay' | 'impRewind';
const NUMBER_INPUTS: Record<NumberSetting, Omit<NumProps, 'value' | 'onCommit'>> = {
  epochs: { field: F.epochs, name: 'epochs', width: 56 },
  steps: { field: F.steps, name: 'steps', width: 76 },
  lr: { field: F.lr, name: 'lr', width: 64, title: 'Initial learning rate of SGD (momentum 0.9, as the official code)' },
  trainBatch: { field: F.trainBatch, name: 'train-batch', width: 64, title: 'Training batch size' },
  weightDecay: {
    field: F.weightDecay,
    name: 'weight-decay',
    width: 84,
    title: 'Weight decay on every trainable parameter (official 1e-4)',
  },
  impRewind: {
    field: F.impRewind,
    name: 'imp-rewind',
    width: 48,
    title: "IMP rewinds each round's survivors to step j of its 8 training steps (0: the initial weights); the ticket trains from there",
  },
};

interface Props {
  s: TrainSettings;
  set: (patch: Partial<TrainSettings>) => void;
  dataset: string;
  /** The methods the tab trains: IMP's rewind step is shown when imp is among them. */
  methods: readonly MethodId[];
  disabled?: boolean;
}

export function TrainSettingsBar({ s, set, dataset, methods, disabled }: Props) {
  const num = (k: NumberSetting) => <NumInput {...NUMBER_INPUTS[k]} value={s[k]} onCommit={(v) => set({ [k]: v })} />;
  const check = (k: 'augment' | 'dense', label: string, title: string) => (
    <label className="check" title={title}>
      <input type="checkbox" name={k} checked={s[k]} onChange={(e) => set({ [k]: e.target.checked })} />
      {label}
    </label>
  );
  const choose = <K extends 'schedule' | 'ablation'>(
    k: K,
    label: string,
    options: readonly TrainSettings[K][],
    labels: Record<TrainSettings[K], string>,
  ) => <InlineSelect label={label} name={k} value={s[k]} options={options} labels={labels} onChange={(v) => set({ [k]: v })} />;
  return (
    <fieldset className="train-settings" disabled={disabled} aria-label="Training recipe">
      <span className="inline-field">
        <span className="label">Budget</span>
        <span className="segmented" role="radiogroup" aria-label="Training budget">
          {TRAIN_BUDGETS.map((b) => (
            <label key={b} className={s.budget === b ? 'on' : undefined}>
              <input type="radio" name="train-budget" value={b} checked={s.budget === b} onChange={() => set({ budget: b })} />
              {b}
            </label>
          ))}
        </span>
      </span>
      {num(s.budget)}
      {num('lr')}
      {choose('schedule', 'Schedule', LR_SCHEDULES, SCHEDULE_LABEL)}
      {num('trainBatch')}
      {num('weightDecay')}
      {check(
        'augment',
        'Augment',
        dataset === 'cifar10'
          ? 'The official CIFAR-10 augmentation: 4-pixel padded random crop + horizontal flip'
          : `The official code augments CIFAR-10 only; on, this dataset gets ${augmentationWords(dataset)}`,
      )}
      {choose('ablation', 'Ablation', ABLATIONS, ABLATION_LABEL)}
      {methods.includes('imp') ? num('impRewind') : null}
      {check('dense', 'Dense baseline', 'Train the unpruned network too, from the same initial weights (dashed)')}
    </fieldset>
  );
}
