// The page's header (title, paper link, backend badge, Copy link) and its notices (about the
// link, the compute worker and the current run).
import { useEffect, useState } from 'react';
import type { BackendInfo } from '../../shared/protocol';
import type { RunView } from '../common/runView';
import { copyText } from '../common/copy';

const PAPER_URL = 'https://arxiv.org/abs/2406.01820';

export function AppHeader({
  backend,
  backendError,
  shareUrl,
}: {
  backend: BackendInfo | null;
  backendError: string | null;
  shareUrl: string;
}) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  // a new state is a new link: the old "copied" no longer says anything
  useEffect(() => setCopied('idle'), [shareUrl]);
  const onCopy = async () => {
    setCopied((await copyText(shareUrl)) ? 'ok' : 'failed');
  };
  return (
    <header className="top">
      <div className="brand">
        <h1>PX Lab</h1>
        <p className="tagline">
          Pruning at initialisation, live: PX (Path eXclusion) against SNIP, GraSP, SynFlow and more —{' '}
          <a href={PAPER_URL} target="_blank" rel="noreferrer noopener">
            Iurada, Ciccone, Tommasi, CVPR 2024 (arXiv 2406.01820)
          </a>
        </p>
      </div>
      <div className="top-actions">
        <span className="backend-badge" title={backend?.reason}>
          {backend ? backend.label : backendError ? 'backend failed' : 'backend…'}
        </span>
        <button type="button" className="primary" onClick={onCopy} data-share-url={shareUrl} aria-describedby="copy-status">
          Copy link
        </button>
        <span id="copy-status" className="copy-status" role="status">
          {copied === 'ok' ? 'Link copied' : copied === 'failed' ? 'Copy failed — use the address bar' : ''}
        </span>
      </div>
    </header>
  );
}

export function AppNotices({
  notices,
  onDismissLink,
  workerNotice,
  onDismissWorker,
  view,
}: {
  notices: string[];
  onDismissLink: () => void;
  workerNotice: string | null;
  onDismissWorker: () => void;
  view: RunView | null;
}) {
  return (
    <>
      {notices.length ? (
        <div className="notice" role="alert" data-testid="url-notice">
          <div>
            <strong>Some of this link could not be used</strong>; the rest of it is applied, and defaults fill in the gaps.
            <ul>
              {notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
          <button type="button" className="small" onClick={onDismissLink} aria-label="Dismiss the notice about the link">
            Dismiss
          </button>
        </div>
      ) : null}
      {workerNotice ? (
        <div className="notice" role="alert" data-testid="worker-notice">
          <div>{workerNotice}</div>
          <button type="button" className="small" onClick={onDismissWorker} aria-label="Dismiss the notice about the compute worker">
            Dismiss
          </button>
        </div>
      ) : null}
      {view?.notices.length ? (
        <div className="notice info" role="status">
          {view.notices[view.notices.length - 1]}
        </div>
      ) : null}
    </>
  );
}
