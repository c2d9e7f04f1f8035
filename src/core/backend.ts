// Choosing a tfjs backend. The core works on any of them; callers (worker, CLI, tests) pick.
import { tf } from './tf';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Switch to a backend that is already registered; throws with the reason when it fails. */
export async function useBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend "${name}" failed to initialise`);
  await tf.ready();
  // tfjs's cpu backend advertises tfjs-node on its first write in Node; that package cannot be
  // installed offline and the advice only confuses CLI users
  if (name === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}

/** Node: wasm (SIMD) first, cpu as the fallback. `PXLAB_BACKEND` forces one. */
export async function useNodeBackend(preferred?: BackendName): Promise<BackendName> {
  const order: BackendName[] = preferred ? [preferred] : ['wasm', 'cpu'];
  let last: unknown;
  for (const b of order) {
    try {
      await useBackend(b);
      return b;
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}
