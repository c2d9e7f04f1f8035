// Exports (JSON, CSV, masks .safetensors) and the official command line.
import { useId, useRef, useState } from 'react';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import { download, fileStem, masksSafetensors, resultsCsv, resultsJson } from '../common/exporters';
import { officialCommand } from './officialCommand';
import type { RunSource, RunView } from '../common/runView';
import { copyText } from '../common/copy';

interface Props {
  view: RunView | null;
  source: RunSource;
  shareUrl: string;
}

export function ExportPanel({ view, source, shareUrl }: Props) {
  const maskId = useId();
  const [maskMethod, setMaskMethod] = useState<MethodId | ''>('');
  const [message, setMessage] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const done = view?.status === 'done';
  const methods = view?.methods.filter((m) => m.summary && !m.summary.exactPending).map((m) => m.method) ?? [];
  const selected = maskMethod && methods.includes(maskMethod) ? maskMethod : methods[0];
  const canMasks = typeof source.masks === 'function';

  const exportMasks = async () => {
    if (!view || !selected || !source.masks) return;
    setMessage(null);
    try {
      const masks = await source.masks(view.id, selected);
      if (!masks) {
        setMessage('The worker has no masks for this run (it may have been superseded).');
        return;
      }
      download(
        masksSafetensors(masks, view.config, selected) as Uint8Array<ArrayBuffer>,
        `${fileStem(view.config)}-${selected}-masks.safetensors`,
        'application/octet-stream',
      );
    } catch (e) {
      setMessage(`Mask export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="export" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <ResultButtons view={view} shareUrl={shareUrl} onCommand={() => dialog.current?.showModal()} />
      <div className="mask-row">
        <label htmlFor={maskId}>Masks</label>
        <select id={maskId} value={selected ?? ''} onChange={(e) => setMaskMethod(e.target.value as MethodId)} disabled={!methods.length}>
          {methods.length ? (
            methods.map((m) => (
              <option key={m} value={m}>
                {METHOD_INFO[m].label}
              </option>
            ))
          ) : (
            <option value="">{done ? 'none' : 'after the run'}</option>
          )}
        </select>
        <button
          type="button"
          disabled={!canMasks || !selected || !done}
          onClick={exportMasks}
          title={
            canMasks
              ? 'Masks of the chosen method as .safetensors with the official <module>.weight_mask names'
              : 'Mask export is not available with this compute source'
          }
        >
          .safetensors
        </button>
      </div>
      {message ? <small className="inline-error">{message}</small> : null}
      <CommandDialog dialogRef={dialog} view={view} />
    </section>
  );
}

/** The run's numbers as JSON or CSV, and the official command's dialog. */
function ResultButtons({ view, shareUrl, onCommand }: { view: RunView | null; shareUrl: string; onCommand: () => void }) {
  return (
    <div className="buttons">
      <button
        type="button"
        disabled={!view || view.methods.every((m) => !m.summary)}
        onClick={() => view && download(resultsJson(view, shareUrl), `${fileStem(view.config)}.json`, 'application/json')}
        title="All numbers of this run, with its configuration and link"
      >
        JSON
      </button>
      <button
        type="button"
        disabled={!view || view.methods.every((m) => !m.summary)}
        onClick={() => view && download(resultsCsv(view), `${fileStem(view.config)}.csv`, 'text/csv')}
        title="Summary per method, then every layer"
      >
        CSV
      </button>
      <button type="button" onClick={onCommand} title="The same pruning with the official PyTorch code">
        Official command…
      </button>
    </div>
  );
}

function CommandDialog({ dialogRef, view }: { dialogRef: React.RefObject<HTMLDialogElement | null>; view: RunView | null }) {
  const [copied, setCopied] = useState(false);
  const cmd = view ? officialCommand(view.config) : null;
  return (
    <dialog ref={dialogRef} className="command-dialog" aria-labelledby="cmd-title" onClose={() => setCopied(false)}>
      <h2 id="cmd-title">Run this with the official code</h2>
      <p className="explain">
        On a GPU machine with <code>iurada/px-ntk-pruning</code> checked out (its README installs the requirements):
      </p>
      {cmd?.available ? (
        <pre className="command" data-testid="official-command">
          {cmd.script}
        </pre>
      ) : null}
      <ul className="notes">
        {cmd?.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <div className="buttons">
        {cmd?.available ? (
          <button
            type="button"
            onClick={async () => {
              setCopied(await copyText(cmd.script));
            }}
          >
            {copied ? 'Copied' : 'Copy command'}
          </button>
        ) : null}
        <button type="button" onClick={() => dialogRef.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
