// Which backend wins, from the probes. Not by name: a software GPU adapter (SwiftShader here: a
// ResNet-20 step took ~45 s on it against ~0.8 s on wasm) must lose to wasm, a hardware GPU
// should win. The probe net is tiny, so its time understates what a GPU gains on real work:
// a hardware GPU wins unless it is far slower than wasm even on the probe.
import type { BackendName, ProbeReport } from '../shared/protocol';

/** A hardware GPU still wins when its probe is at most this much slower than wasm's. */
export const HARDWARE_GPU_SLACK = 4;

const isGpu = (b: BackendName) => b === 'webgpu' || b === 'webgl';

export function chooseBackend(probes: ProbeReport[]): { name: BackendName; reason: string } | null {
  const ok = probes.filter((p) => p.ok);
  if (!ok.length) return null;
  const wasm = ok.find((p) => p.backend === 'wasm');
  const ms = (p: ProbeReport) => `${(p.ms ?? NaN).toFixed(1)} ms`;
  const hardware = ok.filter((p) => isGpu(p.backend) && p.adapter && !p.adapter.software);
  for (const h of hardware) {
    if (!wasm || (h.ms ?? Infinity) <= HARDWARE_GPU_SLACK * (wasm.ms ?? Infinity)) {
      return {
        name: h.backend,
        reason: `hardware GPU (${h.adapter!.description || h.adapter!.vendor}) passed the self-check${wasm ? ` (probe ${ms(h)} vs wasm ${ms(wasm)})` : ''}`,
      };
    }
  }
  const software = ok.filter((p) => isGpu(p.backend) && p.adapter?.software);
  if (wasm) {
    const lost = software.map(
      (p) => `${p.backend} is a software adapter (${p.adapter!.description || p.adapter!.architecture}, probe ${ms(p)})`,
    );
    const slowHw = hardware.map((p) => `${p.backend} probe ${ms(p)} is over ${HARDWARE_GPU_SLACK}× wasm's`);
    return {
      name: 'wasm',
      reason: `wasm passed the self-check in ${ms(wasm)}${[...lost, ...slowHw].length ? `; ${[...lost, ...slowHw].join('; ')}` : ''}`,
    };
  }
  // no wasm: the fastest of what is left (software GPUs, cpu)
  const best = [...ok].sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))[0];
  return {
    name: best.backend,
    reason: `wasm unavailable; ${best.backend} was the fastest backend that passed the self-check (${ms(best)})`,
  };
}

/** "WebGPU · SwiftShader (software)", "wasm · SIMD · 2 threads", "wasm · SIMD · 1 thread (not cross-origin isolated)", "cpu". */
export function backendLabel(p: {
  name: BackendName;
  adapter?: ProbeReport['adapter'];
  wasm?: { simd: boolean; threads: number; threadsReason?: string };
}): string {
  switch (p.name) {
    case 'webgpu':
    case 'webgl': {
      const a = p.adapter;
      const what = a
        ? /swiftshader/i.test(`${a.architecture} ${a.description}`)
          ? 'SwiftShader'
          : a.description || a.architecture || a.vendor || 'GPU'
        : 'GPU';
      return `${p.name === 'webgpu' ? 'WebGPU' : 'WebGL'} · ${what}${a?.software ? ' (software)' : ''}`;
    }
    case 'wasm': {
      const w = p.wasm;
      if (!w) return 'wasm';
      const why = w.threads === 1 && w.threadsReason ? ` (${w.threadsReason.split(':')[0]})` : '';
      return `wasm · ${w.simd ? 'SIMD' : 'no SIMD'} · ${w.threads} thread${w.threads === 1 ? '' : 's'}${why}`;
    }
    case 'cpu':
      return 'cpu (plain JavaScript)';
  }
}

/** A software rasteriser, by what the adapter or renderer says about itself. */
export function looksSoftware(text: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|warp|basic render|lavapipe/i.test(text);
}
