// The training recipe, shared by the Train section and the Sweep panel: budget (epochs or
// steps), learning rate and schedule, batch size, weight decay, augmentation, ablation, dense
// baseline. Native inputs with visible labels; numbers commit when valid and clamp on blur.
import { useId } from 'react';
import { ABLATIONS, LR_SCHEDULES, type Ablation, type LrSchedule } from '../../shared/train';
import type { TrainSettings } from '../../shared/trainSettings';
import { useNumberText } from './useNumberText';

interface NumProps {
  label: string;
  name: string;
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  onCommit: (v: number) => void;
  width?: number;
  title?: string;
}

/** A number input: valid values commit as typed, out-of-range ones clamp on blur or Enter. */
export function NumInput({ label, name, value, min, max, integer, onCommit, width = 70, title }: NumProps) {
  const id = useId();
  const text = useNumberText({ value, min, max, integer, onCommit });
  return (
    <span className="inline-field" title={title}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="number" inputMode={integer ? 'numeric' : 'decimal'} min={min} max={max} step={integer ? 1 : 'any'} {...text} style={{ width }} />
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

const ABLATION_LABEL: Record<Ablation, string> = { none: 'none', 'reshuffle-masks': 'reshuffle masks', reinit: 'reinitialise weights', 'invert-scores': 'invert scores (keep the lowest)' };
const SCHEDULE_LABEL: Record<LrSchedule, string> = { multistep: 'multi-step (×0.1 at 50%, 75%)', cosine: 'cosine', constant: 'constant' };

interface Props {
  s: TrainSettings;
  set: (patch: Partial<TrainSettings>) => void;
  dataset: string;
  disabled?: boolean;
}

export function TrainSettingsBar({ s, set, dataset, disabled }: Props) {
  return (
    <fieldset className="train-settings" disabled={disabled} aria-label="Training recipe">
      <span className="inline-field">
        <span className="label">Budget</span>
        <span className="segmented" role="radiogroup" aria-label="Training budget">
          {(['epochs', 'steps'] as const).map((b) => (
            <label key={b} className={s.budget === b ? 'on' : undefined}>
              <input type="radio" name="train-budget" value={b} checked={s.budget === b} onChange={() => set({ budget: b })} />
              {b}
            </label>
          ))}
        </span>
      </span>
      {s.budget === 'epochs' ? (
        <NumInput label="Epochs" name="epochs" value={s.epochs} min={1} max={1000} integer onCommit={(v) => set({ epochs: v })} width={56} />
      ) : (
        <NumInput label="Steps" name="steps" value={s.steps} min={1} max={1_000_000} integer onCommit={(v) => set({ steps: v })} width={76} />
      )}
      <NumInput label="LR" name="lr" value={s.lr} min={1e-6} max={10} onCommit={(v) => set({ lr: v })} width={64} title="Initial learning rate of SGD (momentum 0.9, as the official code)" />
      <InlineSelect label="Schedule" name="schedule" value={s.schedule} options={LR_SCHEDULES} labels={SCHEDULE_LABEL} onChange={(schedule) => set({ schedule })} />
      <NumInput label="Batch" name="train-batch" value={s.trainBatch} min={1} max={4096} integer onCommit={(v) => set({ trainBatch: v })} width={64} title="Training batch size" />
      <NumInput
        label="WD"
        name="weight-decay"
        value={s.weightDecay}
        min={0}
        max={0.1}
        onCommit={(v) => set({ weightDecay: v })}
        width={84}
        title="Weight decay on every trainable parameter (official 1e-4)"
      />
      <label
        className="check"
        title={
          dataset === 'cifar10' ? 'The official CIFAR-10 augmentation: 4-pixel padded random crop + horizontal flip' : 'The official code augments CIFAR-10 only; MNIST/Fashion-MNIST train without it'
        }
      >
        <input type="checkbox" name="augment" checked={s.augment} onChange={(e) => set({ augment: e.target.checked })} />
        Augment
      </label>
      <InlineSelect label="Ablation" name="ablation" value={s.ablation} options={ABLATIONS} labels={ABLATION_LABEL} onChange={(ablation) => set({ ablation })} />
      <label className="check" title="Train the unpruned network too, from the same initial weights (dashed)">
        <input type="checkbox" name="dense" checked={s.dense} onChange={(e) => set({ dense: e.target.checked })} />
        Dense baseline
      </label>
    </fieldset>
  );
}
