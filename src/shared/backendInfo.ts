// Backends: which tfjs backend the worker runs on, why it chose it and what its self-check found.
// Part of the protocol (src/shared/protocol.ts re-exports it); plain data only.
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Order in which the worker tries backends (a probe then decides, see BackendInfo.reason). */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The GPU behind webgpu/webgl, as far as the browser tells. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  /** Device or renderer string ("SwiftShader Device (Subzero)", "ANGLE (…)"). */
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe, WARP) or WebGPU's fallback adapter. */
  software: boolean;
}

/** What the self-check found on one backend: a tiny conv net forward/backward, checked and timed. */
export interface ProbeReport {
  backend: BackendName;
  /** Initialised and matched the known values. */
  ok: boolean;
  /** Median ms of one forward/backward after a warm-up call. */
  ms?: number;
  /** The first call (shader compilation and all), ms. */
  warmupMs?: number;
  /** Largest relative error against the values precomputed on the cpu backend. */
  maxRelError?: number;
  adapter?: AdapterInfo;
  /** Why it failed or was not tried. */
  error?: string;
}

export interface BackendInfo {
  name: BackendName;
  /** For the page: "WebGPU · SwiftShader (software)", "wasm · SIMD · 2 threads", "cpu". */
  label: string;
  adapter?: AdapterInfo;
  /** threads: XNNPACK's pool size as the wasm module reports it; threadsReason: why only one;
   * labKernels: the lab's own SIMD kernels (convolution gradients, BatchNorm) run in it, on
   * kernelThreads threads. */
  wasm?: { simd: boolean; threads: number; threadsReason?: string; labKernels?: boolean; kernelThreads?: number };
  crossOriginIsolated: boolean;
  /** Every backend tried, in order. */
  probes: ProbeReport[];
  /** One sentence on why this backend won. */
  reason: string;
  /** Backends left out because they failed earlier (device lost, worker crashed). */
  excluded: BackendName[];
}
