// Entry point of the lab page. The page never imports tfjs or src/core: compute runs in the worker.
import { Component, StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { RunSource } from './common/runView';
import { WorkerSource } from './shell/source';
import { installTestHook } from './dev/testHook';
import { getLabClient } from './shell/workerClient';
import './styles.css';

/** Never a blank page: a render error shows what happened and a way back to the defaults. */
class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="crash" role="alert">
        <h1>PX Lab</h1>
        <p>Something went wrong while drawing the page: {this.state.error.message}</p>
        <p>
          <a href={location.pathname}>Open the lab with the default settings</a>
        </p>
      </main>
    );
  }
}

// Test hooks (window.__pxlab, the #mock source) exist only in `vite` (dev) and `vite build --mode
// e2e` builds; the MODE test is replaced at build time, so production bundles carry neither.
const testBuild = import.meta.env.MODE === 'development' || import.meta.env.MODE === 'e2e';
if (testBuild) installTestHook();
// #mock: develop the page without the worker (made-up numbers, clearly labelled as such)
const source: RunSource =
  testBuild && location.hash === '#mock' ? new (await import('./dev/mockSource')).MockSource() : new WorkerSource(getLabClient());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App source={source} initialSearch={location.search} />
    </ErrorBoundary>
  </StrictMode>,
);
