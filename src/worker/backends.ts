// Backend selection inside the worker (browser only): for webgpu, webgl, wasm (and cpu if
// needed) load the backend's package (its own chunk; wasm files by URL, threads when the page
// is cross-origin isolated), initialise, run the probe (known values, timed), and let choose.ts
// pick. Losers are removed so they hold no GPU memory. Device loss on the chosen GPU backend is
// reported.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadBackend } from '../core/backend';
import { tf } from '../core/tf';
import { kernelThreadCount, labKernelsRun } from '../core/wasm-kernels';
import { BACKEND_ORDER, type AdapterInfo, type BackendInfo, type BackendName, type ProbeReport } from '../shared/protocol';
import type { WorkerFault, WorkerInit } from '../shared/workerApi';
import { backendLabel, chooseBackend, looksSoftware } from './choose';
import { PROBE_TOLERANCE, probeError, timeProbe } from './probe';
import { startKernelThreads } from './kernelThreads';
import { planWasmThreads, withReportedCores, type WasmThreadPlan } from './wasmThreads';

const isolated = (): boolean => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

// Threads need SharedArrayBuffer (cross-origin isolation) and must be set before wasm starts;
// see wasmThreads.ts for why the wasm module is started with a doubled core count.
let wasmPlan: WasmThreadPlan = { threads: 1 };

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');
let wasmModule: WasmModule | undefined;

/** Load a backend's package (its own chunk) when it is first tried; wasm gets its files and threads. */
async function load(name: BackendName): Promise<void> {
  await loadBackend(name);
  if (name !== 'wasm' || wasmModule) return;
  wasmModule = await import('@tensorflow/tfjs-backend-wasm');
  // Vite serves the .wasm files as assets; tfjs would otherwise look next to the script.
  wasmModule.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  wasmModule.setThreadsCount(wasmPlan.threads);
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

async function webgpuAdapter(): Promise<AdapterInfo | undefined> {
  const gpu = (navigator as { gpu?: { requestAdapter(o?: object): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return undefined;
  const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return undefined;
  const i = a.info ?? {};
  const text = `${i.vendor ?? ''} ${i.architecture ?? ''} ${i.device ?? ''} ${i.description ?? ''}`;
  return {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    description: i.description || i.device || '',
    software: Boolean(i.isFallbackAdapter ?? a.isFallbackAdapter) || looksSoftware(text),
  };
}

function webglAdapter(): AdapterInfo | undefined {
  const b = tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } };
  const gl = b.gpgpu?.gl;
  if (!gl) return undefined;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
  return {
    vendor,
    architecture: /swiftshader/i.test(renderer) ? 'swiftshader' : '',
    description: renderer,
    software: looksSoftware(`${vendor} ${renderer}`),
  };
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${Math.round(ms / 1000)} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

async function probe(name: BackendName, timeoutMs: number): Promise<ProbeReport> {
  if (name === 'webgpu' && !(navigator as { gpu?: unknown }).gpu)
    return { backend: name, ok: false, error: 'WebGPU is not available in this browser' };
  try {
    await timeout(load(name), timeoutMs, `loading ${name}`);
  } catch (e) {
    return { backend: name, ok: false, error: `could not load the ${name} backend: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!tf.findBackendFactory(name))
    return { backend: name, ok: false, error: name === 'webgpu' ? 'WebGPU is not available in this browser' : 'not registered' };
  let adapter: AdapterInfo | undefined;
  try {
    if (name === 'webgpu') {
      adapter = await webgpuAdapter();
      if (!adapter)
        return { backend: name, ok: false, error: 'no WebGPU adapter (Chrome needs --enable-unsafe-webgpu without a supported GPU)' };
    }
    const start = () => tf.setBackend(name);
    const ok = await timeout(name === 'wasm' ? withReportedCores(wasmPlan.threads, start) : start(), timeoutMs, `initialising ${name}`);
    if (!ok) return { backend: name, ok: false, adapter, error: 'failed to initialise' };
    await tf.ready();
    if (name === 'webgl') adapter = webglAdapter();
    const t = await timeout(timeProbe(2), timeoutMs, `the ${name} probe`);
    const err = probeError(t.values);
    const pass = err <= PROBE_TOLERANCE;
    return {
      backend: name,
      ok: pass,
      ms: t.ms,
      warmupMs: t.warmupMs,
      maxRelError: err,
      adapter,
      ...(pass ? {} : { error: `wrong results (relative error ${err.toExponential(2)})` }),
    };
  } catch (e) {
    return { backend: name, ok: false, adapter, error: e instanceof Error ? e.message : String(e) };
  }
}

/** SIMD and the thread count XNNPACK really got (with the reason when it is one). */
async function wasmInfo(): Promise<NonNullable<BackendInfo['wasm']>> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Math.max(1, wasmModule?.getThreadsCount() ?? 1);
  const labKernels = labKernelsRun();
  // the lab's kernels get as many threads as XNNPACK (once: a re-selection keeps its helpers)
  const kernelThreads =
    labKernels && kernelThreadCount(tf.backend()) < threads ? await startKernelThreads(threads) : kernelThreadCount(tf.backend());
  if (threads > 1) return { simd, threads, labKernels, kernelThreads };
  return {
    simd,
    threads,
    labKernels,
    kernelThreads,
    threadsReason: wasmPlan.reason ?? `asked for ${wasmPlan.threads} threads, the wasm module started 1`,
  };
}

export interface Selected {
  info: BackendInfo;
  /** Make the GPU device go away (tests of the restart path). Returns false when not on a GPU. */
  loseDevice(): boolean;
}

let intentional = false;

export async function selectBackend(init: WorkerInit, onFault: (f: WorkerFault) => void): Promise<Selected> {
  const excluded = init.exclude ?? [];
  const candidates = (init.only ? [init.only] : [...BACKEND_ORDER]).filter((b) => !excluded.includes(b));
  const probes: ProbeReport[] = [];
  wasmPlan = planWasmThreads({ isolated: isolated(), hardwareConcurrency: navigator.hardwareConcurrency, requested: init.wasmThreads });
  for (const b of candidates) {
    // cpu is the last resort: not worth probing when wasm or a GPU passed
    if (b === 'cpu' && !init.only && probes.some((p) => p.ok)) {
      probes.push({ backend: 'cpu', ok: false, error: 'not needed' });
      continue;
    }
    probes.push(await probe(b, init.probeTimeoutMs ?? 20_000));
  }
  for (const b of excluded) probes.push({ backend: b, ok: false, error: 'failed earlier in this session' });
  const choice = chooseBackend(probes);
  if (!choice) throw new Error(`no tfjs backend passed the self-check: ${probes.map((p) => `${p.backend}: ${p.error}`).join('; ')}`);
  const chosen = probes.find((p) => p.backend === choice.name)!;
  // free what lost (a GPU backend keeps its device and buffers otherwise)
  intentional = true;
  for (const p of probes)
    if (p.backend !== choice.name && p.backend !== 'cpu' && tf.engine().registry[p.backend]) tf.removeBackend(p.backend);
  intentional = false;
  await tf.setBackend(choice.name);
  await tf.ready();
  const wasm = choice.name === 'wasm' ? await wasmInfo() : undefined;
  const info: BackendInfo = {
    name: choice.name,
    label: backendLabel({ name: choice.name, adapter: chosen.adapter, wasm }),
    ...(chosen.adapter ? { adapter: chosen.adapter } : {}),
    ...(wasm ? { wasm } : {}),
    crossOriginIsolated: isolated(),
    probes,
    // the page shows this sentence under the badge: say why wasm has one thread, too
    reason: wasm?.threadsReason ? `${choice.reason}; one wasm thread: ${wasm.threadsReason}` : choice.reason,
    excluded,
  };
  let device: { destroy(): void; lost: Promise<{ reason?: string; message?: string }> } | undefined;
  if (choice.name === 'webgpu') {
    device = (tf.backend() as unknown as { device: typeof device }).device;
    void device?.lost.then((l) => {
      if (!intentional) onFault({ kind: 'device-lost', backend: 'webgpu', message: l.message || l.reason || 'device lost' });
    });
  }
  if (choice.name === 'webgl') {
    const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: EventTarget } } }).gpgpu?.gl?.canvas;
    canvas?.addEventListener('webglcontextlost', () => onFault({ kind: 'device-lost', backend: 'webgl', message: 'WebGL context lost' }));
  }
  return {
    info,
    loseDevice() {
      if (!device) return false;
      device.destroy();
      return true;
    },
  };
}
