// The Weights control: random init (seed), each shipped pretrained checkpoint of the chosen
// model, or the user's .safetensors state_dict (picked or dropped). Says which weights are in use.
import { useId, useRef, useState, type DragEvent } from 'react';
import { pretrainedFor } from '../../shared/pretrained';
import type { WeightsState } from './useWeights';

export function WeightsControl({ model, seed, choice, weights }: { model: string; seed: number; choice: string; weights: WeightsState }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const shipped = pretrainedFor(model);
  const selectValue = choice.startsWith('file:') ? 'file' : choice;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void weights.loadFile(f);
  };
  return (
    <div
      className={`field weights${over ? ' drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="weights-control"
    >
      <label htmlFor={id}>Weights</label>
      <select
        id={id}
        name="weights"
        value={selectValue}
        onChange={(e) => (e.target.value === 'file' ? input.current?.click() : weights.choose(e.target.value))}
      >
        <option value="init">random init (seed {seed})</option>
        {shipped.map((p) => (
          <option key={p.id} value={`pretrained:${p.id}`}>
            pretrained: {p.label}
          </option>
        ))}
        <option value="file">your file…</option>
      </select>
      <input
        ref={input}
        type="file"
        accept=".safetensors"
        hidden
        aria-label="Weights file (.safetensors state_dict)"
        data-testid="weights-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void weights.loadFile(f);
        }}
      />
      <p className="hint" data-testid="weights-in-use" role="status">
        In use: <strong>{weights.inUse}</strong>
        {weights.info?.sha256 ? <span title={weights.info.sha256}> (sha256 {weights.info.sha256.slice(0, 12)}…)</span> : null}
      </p>
      <p className="hint">
        Drop a PyTorch state_dict (.safetensors) for this model here, or pick “your file…”. It replaces the seeded initialisation for every
        method, chart and export.
      </p>
      <WeightsNotices weights={weights} onLoad={() => input.current?.click()} />
    </div>
  );
}

/** The messages under the control: a linked weights file this browser lacks (and a button to load it), a load error, a notice. */
function WeightsNotices({ weights, onLoad }: { weights: WeightsState; onLoad: () => void }) {
  return (
    <>
      {weights.missing ? (
        <div className="notice" role="alert" data-testid="weights-missing">
          This link uses your weights file <strong>{weights.missing.name}</strong> (sha256 {weights.missing.sha256.slice(0, 12)}…), which
          this browser does not hold; runs use the seeded initialisation until you{' '}
          <button type="button" className="small" onClick={onLoad}>
            load it
          </button>{' '}
          (it must be the same file).
        </div>
      ) : null}
      {weights.error ? (
        <div className="notice error" role="alert" data-testid="weights-error">
          {weights.error} — still using {weights.inUse}.
        </div>
      ) : null}
      {weights.notice ? (
        <div className="notice info" role="status" data-testid="weights-notice">
          {weights.notice}
        </div>
      ) : null}
    </>
  );
}
