// px-lab ntk: the empirical NTK of a (masked) model at its given weights, as JSON.
import { finiteFloat32, showName } from '../shared/safetensors';
import type { Model } from '../core/models';
import { runNtkJob, type NtkMethod } from '../core/metrics/arrays';
import { DEFAULT_NTK_N, MAX_NTK_N } from '../core/metrics/ntk-common';
import { loadModel, loadWeights, log, readSafetensorsFile, setupBackend, writeFile } from './common';
import { asCliError, CliError, numberArg, required, valueFlags, type Args } from './args';
import { loadMasks } from './masks-file';

const USAGE = `px-lab ntk --arch <zoo name | spec.json> --weights W.safetensors --inputs X.safetensors
              [--masks M.safetensors] [--n ${DEFAULT_NTK_N}] [--method structured|loop] [--rel-tol T] --out ntk.json
     Θ = J Jᵀ over the first n inputs (eval mode, mask·weight, J over all prunable weights, row i·C+k).
     Writes {eigenvalues_desc, trace, condition, trace_by_layer, n, classes, …}; condition is
     λmax/λmin⁺ with λmin⁺ the smallest eigenvalue above rel-tol·λmax (default n·C·2⁻²³),
     null when Θ = 0. Masks: "<module>.weight_mask" entries (PyTorch layout), as score/prune write.`;

/** Only "x" (F32 [N,C,H,W]) is needed: labels play no part in the NTK. */
function loadX(model: Model, path: string): { x: Float32Array; shape: [number, number, number, number] } {
  const f = readSafetensorsFile(path, 'inputs');
  const x = f.tensors.get('x');
  if (!x)
    throw new CliError(`${path}: needs a tensor "x" (F32 [N,C,H,W]); found ${[...f.tensors.keys()].map(showName).join(', ') || 'none'}`);
  if (x.shape.length !== 4) throw new CliError(`${path}: "x" must be [N,C,H,W] (got [${x.shape}])`);
  const [, c, h, w] = x.shape;
  const [mc, mh, mw] = model.input;
  if (c !== mc || h !== mh || w !== mw) throw new CliError(`${path}: inputs are ${c}×${h}×${w}, ${model.label} needs ${mc}×${mh}×${mw}`);
  if (x.shape[0] === 0) throw new CliError(`${path}: the inputs are empty ("x" has shape [${x.shape}])`);
  return asCliError(() => ({ x: finiteFloat32(x, `${path}: tensor "x"`), shape: x.shape as [number, number, number, number] }));
}

async function ntk(v: Args): Promise<void> {
  const model = loadModel(required(v, 'arch'));
  const stateDict = loadWeights(model, required(v, 'weights'));
  const inputs = loadX(model, required(v, 'inputs'));
  const masks = v.masks ? loadMasks(model, v.masks as string) : undefined;
  const out = required(v, 'out');
  const n = numberArg(v, 'n', DEFAULT_NTK_N, (k) => Number.isInteger(k) && k >= 1 && k <= MAX_NTK_N, `an integer in 1..${MAX_NTK_N}`);
  if (n > inputs.shape[0]) throw new CliError(`--n ${n} but ${v.inputs} holds only ${inputs.shape[0]} inputs`);
  const method = ((v.method as string | undefined) ?? 'structured') as NtkMethod;
  if (method !== 'structured' && method !== 'loop')
    throw new CliError(`--method must be structured or loop (got ${JSON.stringify(method)})`);
  const relTol = v['rel-tol'] === undefined ? undefined : numberArg(v, 'rel-tol', 0, (t) => t >= 0 && t < 1, 'in [0, 1)');
  const backend = await setupBackend(v);
  const r = await asCliError(() => runNtkJob({ model, stateDict, x: inputs.x, xShape: inputs.shape, masks, n, method, relTol }));
  writeFile(
    out,
    `${JSON.stringify(
      {
        eigenvalues_desc: Array.from(r.eigenvaluesDesc),
        trace: r.trace,
        condition: Number.isFinite(r.condition) ? r.condition : null,
        trace_by_layer: r.traceByLayer,
        n: r.n,
        classes: r.classes,
        rank: r.rank,
        min_positive_eigenvalue: r.minPositive,
        condition_rel_tol: r.relTol,
        row_index: 'i*classes+k',
        method,
        masks: (v.masks as string | undefined) ?? null,
        arch: model.spec,
        backend,
        theta_ms: r.thetaMs,
        eigen_ms: r.eigenMs,
      },
      null,
      1,
    )}\n`,
  );
  log(
    `ntk (${method}, n=${r.n}) on ${model.label}: trace ${r.trace.toPrecision(6)}, λmax ${r.eigenvaluesDesc[0].toPrecision(6)}, condition ${Number.isFinite(r.condition) ? r.condition.toPrecision(4) : '∞'} in ${(r.thetaMs / 1000).toFixed(2)} s on ${backend} → ${out}`,
  );
}

export const ntkCommand = {
  usage: USAGE,
  options: valueFlags('arch', 'weights', 'inputs', 'masks', 'n', 'method', 'rel-tol', 'out'),
  run: ntk,
};
