// Backend choice from probe reports: by capability and measured speed, not by name.
import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../shared/protocol';
import { backendLabel, chooseBackend } from './choose';
import { backendFailure } from './runner';

const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)', software: true };
const hardware = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080', software: false };

describe('chooseBackend', () => {
  it('a software WebGPU adapter loses to wasm even when it passes', () => {
    const probes: ProbeReport[] = [
      { backend: 'webgpu', ok: true, ms: 40, adapter: swiftshader },
      { backend: 'webgl', ok: true, ms: 130, adapter: { ...swiftshader, architecture: '' } },
      { backend: 'wasm', ok: true, ms: 3 },
    ];
    const c = chooseBackend(probes)!;
    expect(c.name).toBe('wasm');
    expect(c.reason).toMatch(/webgpu is a software adapter/);
  });

  it('a hardware GPU wins, even if the tiny probe is a little slower than wasm', () => {
    expect(
      chooseBackend([
        { backend: 'webgpu', ok: true, ms: 6, adapter: hardware },
        { backend: 'wasm', ok: true, ms: 3 },
      ])!.name,
    ).toBe('webgpu');
    // but not when it is far slower (a broken driver)
    expect(
      chooseBackend([
        { backend: 'webgpu', ok: true, ms: 60, adapter: hardware },
        { backend: 'wasm', ok: true, ms: 3 },
      ])!.name,
    ).toBe('wasm');
    // a GPU that computes wrong numbers never wins
    expect(
      chooseBackend([
        { backend: 'webgpu', ok: false, ms: 1, adapter: hardware },
        { backend: 'wasm', ok: true, ms: 3 },
      ])!.name,
    ).toBe('wasm');
  });

  it('without wasm, the fastest backend that passed', () => {
    const c = chooseBackend([
      { backend: 'webgpu', ok: true, ms: 400, adapter: swiftshader },
      { backend: 'webgl', ok: true, ms: 130, adapter: swiftshader },
      { backend: 'cpu', ok: true, ms: 300 },
    ]);
    expect(c!.name).toBe('webgl');
    expect(chooseBackend([{ backend: 'wasm', ok: false, error: 'x' }])).toBeNull();
  });

  it('labels backends for the page', () => {
    expect(backendLabel({ name: 'webgpu', adapter: swiftshader })).toBe('WebGPU · SwiftShader (software)');
    expect(backendLabel({ name: 'webgpu', adapter: hardware })).toBe('WebGPU · NVIDIA GeForce RTX 3080');
    expect(backendLabel({ name: 'wasm', wasm: { simd: true, threads: 2 } })).toBe('wasm · SIMD · 2 threads');
    expect(
      backendLabel({ name: 'wasm', wasm: { simd: true, threads: 1, threadsReason: 'not cross-origin isolated: send COOP and COEP' } }),
    ).toBe('wasm · SIMD · 1 thread (not cross-origin isolated)');
  });
});

describe('backendFailure', () => {
  it('marks GPU kernel failures (the client then falls back), not errors of the request itself', () => {
    expect(backendFailure(new Error('Failed to compile fragment shader.'), 'webgl')).toBe(true);
    expect(backendFailure(new Error('Failed to compile fragment shader.'), 'wasm')).toBe(false);
    expect(backendFailure(new Error('class 3 has fewer than 10 samples (4)'), 'webgpu')).toBe(false);
  });
});
