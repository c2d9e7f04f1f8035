// The kernels split between threads (src/core/wasm-kernels/threads.ts) give the same bits as on
// one thread, for every kernel, 1–3 helper threads and shapes whose ranges do not divide evenly;
// a kernel that traps on a helper is an error on the caller, after every helper has finished.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelsIn } from '../src/core/wasm-kernels/module';
import { KernelThreads, runAlone, shareOf, type KernelCall, type KernelHelperInit } from '../src/core/wasm-kernels/threads';
import { Rng } from '../src/core/rng';

const HELPER = new URL('./threads/kernelHelperThread.ts', import.meta.url).href;
const memory = new WebAssembly.Memory({ initial: 256, maximum: 1024, shared: true });
const kernels = kernelsIn(memory);
const helpers: Worker[] = [];

async function startHelpers(threads: KernelThreads): Promise<void> {
  const started = Array.from({ length: threads.helpers }, (_, h) => {
    const init: KernelHelperInit = threads.helperInit(memory, h);
    // a worker_threads thread loads TypeScript through tsx's loader, registered in the thread
    const script = `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(HELPER)});`;
    const w = new Worker(script, { eval: true, workerData: init });
    helpers.push(w);
    return new Promise<void>((ok, fail) => {
      w.once('message', () => ok());
      w.once('error', fail);
    });
  });
  await Promise.all(started);
}

// a bump allocator over the shared memory (16-byte aligned regions)
let top = 1024;
function alloc(floats: number, fill?: () => number): number {
  const at = top;
  top += Math.ceil((4 * floats) / 16) * 16;
  const view = new Float32Array(memory.buffer, at, floats);
  if (fill) for (let i = 0; i < floats; i++) view[i] = fill();
  else view.fill(0);
  return at;
}
const read = (at: number, floats: number) => new Float32Array(memory.buffer, at, floats).slice();

/** The calls of every kernel on odd shapes, with their outputs' locations. */
function cases() {
  top = 1024;
  const rng = new Rng(7);
  const r = () => 2 * rng.uniform() - 1;
  const [n, h, w, ci, co, k, s, p] = [5, 9, 7, 12, 20, 3, 2, 1];
  const ho = Math.floor((h + 2 * p - k) / s) + 1;
  const wo = Math.floor((w + 2 * p - k) / s) + 1;
  const dims = [n, h, w, ci, ho, wo, co, k, k, s, p];
  const x = alloc(n * h * w * ci, r);
  const dy = alloc(n * ho * wo * co, r);
  const filt = alloc(k * k * ci * co, r);
  const dw = alloc(k * k * ci * co);
  const wt = alloc(k * k * ci * co);
  const dx = alloc(n * h * w * ci);
  const [rows, c] = [n * h * w, ci];
  const stats = { mean: alloc(c), variance: alloc(c), invstd: alloc(c), acc: alloc(4 * c), gamma: alloc(c, r), beta: alloc(c, r) };
  const ab = alloc(2 * c);
  const y = alloc(rows * c);
  const dgamma = alloc(c);
  const dbeta = alloc(c);
  const kg = alloc(2 * c);
  const bdx = alloc(rows * c);
  const relu = alloc(rows * c);
  const reluGrad = alloc(rows * c);
  const [sgdP, sgdBuf] = [alloc(rows * c), alloc(rows * c)];
  const calls: KernelCall[] = [
    { kernel: 'filter_grad', args: [x, dy, dw, ...dims], split: { items: ci, align: 2 } },
    { kernel: 'filter_ci_inner', args: [filt, wt, k * k, ci, co] },
    { kernel: 'input_grad', args: [dy, wt, dx, ...dims], split: { items: n, align: 1 } },
    { kernel: 'bn_moments', args: [x, stats.mean, stats.variance, stats.invstd, stats.acc, rows, c, 1e-5], split: { items: c, align: 4 } },
    { kernel: 'bn_factors', args: [stats.gamma, stats.beta, stats.mean, stats.invstd, ab, c] },
    { kernel: 'bn_forward', args: [x, ab, y, rows, c], split: { items: rows, align: 16 } },
    {
      kernel: 'bn_backward_sums',
      args: [y, x, stats.mean, stats.invstd, dgamma, dbeta, stats.acc, kg, rows, c],
      split: { items: c, align: 4 },
    },
    { kernel: 'bn_backward_dx', args: [y, x, stats.gamma, stats.mean, stats.invstd, kg, bdx, rows, c], split: { items: rows, align: 16 } },
    { kernel: 'relu', args: [x, relu, rows * c], split: { items: rows * c, align: 16 } },
    { kernel: 'relu_grad', args: [y, relu, reluGrad, rows * c], split: { items: rows * c, align: 16 } },
    // x as the weights, y as their gradient, dx as the momentum buffer: weight decay, momentum, Nesterov
    { kernel: 'sgd_update', args: [x, y, bdx, sgdP, sgdBuf, 0.1, 0.9, 1e-4, 1 | 2 | 8, rows * c], split: { items: rows * c, align: 16 } },
  ];
  const outputs = {
    dw: [dw, k * k * ci * co],
    dx: [dx, n * h * w * ci],
    mean: [stats.mean, c],
    variance: [stats.variance, c],
    y: [y, rows * c],
    dgamma: [dgamma, c],
    dbeta: [dbeta, c],
    bdx: [bdx, rows * c],
    relu: [relu, rows * c],
    reluGrad: [reluGrad, rows * c],
    sgdP: [sgdP, rows * c],
    sgdBuf: [sgdBuf, rows * c],
  };
  return { calls, outputs: Object.fromEntries(Object.entries(outputs).map(([name, [at, len]]) => [name, () => read(at, len)])) };
}

function results(run: (call: KernelCall) => void): Record<string, Float32Array> {
  const { calls, outputs } = cases();
  for (const call of calls) run(call);
  return Object.fromEntries(Object.entries(outputs).map(([name, get]) => [name, get()]));
}

describe('kernels on several threads', () => {
  const threads = new KernelThreads(3);
  beforeAll(() => startHelpers(threads), 30_000);
  afterAll(async () => {
    await Promise.all(helpers.map((w) => w.terminate()));
  });

  it('shares cover the range once, on aligned bounds', () => {
    for (const [items, parts, align] of [
      [12, 4, 2],
      [3, 2, 2],
      [315, 3, 16],
      [5, 4, 1],
      [20, 2, 4],
    ]) {
      const shares = Array.from({ length: parts }, (_, i) => shareOf(items, parts, i, align));
      expect(shares[0][0]).toBe(0);
      expect(shares[parts - 1][1]).toBe(items);
      for (let i = 1; i < parts; i++) {
        expect(shares[i][0]).toBe(shares[i - 1][1]);
        if (shares[i][0] < items) expect(shares[i][0] % align).toBe(0);
      }
    }
  });

  it('every kernel gives the same bits on 1 and 4 threads', () => {
    const alone = results((call) => runAlone(kernels, call));
    const shared = results((call) => threads.run(kernels, call));
    for (const name of Object.keys(alone)) {
      expect(
        alone[name].some((v) => v !== 0),
        name,
      ).toBe(true);
      expect(Buffer.from(shared[name].buffer).equals(Buffer.from(alone[name].buffer)), name).toBe(true);
    }
  });

  it('a trap on a helper is an error on the caller, after all threads finished', () => {
    // input_grad over images far past the end of memory: the helpers' shares trap
    const beyond = memory.buffer.byteLength;
    const call: KernelCall = {
      kernel: 'input_grad',
      args: [beyond, beyond, beyond, 64, 8, 8, 4, 8, 8, 4, 1, 1, 1, 0],
      split: { items: 64, align: 1 },
    };
    expect(() => threads.run(kernels, call)).toThrow();
    // and the threads still serve the next call
    const alone = results((c) => runAlone(kernels, c));
    const again = results((c) => threads.run(kernels, c));
    expect(Buffer.from(again.dw.buffer).equals(Buffer.from(alone.dw.buffer))).toBe(true);
  });
});
