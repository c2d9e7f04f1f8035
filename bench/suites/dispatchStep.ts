// Counts what one ResNet-20 training step costs a tfjs backend: its tfjs kernels (tf.profile) and,
// with a counter (WebGPU), its compute dispatches, GPU → CPU reads and submits. The step counted
// is the second (momentum buffers exist), on a masked net (the lab trains pruned nets), with the
// official recipe (SGD, momentum 0.9, weight decay 1e-4, BatchNorm on batch statistics).
import { buildModel } from '../../src/core/models';
import { disposeMap, initStateDict, toParamMap } from '../../src/core/models/state';
import { onesMasks } from '../../src/core/pruners/masking';
import { tf } from '../../src/core/tf';
import { Sgd } from '../../src/core/train/sgd';
import { trainStep, type TrainState } from '../../src/core/train/step';
import { batchOf, type DispatchCounter, type GpuCounts } from './dispatchRound';

export interface StepCount {
  images: number;
  /** tfjs kernels of one step (without a counter) */
  kernels?: number;
  /** the most frequent kernels of the step, name → count */
  topKernels?: Record<string, number>;
  gpu?: GpuCounts;
  /** live tensors after minus before (0: the step frees what it made) */
  tensorLeak: number;
}

export async function countTrainStep(images: number, counter?: DispatchCounter): Promise<StepCount> {
  const model = buildModel('resnet20');
  const state: TrainState = { params: toParamMap(model, initStateDict(model, 0)), masks: onesMasks(model) };
  const sgd = new Sgd({ momentum: 0.9, weightDecay: 1e-4, nesterov: false });
  const { x, y } = batchOf(model, images, 1);
  const step = async () => void (await trainStep(model, state, sgd, x as tf.Tensor4D, y as tf.Tensor1D, 0.1));
  try {
    await step();
    const before = tf.memory().numTensors;
    const out: StepCount = { images, tensorLeak: 0 };
    if (counter) {
      counter.reset();
      await step();
      out.gpu = counter.read();
    } else {
      const names = (await tf.profile(step)).kernels.map((k) => k.name);
      const hist = new Map<string, number>();
      for (const k of names) hist.set(k, (hist.get(k) ?? 0) + 1);
      out.kernels = names.length;
      out.topKernels = Object.fromEntries([...hist].sort((a, b) => b[1] - a[1]).slice(0, 12));
    }
    out.tensorLeak = tf.memory().numTensors - before;
    return out;
  } finally {
    disposeMap(state.params);
    disposeMap(state.masks!);
    sgd.dispose();
    x.dispose();
    y.dispose();
  }
}
