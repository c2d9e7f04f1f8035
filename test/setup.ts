// Every unit test runs on the backend named by PXLAB_BACKEND (default: wasm, as the CLI).
import { beforeAll } from 'vitest';
import { useNodeBackend, type BackendName } from '../src/core/backend';

beforeAll(async () => {
  await useNodeBackend((process.env.PXLAB_BACKEND as BackendName | undefined) ?? 'wasm');
});
