// Page side of bench/suites/dispatch.ts: bundled with esbuild and loaded in headless Chromium, it counts
// one round per method on tfjs-backend-webgpu (SwiftShader there: counts, not speed).
import '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../src/core/tf';
import { installDispatchCounter } from './dispatchCounter';
import { countRound, type RoundCount } from './dispatchRound';
import { countTrainStep, type StepCount } from './dispatchStep';
import type { MethodId } from '../../src/shared/methods';

export interface PageResult {
  adapter: string;
  rows: RoundCount[];
  step: StepCount;
}

async function adapterName(): Promise<string> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
  const a = await gpu?.requestAdapter();
  const i = a?.info ?? {};
  return [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') || 'unknown adapter';
}

async function run(methods: MethodId[], images: number): Promise<PageResult> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs webgpu backend failed to initialise');
  await tf.ready();
  const counter = installDispatchCounter();
  const rows: RoundCount[] = [];
  for (const m of methods) {
    const t0 = performance.now();
    const r = await countRound(m, images, counter);
    rows.push(r);
    console.log(
      `${m}: round ${JSON.stringify(r.round)}, score ${JSON.stringify(r.score)}, counted in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const t0 = performance.now();
  const step = await countTrainStep(images, counter);
  console.log(`training step: ${JSON.stringify(step.gpu)}, counted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { adapter: await adapterName(), rows, step };
}

(window as unknown as { __dispatch: typeof run }).__dispatch = run;
