// Choosing a tfjs backend. The core works on any of them; callers (worker, CLI, tests) pick.
import { tf } from './tf';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Register a backend by loading its package (cpu is always there). Dynamic imports, so a bundle
 * splits each backend into its own chunk, fetched only when that backend is tried.
 */
export async function loadBackend(name: BackendName): Promise<void> {
  if (tf.findBackendFactory(name)) return;
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    shareWasmIdentity();
  } else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
}

type WasmData = { incRef(dataId: tf.DataId): void };
let identityShared = false;

/**
 * tfjs-backend-wasm's Identity copies its input, and tfjs runs Identity on every tensor it keeps
 * for a gradient: about 450 copies a ResNet-20 training step (≈ 3% of its kernel time on one
 * thread, all of it on the worker's thread). Nothing in that backend writes a tensor after making
 * it (its Reshape already shares its input's memory), so Identity shares the memory too, as the
 * cpu backend's does. Strings keep the package's kernel.
 */
function shareWasmIdentity(): void {
  const own = tf.getKernel('Identity', 'wasm');
  if (identityShared || !own) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return own.kernelFunc(args);
      (args.backend as WasmData).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  identityShared = true;
}

/** Switch to a backend (loading its package first); throws with the reason when it fails. */
export async function useBackend(name: BackendName): Promise<void> {
  await loadBackend(name);
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
