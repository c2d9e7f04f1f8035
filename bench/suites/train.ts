// Training benchmarks: one optimiser step (forward, backward, SGD update, BN running stats) of
// ResNet-20 and of the MLP at batch 128, and one epoch of the MLP on the 50,000 bundled MNIST
// training images (batch 128, shuffled, no test pass). Measured when the benchmark runs.
import { useBackend, type BackendName } from '../../src/core/backend';
import { buildModel } from '../../src/core/models';
import { nchwTensor } from '../../src/core/models/input';
import { disposeMap, initStateDict, toParamMap } from '../../src/core/models/state';
import { Rng } from '../../src/core/rng';
import { tf, type Tensor1D } from '../../src/core/tf';
import { datasetSource, runTrainJob, Sgd, trainStep } from '../../src/core/train';
import { DEFAULT_RECIPE } from '../../src/shared/train';
import { packedDataset } from '../../src/core/data/packed';
import { loadBundledFromDisk } from '../../src/cli/datasets';
import type { BenchRow } from './node';

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function stepBench(backend: BackendName, arch: string, repeats: number, log: (s: string) => void): Promise<BenchRow> {
  const model = buildModel(arch);
  const [c, h, w] = model.input;
  const rng = new Rng(1);
  const x = nchwTensor(rng.fillUniform(new Float32Array(128 * c * h * w), 0, 1), [128, c, h, w]);
  const y = tf.tensor1d(
    Array.from({ length: 128 }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  const state = { params: toParamMap(model, initStateDict(model, 0)), masks: null };
  const sgd = new Sgd({ momentum: 0.9, weightDecay: 1e-4, nesterov: false });
  const before = tf.memory().numTensors;
  // warm-up (kernel set-up; creates the momentum buffers), except ResNet-20 on cpu whose one step
  // takes minutes (there the timed step is the first one, with its buffer creation)
  const warm = !(backend === 'cpu' && arch === 'resnet20');
  if (warm) await trainStep(model, state, sgd, x, y, 0.01);
  const mid = tf.memory().numTensors;
  const runs: number[] = [];
  for (let i = 0; i < (warm ? repeats : 1); i++) {
    const t0 = performance.now();
    await trainStep(model, state, sgd, x, y, 0.01);
    runs.push((performance.now() - t0) / 1000);
  }
  const after = tf.memory().numTensors;
  disposeMap(state.params);
  sgd.dispose();
  x.dispose();
  y.dispose();
  log(`  ${backend} train step ${arch} batch 128: ${median(runs).toFixed(3)} s (runs ${runs.map((r) => r.toFixed(3)).join(', ')})`);
  return {
    env: 'node',
    backend,
    case: `train step (fwd+bwd+SGD) ${arch}, batch 128`,
    seconds: median(runs),
    runs,
    tensorsBefore: mid,
    tensorsAfter: after,
    note: warm ? `momentum buffers +${mid - before} tensors at the first step` : 'no warm-up: the first step',
  };
}

async function mnistEpoch(backend: BackendName, log: (s: string) => void): Promise<BenchRow> {
  const model = buildModel('mlp');
  const ds = packedDataset(await loadBundledFromDisk('mnist'), { shape: model.input, classes: model.classes });
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const res = await runTrainJob({
    model,
    stateDict: initStateDict(model, 0),
    train: datasetSource(ds, 'train'),
    recipe: { ...DEFAULT_RECIPE, epochs: 1 },
  });
  const seconds = (performance.now() - t0) / 1000;
  log(
    `  ${backend} MLP epoch on ${ds.size('train')} MNIST images: ${seconds.toFixed(2)} s (${res.steps} steps, last loss ${res.losses.at(-1)!.toFixed(3)})`,
  );
  return {
    env: 'node',
    backend,
    case: `MLP epoch, ${ds.size('train')} MNIST images, batch 128`,
    seconds,
    runs: [seconds],
    tensorsBefore: before,
    tensorsAfter: tf.memory().numTensors,
    note: `${res.steps} steps`,
  };
}

export async function trainBenches(backend: BackendName, repeats: number, log: (s: string) => void): Promise<BenchRow[]> {
  await useBackend(backend);
  const rows = [await stepBench(backend, 'resnet20', repeats, log), await stepBench(backend, 'mlp', repeats, log)];
  rows.push(await mnistEpoch(backend, log));
  return rows;
}
