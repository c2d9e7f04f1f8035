// What the page hands every section panel (Train, Sweep, Metrics and the tabs around them).
import type { UrlState } from '../../shared/urlState';
import type { RunSource } from './runView';
import type { ChartTheme } from './theme';

export interface PanelProps {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  source: RunSource;
  theme: ChartTheme;
  /** Why runs are blocked (CIFAR-10 not loaded), pointing to the one message; null when not. */
  blocked: string | null;
  /** The start of exported files' names. */
  fileStem: string;
}
