// The page's sections (Pruning, Train, Sweep, Transfer, Metrics) as an ARIA tab list.
import type { UrlState } from '../../shared/urlState';

export type Tab = UrlState['tab'];

const TABS: Array<{ id: Tab; label: string; hint: string }> = [
  { id: 'prune', label: 'Pruning', hint: 'What pruning does to the network: NTK spectrum, layers, rounds' },
  { id: 'train', label: 'Train', hint: 'Train every method’s mask and the dense net from the same initial weights' },
  { id: 'sweep', label: 'Sweep', hint: 'Accuracy against sparsity: densities × methods × seeds' },
  {
    id: 'transfer',
    label: 'Transfer',
    hint: 'Prune a pretrained backbone and measure zero-shot downstream accuracy (the paper’s transfer protocol)',
  },
  { id: 'metrics', label: 'Metrics', hint: 'Metrics against sparsity from the pruning paths, score histograms, two runs side by side' },
];

export function SectionTabs({ tab, onTab }: { tab: Tab; onTab: (t: Tab) => void }) {
  return (
    <div className="tabs" role="tablist" aria-label="Sections">
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`panel-${t.id}`}
          className={tab === t.id ? 'on' : undefined}
          onClick={() => onTab(t.id)}
          title={t.hint}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
