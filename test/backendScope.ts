// A test file that switches backends gives the one it found back when it ends, so the files
// after it in the same worker run where test/setup.ts put them.
import { afterAll, beforeAll } from 'vitest';
import { useBackend, type BackendName } from '../src/core/backend';
import { tf } from '../src/core/tf';

/** Inside a describe: remember the backend before its tests (switching to `name` when given) and restore it after them. */
export function restoreBackendAfter(name?: BackendName): void {
  let prev: BackendName;
  beforeAll(async () => {
    prev = tf.getBackend() as BackendName;
    if (name) await useBackend(name);
  });
  afterAll(() => useBackend(prev));
}
