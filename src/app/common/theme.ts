// Chart colours for the OS colour scheme. Charts get concrete colours (never CSS variables) so
// that an exported PNG looks like the screen.
import { useSyncExternalStore } from 'react';

export interface ChartTheme {
  dark: boolean;
  background: string;
  text: string;
  muted: string;
  grid: string;
  axis: string;
  dense: string;
  tooltipBg: string;
  danger: string;
}

const LIGHT: ChartTheme = {
  dark: false,
  background: '#ffffff',
  text: '#1d2330',
  muted: '#5b6475',
  grid: '#e3e6ec',
  axis: '#8a93a3',
  dense: '#3b3f47',
  tooltipBg: '#ffffff',
  danger: '#c0262d',
};
const DARK: ChartTheme = {
  dark: true,
  background: '#171b22',
  text: '#e6e9ef',
  muted: '#a2abba',
  grid: '#2c323d',
  axis: '#6f7888',
  dense: '#d7dbe2',
  tooltipBg: '#222833',
  danger: '#ff6b6b',
};

const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function subscribe(cb: () => void): () => void {
  query?.addEventListener('change', cb);
  return () => query?.removeEventListener('change', cb);
}

export function useChartTheme(): ChartTheme {
  const dark = useSyncExternalStore(
    subscribe,
    () => query?.matches ?? false,
    () => false,
  );
  return dark ? DARK : LIGHT;
}
