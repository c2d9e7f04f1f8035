// The backend a sweep cell runs on: the plan's (`--backend` at plan time), wasm/cpu as every
// command, or WebGPU on a real GPU through Dawn (the optional `webgpu` npm package, as
// bench/suites/gpu-node.ts uses it). Where no GPU is there a webgpu cell refuses in one line instead of
// falling back, so a cluster never files CPU numbers under a GPU plan.
import { useBackend } from '../core/backend';
import { CELL_BACKENDS, type CellBackend, type SweepCellResult, type SweepPlan } from '../shared/train';
import { setupBackend } from './common';
import { CliError } from './args';

/** `--backend` at plan time: recorded in the plan, so every cell of the array runs on it. */
export function planBackendArg(v: Record<string, unknown>): { backend?: CellBackend } {
  const b = v.backend as string | undefined;
  if (b === undefined) return {};
  if (!(CELL_BACKENDS as readonly string[]).includes(b))
    throw new CliError(`--backend must be ${CELL_BACKENDS.join(', ')} for a sweep (got ${JSON.stringify(b)})`);
  return { backend: b as CellBackend };
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}
interface WebGpuModule {
  create(flags: string[]): { requestAdapter(opts?: object): Promise<GpuAdapterLike | null> };
  globals: Record<string, unknown>;
}

/** Dawn for Node; a one-line refusal when the package or a GPU adapter is not there. */
async function webgpuAdapter(): Promise<string> {
  const pkg = 'webgpu'; // a variable: the package is optional and never bundled or type-checked
  let dawn: WebGpuModule;
  try {
    dawn = (await import(/* @vite-ignore */ pkg)) as WebGpuModule;
  } catch {
    throw new CliError(
      '--backend webgpu: the optional `webgpu` package (Dawn for Node) is not installed; on a machine with a GPU run `npm install --no-save webgpu`',
    );
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter)
    throw new CliError(
      '--backend webgpu: no GPU adapter here (Dawn found no Vulkan/Metal/D3D12 device); run this cell on a GPU node or plan the sweep with --backend wasm',
    );
  // tfjs-backend-webgpu registers itself only when navigator.gpu exists at import time
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const i = adapter.info ?? {};
  return [i.vendor, i.architecture, i.description || i.device].filter(Boolean).join(' / ') || 'unnamed GPU adapter';
}

/** Set up the cell's backend: the plan's, or `--backend`/PXLAB_BACKEND when the plan names none. */
export async function setupCellBackend(v: Record<string, unknown>, plan: SweepPlan): Promise<{ backend: string; adapter?: string }> {
  const asked = v.backend as string | undefined;
  if (plan.backend && asked !== undefined && asked !== plan.backend)
    throw new CliError(`--backend ${asked}: the plan's cells run on ${plan.backend} (set at plan time)`);
  const want = plan.backend ?? asked;
  if (want !== 'webgpu') return { backend: await setupBackend({ ...v, backend: want }) };
  const adapter = await webgpuAdapter();
  try {
    await useBackend('webgpu');
  } catch (e) {
    throw new CliError(`--backend webgpu: ${(e as Error).message} (adapter: ${adapter})`);
  }
  return { backend: 'webgpu', adapter };
}

/** One line for the merge: which backends and adapters the cells ran on, with counts. */
export function backendsLine(results: readonly Pick<SweepCellResult, 'backend' | 'adapter'>[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const k = r.adapter ? `${r.backend} (${r.adapter})` : r.backend;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return `ran on: ${[...counts].map(([k, n]) => `${k} × ${n}`).join(', ')}`;
}
