// Entry point of the lab page. The page never imports tfjs or src/core: compute runs in the worker.
import { Component, StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { MockSource } from './dev/mockSource';
import type { RunSource } from './runView';
import { WorkerSource } from './source';
import { getLabClient } from './workerClient';
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

// #mock: develop the page without the worker (made-up numbers, clearly labelled as such)
const source: RunSource = location.hash === '#mock' ? new MockSource() : new WorkerSource(getLabClient());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App source={source} initialSearch={location.search} />
    </ErrorBoundary>
  </StrictMode>,
);
