// What each panel of the Pruning tab shows before it can draw: a message once, where people look
// (the status line under the slider, or the error notice), and a short pointer to it in every
// panel, never the same long message four or five times.
import type { ChartState } from '../common/ChartCard';
import type { RunView } from '../common/runView';

/** The panels' pointer to the one place a blocked run (missing files) is explained. */
export const SEE_BLOCKED = 'Nothing to run yet: see the message under the slider.';
/** The panels' pointer to the one error notice of a failed run. */
export const SEE_ERROR = 'The run stopped: see the message above.';

export function chartState(view: RunView | null, blocked: string | null, has: boolean, waiting: string): ChartState {
  if (blocked) return { kind: 'empty', message: SEE_BLOCKED };
  if (has) return { kind: 'ready' };
  if (!view) return { kind: 'loading', message: 'Starting the compute worker…' };
  if (view.status === 'error') return { kind: 'error', message: SEE_ERROR };
  if (view.status === 'cancelled') return { kind: 'empty', message: 'Run cancelled. Change a setting or press “Run again”.' };
  if (view.status === 'done') return { kind: 'empty', message: 'This run produced nothing to draw here.' };
  return { kind: 'loading', message: waiting };
}
