// The configuration panel: every control has a visible label, an accessible name and works with
// the keyboard (native inputs throughout).
import { memo, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { METHOD_NAMES, type MethodId } from '../../shared/methods';
import { type DatasetName } from '../../shared/datasets';
import { type ModelName } from '../../shared/models';
import { DATASET_OPTIONS } from '../../shared/datasets';
import { MODEL_OPTIONS } from '../../shared/models';
import { METHOD_INFO, METHOD_ORDER } from '../../shared/methods';
import type { BackendInfo } from '../../shared/protocol';
import { FIELD_FACTS as F, formLabel, rangeOf, type NumberFact } from '../../shared/fields';
import type { UrlState } from '../../shared/urlState';
import { isolationLine, pageIsolation, type Isolation } from '../shell/isolation';
import type { DatasetLoadState } from '../common/runView';
import { useNumberText } from '../common/useNumberText';

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onCommit: (v: number) => void;
  hint?: string;
  name: string;
}

/** An integer input that commits valid values as typed and clamps on blur/Enter. */
function NumberField({ label, value, min, max, onCommit, hint, name }: NumberFieldProps) {
  const id = useId();
  const text = useNumberText({ value, min, max, integer: true, onCommit });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        {...text}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

type IntKey = 'rounds' | 'oneShotRounds' | 'seed' | 'examplesPerClass' | 'batchSize' | 'ntkSamples';

/** The form's hints for the integer settings; their labels and ranges are the field table's. */
const INT_FIELDS: Record<IntKey, { fact: NumberFact; hint: string }> = {
  rounds: { fact: F.rounds, hint: "PX, SynFlow, NTK-SAP (page default 20; the paper's 100: Paper settings)" },
  oneShotRounds: { fact: F.oneShotRounds, hint: 'SNIP, GraSP, Mag, Rand (default 1)' },
  seed: { fact: F.seed, hint: 'Weights, data, random' },
  examplesPerClass: { fact: F.examplesPerClass, hint: 'Class-balanced subset of PX lab / official 2025 (default 10)' },
  batchSize: { fact: F.pruneBatch, hint: 'SNIP/GraSP/NTK-SAP batch; PX as published reads 2' },
  ntkSamples: { fact: F.ntkSamples, hint: 'Kernel is (n·classes)²' },
};

/** An integer setting's field, committing into the URL state. */
function intField(key: IntKey, state: UrlState, set: Props['set']) {
  const { fact, hint } = INT_FIELDS[key];
  const { min, max } = rangeOf(fact, 'page');
  return (
    <NumberField
      name={key}
      label={formLabel(fact)}
      value={state[key]}
      min={min}
      max={max}
      onCommit={(v) => set({ [key]: v })}
      hint={hint}
    />
  );
}

interface Props {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  backend: BackendInfo | null;
  backendError: string | null;
  cifar: DatasetLoadState;
  onCifarFiles: ((files: File[]) => void) | null;
}

/** The methods to compare (at least one stays checked). */
function MethodsField({ methods, set }: { methods: MethodId[]; set: Props['set'] }) {
  const toggle = (m: MethodId, on: boolean) => {
    const next = METHOD_NAMES.filter((x) => (x === m ? on : methods.includes(x)));
    if (next.length) set({ methods: next });
  };
  return (
    <fieldset className="field methods">
      <legend>Methods</legend>
      {METHOD_ORDER.map((m) => {
        const info = METHOD_INFO[m];
        const checked = methods.includes(m);
        const only = checked && methods.length === 1;
        return (
          <div key={m} className="method-choice" data-method={m}>
            <label className="check" title={info.description}>
              <input
                type="checkbox"
                name="methods"
                value={m}
                checked={checked}
                disabled={only}
                onChange={(e) => toggle(m, e.target.checked)}
                aria-describedby={`prov-${m} desc-${m}`}
              />
              <span className="swatch" style={{ background: info.color }} aria-hidden="true" />
              <span>{info.label}</span>
            </label>
            {m.startsWith('px') ? (
              <small id={`prov-${m}`} className="hint provenance">
                {info.provenance}
              </small>
            ) : (
              <span id={`prov-${m}`} className="visually-hidden">
                {info.provenance}
              </span>
            )}
          </div>
        );
      })}
      {METHOD_NAMES.map((m) => (
        <span key={m} id={`desc-${m}`} className="visually-hidden">
          {METHOD_INFO[m].description}
        </span>
      ))}
    </fieldset>
  );
}

interface HintedSelectProps<T extends string> {
  label: string;
  name: string;
  value: T;
  options: readonly { id: T; label: string }[];
  onChange: (v: T) => void;
  /** Read with the select (aria-describedby): what the chosen value means or costs. */
  hint: string;
}

/** A labelled select with a hint under it. */
function HintedSelect<T extends string>({ label, name, value, options, onChange, hint }: HintedSelectProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as T)} aria-describedby={`${id}-hint`}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      <small id={`${id}-hint`} className="hint">
        {hint}
      </small>
    </div>
  );
}

/** The model picker with the chosen model's cost as its hint. */
function ModelField({ state, set }: Pick<Props, 'state' | 'set'>) {
  const model = MODEL_OPTIONS.find((m) => m.id === state.model)!;
  return (
    <HintedSelect
      label="Model"
      name="model"
      value={state.model}
      options={MODEL_OPTIONS}
      onChange={(m: ModelName) => set({ model: m })}
      hint={model.cost}
    />
  );
}

/** The dataset picker; CIFAR-10 adds the file drop, synthetic a hint. */
function DatasetField({ state, set, cifar, onCifarFiles }: Pick<Props, 'state' | 'set' | 'cifar' | 'onCifarFiles'>) {
  const dataId = useId();
  const fileId = useId();
  return (
    <div className="field">
      <label htmlFor={dataId}>Dataset</label>
      <select id={dataId} name="dataset" value={state.dataset} onChange={(e) => set({ dataset: e.target.value as DatasetName })}>
        {DATASET_OPTIONS.map((d) => (
          <option key={d.id} value={d.id}>
            {d.label}
          </option>
        ))}
      </select>
      {state.dataset === 'cifar10' ? <CifarDrop id={fileId} cifar={cifar} onFiles={onCifarFiles} /> : null}
      {state.dataset === 'synthetic' ? (
        <small className="hint">Seeded random images shaped for the model (e.g. 3×32×32 for ResNet-20).</small>
      ) : null}
    </div>
  );
}

const SCOPE_OPTIONS = [
  { id: 'global', label: 'Global' },
  { id: 'local', label: 'Per layer' },
] as const;

/** Global or per-layer threshold, with what the choice means as its hint. */
function ScopeField({ state, set }: Pick<Props, 'state' | 'set'>) {
  return (
    <HintedSelect
      label="Scope"
      name="scope"
      value={state.scope}
      options={SCOPE_OPTIONS}
      onChange={(scope) => set({ scope })}
      hint={state.scope === 'global' ? 'One threshold over all layers' : 'Same density in every layer'}
    />
  );
}

/** The compute backend the worker picked (or why it failed), and the page's cross-origin isolation. */
function BackendField({ backend, backendError }: Pick<Props, 'backend' | 'backendError'>) {
  const [isolation, setIsolation] = useState<Isolation | null>(null);
  useEffect(() => void pageIsolation().then(setIsolation), []);
  return (
    <div className="field backend">
      <span className="label" id="backend-label">
        Backend
      </span>
      <output
        aria-labelledby="backend-label"
        title={backend?.reason ?? undefined}
        data-testid="backend"
        data-kernel-threads={backend?.wasm?.kernelThreads}
      >
        {backendError ? `failed: ${backendError}` : backend ? backend.label : 'starting…'}
      </output>
      {backend?.reason ? (
        <small className="hint" title={backend.reason}>
          {backend.reason}
        </small>
      ) : null}
      {isolation ? (
        <small className="hint" data-testid="isolation" data-mode={isolation.mode}>
          {isolationLine(isolation)}
        </small>
      ) : null}
    </div>
  );
}

export const Controls = memo(function Controls({ state, set, backend, backendError, cifar, onCifarFiles }: Props) {
  return (
    <form className="controls" aria-label="Run configuration" onSubmit={(e) => e.preventDefault()}>
      <ModelField state={state} set={set} />
      <DatasetField state={state} set={set} cifar={cifar} onCifarFiles={onCifarFiles} />

      <MethodsField methods={state.methods} set={set} />

      <div className="row2">
        {intField('rounds', state, set)}
        {intField('oneShotRounds', state, set)}
      </div>

      <div className="row2">
        <ScopeField state={state} set={set} />
        {intField('seed', state, set)}
      </div>

      {intField('examplesPerClass', state, set)}

      <details className="advanced">
        <summary>Advanced</summary>
        <div className="row2">
          {intField('batchSize', state, set)}
          {intField('ntkSamples', state, set)}
        </div>
      </details>

      <BackendField backend={backend} backendError={backendError} />
    </form>
  );
});

function CifarDrop({ id, cifar, onFiles }: { id: string; cifar: DatasetLoadState; onFiles: ((files: File[]) => void) | null }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const disabled = !onFiles;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (onFiles && e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id}>CIFAR-10 files</label>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        accept=".gz,.tgz,.tar,.bin,application/gzip,application/octet-stream"
        disabled={disabled}
        onChange={(e) => e.target.files && onFiles?.([...e.target.files])}
      />
      <small className="hint">Drop cifar-10-binary.tar.gz or data_batch_*.bin / test_batch.bin here (nothing is uploaded).</small>
      {disabled ? <small className="hint warn">Loading CIFAR-10 files is not available here.</small> : null}
      {cifar.status === 'loading' ? <progress max={1} value={cifar.progress ?? 0} aria-label="Loading CIFAR-10" /> : null}
      {cifar.status === 'loading' && cifar.label ? (
        <small className="hint">Still using {cifar.label} until these files are read.</small>
      ) : null}
      {cifar.status === 'ready' ? <small className="ok">Loaded: {cifar.label}</small> : null}
      {cifar.status === 'error' ? (
        <small className="inline-error" role="alert">
          {cifar.error}
          {cifar.label ? ` (still using ${cifar.label})` : ''}
        </small>
      ) : null}
    </div>
  );
}
