// Every pruner against the official code's outputs (shared/fixtures/safetensors/public).
import { describe, expect, it } from 'vitest';
import { runScoreJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { toFloat32, toInt32 } from '../src/core/io/safetensors';
import { tf } from '../src/core/tf';
import { CASES, readCase, relL2, type CaseName } from './fixtures';

function normalised(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v * v;
  const n = Math.sqrt(s) || 1;
  return a.map((v) => v / n);
}

export async function compareCase(name: CaseName, file: string) {
  const c = readCase(name);
  const [method, r] = file.replace('.safetensors', '').split('_');
  const rounds = Number(r.slice(1));
  const model = buildModel(c.caseJson.arch);
  const xs = c.inputs.tensors.get('x')!;
  const res = await runScoreJob({
    model,
    stateDict: new Map([...c.weights.tensors].map(([k, v]) => [k, toFloat32(v)])),
    x: toFloat32(xs),
    xShape: xs.shape as [number, number, number, number],
    y: toInt32(c.inputs.tensors.get('y')!),
    method,
    density: 0.1,
    rounds,
  });
  const exp = c.expected(file);
  const gotScores: number[] = [];
  const wantScores: number[] = [];
  let mismatches = 0;
  for (const l of model.prunable) {
    const want = exp.tensors.get(l.weight)!;
    const wantMask = toFloat32(exp.tensors.get(`${l.weight.replace(/\.weight$/, '')}.weight_mask`)!);
    const gotMask = res.masks.get(l.weight)!;
    for (let i = 0; i < wantMask.length; i++) if (wantMask[i] !== gotMask[i]) mismatches++;
    gotScores.push(...res.scores.get(l.weight)!);
    wantScores.push(...Array.from(want.data as Float64Array | Float32Array, Number));
  }
  const raw = relL2(gotScores, wantScores);
  const scaled = relL2(normalised(Float64Array.from(gotScores)), normalised(Float64Array.from(wantScores)));
  return { raw, scaled, mismatches, kept: res.kept, wantKept: Number(exp.metadata.kept_total), meta: res.meta, res };
}

const ONLY = process.env.ONLY;
const EXPECTED: Record<CaseName, string[]> = {
  mlp: ['mag_R1', 'snip_R1', 'grasp_R1', 'synflow_R1', 'synflow_R10', 'px_R1', 'px_R10', 'px-official_R1'],
  conv_nobn: ['mag_R1', 'snip_R1', 'grasp_R1', 'synflow_R1', 'synflow_R10', 'px_R1', 'px_R10', 'px-official_R1'],
  conv_bn: ['mag_R1', 'snip_R1', 'grasp_R1', 'synflow_R1', 'synflow_R10', 'px_R1', 'px_R10'],
  resnet20: ['mag_R1', 'snip_R1', 'grasp_R1', 'synflow_R1', 'synflow_R10', 'px_R1', 'px_R10'],
};

describe('pruners reproduce the official code (public safetensors set)', () => {
  for (const name of CASES) {
    for (const f of EXPECTED[name].filter((f) => !ONLY || `${name} ${f}` === ONLY)) {
      it(`${name} ${f}`, async () => {
        const before = tf.memory().numTensors;
        const r = await compareCase(name, `${f}_d0.1.safetensors`);
        console.log(name, f, JSON.stringify({ raw: r.raw, scaled: r.scaled, mismatches: r.mismatches, kept: r.kept, meta: r.meta }));
        expect(tf.memory().numTensors).toBe(before);
        expect(r.kept).toBe(r.wantKept);
      });
    }
  }
});
