// Per-layer statistics: dense nets, brute-force path reachability on small MLPs and ConvNets,
// ResNet shortcuts, FLOPs and the CSV form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel, type ArchSpec, type Model } from '../models';
import { disposeMap, torchToTf, type ParamMap } from '../models/state';
import { tf } from '../tf';
import { layerStats, layerTableCsv } from './layers';

/** Masks from PyTorch-layout 0/1 arrays. */
function upload(model: Model, torch: Map<string, Float32Array>): ParamMap {
  const out: ParamMap = {};
  for (const l of model.prunable) out[l.weight] = tf.tensor(torchToTf(l, torch.get(l.weight)!), l.shape);
  return out;
}

/**
 * Brute force on the unit graph of a chain net (MLP, or a ConvNet at channel level: with 3×3 pad-1
 * convs on maps ≥ 3×3 every kernel offset meets real input somewhere, and GAP keeps every channel).
 * PyTorch layout: linear [out, in], conv [out, in, k, k]. Returns per layer: kept, effective,
 * keptUnits, effectiveUnits, and whether any complete path exists.
 */
function bruteForce(model: Model, torch: Map<string, Float32Array>, inputUnits: number) {
  const layers = model.prunable;
  // edge[l][o][i]: some kept weight from unit i into unit o
  const edges = layers.map((l) => {
    const [out, inn] = l.torchShape;
    const per = l.numel / (out * inn);
    const m = torch.get(l.weight)!;
    return Array.from({ length: out }, (_, o) =>
      Array.from({ length: inn }, (_, i) => {
        for (let q = 0; q < per; q++) if (m[(o * inn + i) * per + q] !== 0) return true;
        return false;
      }),
    );
  });
  const fwd: boolean[][] = [new Array(inputUnits).fill(true)];
  layers.forEach((l, li) => fwd.push(Array.from({ length: l.torchShape[0] }, (_, o) => edges[li][o].some((e, i) => e && fwd[li][i]))));
  const bwd: boolean[][] = new Array(layers.length + 1);
  bwd[layers.length] = new Array(model.classes).fill(true);
  for (let li = layers.length - 1; li >= 0; li--) {
    const inn = layers[li].torchShape[1];
    bwd[li] = Array.from({ length: inn }, (_, i) => edges[li].some((row, o) => row[i] && bwd[li + 1][o]));
  }
  return {
    rows: layers.map((l, li) => {
      const [out, inn] = l.torchShape;
      const per = l.numel / (out * inn);
      const m = torch.get(l.weight)!;
      let kept = 0;
      let effective = 0;
      const keptUnit = new Array(out).fill(false);
      const effUnit = new Array(out).fill(false);
      for (let o = 0; o < out; o++)
        for (let i = 0; i < inn; i++)
          for (let q = 0; q < per; q++) {
            if (m[(o * inn + i) * per + q] === 0) continue;
            kept++;
            keptUnit[o] = true;
            if (fwd[li][i] && bwd[li + 1][o]) {
              effective++;
              effUnit[o] = true;
            }
          }
      return { kept, effective, keptUnits: keptUnit.filter(Boolean).length, effectiveUnits: effUnit.filter(Boolean).length };
    }),
    connected: bwd[0].some((b, i) => b && fwd[0][i]),
  };
}

function maskArbitrary(model: Model) {
  // per layer a keep probability (some near 0 so that layers collapse), then a random seed
  return fc.tuple(
    fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: model.prunable.length, maxLength: model.prunable.length }),
    fc.integer({ min: 0, max: 2 ** 30 }),
  );
}

function makeMasks(model: Model, probs: number[], seed: number): Map<string, Float32Array> {
  let s = seed >>> 0 || 1;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return new Map(model.prunable.map((l, i) => [l.weight, Float32Array.from({ length: l.numel }, () => (rand() < probs[i] ? 1 : 0))]));
}

async function checkAgainstBruteForce(spec: ArchSpec, inputUnits: number, runs: number) {
  const model = buildModel(spec);
  await fc.assert(
    fc.asyncProperty(maskArbitrary(model), async ([probs, seed]) => {
      const torch = makeMasks(model, probs, seed);
      const masks = upload(model, torch);
      const t = await layerStats(model, masks);
      disposeMap(masks);
      const bf = bruteForce(model, torch, inputUnits);
      t.layers.forEach((r, i) => {
        expect({ kept: r.kept, effective: r.effective, keptUnits: r.keptUnits, effectiveUnits: r.effectiveUnits }).toEqual(bf.rows[i]);
        expect(r.collapsed).toBe(bf.rows[i].effective === 0);
      });
      expect(t.network.disconnected).toBe(!bf.connected);
    }),
    { numRuns: runs, seed: 42 },
  );
}

describe('layer statistics', () => {
  for (const arch of ['mlp', 'convnet', 'resnet20', 'vgg16_bn']) {
    it(`dense ${arch}: everything kept and effective, FLOPs = 2·MACs`, async () => {
      const model = buildModel(arch);
      const before = tf.memory().numTensors;
      const t = await layerStats(model);
      expect(tf.memory().numTensors).toBe(before);
      for (const r of t.layers) {
        expect(r.kept).toBe(r.total);
        expect(r.effective).toBe(r.total);
        expect(r.outputWidth).toBe(1);
        expect(r.effectiveWidth).toBe(1);
        expect(r.collapsed).toBe(false);
        expect(r.flops).toBe(2 * model.macsPerLayer[r.weight]);
      }
      expect(t.network.disconnected).toBe(false);
      expect(t.network.effectiveDensity).toBe(1);
      expect(t.network.flops).toBe(2 * Object.values(model.macsPerLayer).reduce((a, b) => a + b, 0));
    });
  }

  it('MLP: matches brute-force path reachability on random masks', async () => {
    await checkAgainstBruteForce({ kind: 'mlp', input: [1, 2, 3], hidden: [7, 5, 4], classes: 3 }, 6, 40);
  });

  it('ConvNet: matches brute-force channel reachability on random masks', async () => {
    await checkAgainstBruteForce(
      { kind: 'convnet', input: [2, 6, 6], channels: [4, 5, 3], strides: [1, 2, 1], batchnorm: true, bias: true, classes: 3 },
      2,
      25,
    );
  });

  it('hand-made MLP: dead ends, output width vs effective width, effective density', async () => {
    // 2 inputs → 3 hidden → 2 outputs. Hidden 0 receives and sends: on a path. Hidden 1 receives
    // but sends nothing: counted by outputWidth, not effectiveWidth. Hidden 2 sends but receives
    // nothing: its outgoing weight is dead.
    const model = buildModel({ kind: 'mlp', input: [1, 1, 2], hidden: [3], classes: 2 });
    const torch = new Map([
      ['l1.weight', Float32Array.from([1, 1, /**/ 1, 0, /**/ 0, 0])], // [3 out, 2 in]
      ['fc.weight', Float32Array.from([1, 0, 1, /**/ 0, 0, 0])], // [2 out, 3 in]
    ]);
    const masks = upload(model, torch);
    const t = await layerStats(model, masks);
    disposeMap(masks);
    const [l1, out] = t.layers;
    expect(l1).toMatchObject({
      kept: 3,
      effective: 2,
      dead: 1,
      keptUnits: 2,
      outputWidth: 2 / 3,
      effectiveUnits: 1,
      effectiveWidth: 1 / 3,
      collapsed: false,
    });
    expect(out).toMatchObject({ kept: 2, effective: 1, keptUnits: 1, effectiveUnits: 1, outputWidth: 0.5, effectiveWidth: 0.5 });
    expect(t.network).toMatchObject({ total: 12, kept: 5, effective: 3, dead: 2, disconnected: false, collapsedLayers: [] });
    expect(t.network.effectiveDensity).toBeCloseTo(3 / 12, 12);
    expect(t.network.flops).toBe(10);
    expect(t.network.flopsEffective).toBe(6);
  });

  it('ResNet-20: a pruned block collapses but its identity shortcut keeps the net connected', async () => {
    const model = buildModel('resnet20');
    const ones = (v: number) => new Map(model.prunable.map((l) => [l.weight, new Float32Array(l.numel).fill(v)]));
    const run = async (zero: string[]) => {
      const torch = ones(1);
      for (const z of zero) torch.get(z)!.fill(0);
      const masks = upload(model, torch);
      const t = await layerStats(model, masks);
      disposeMap(masks);
      return t;
    };
    const block = await run(['blocks.1.conv1.weight']);
    expect(block.network.disconnected).toBe(false);
    expect(block.network.collapsedLayers).toEqual(['blocks.1.conv1', 'blocks.1.conv2']); // conv2 only hears conv1
    const conv2 = block.layers.find((r) => r.layer === 'blocks.1.conv2')!;
    expect(conv2).toMatchObject({ kept: conv2.total, effective: 0, dead: conv2.total, outputWidth: 1, effectiveWidth: 0 });
    expect(block.network.effective).toBe(block.network.total - 2 * 16 * 16 * 9);

    // stage 2 is reached only through block 3 (conv path or 1×1 shortcut): cutting both disconnects
    const cut = await run(['blocks.3.conv1.weight', 'blocks.3.shortcut.0.weight']);
    expect(cut.network.disconnected).toBe(true);
    expect(cut.network.effective).toBe(0);
    const one = await run(['blocks.3.shortcut.0.weight']);
    expect(one.network.disconnected).toBe(false);
    expect(one.network.collapsedLayers).toEqual(['blocks.3.shortcut.0']);

    const first = await run(['conv.weight']);
    expect(first.network.disconnected).toBe(true);
    expect(first.layers.every((r) => r.collapsed)).toBe(true);
  });

  it('FLOPs count kept weights at every output position; CSV has one row per layer and the network', async () => {
    const model = buildModel({
      kind: 'convnet',
      input: [3, 8, 8],
      channels: [4, 6],
      strides: [1, 2],
      batchnorm: false,
      bias: true,
      classes: 5,
    });
    const torch = makeMasks(model, [0.5, 0.5, 0.5], 7);
    const masks = upload(model, torch);
    const t = await layerStats(model, masks);
    disposeMap(masks);
    const positions = [64, 16, 1];
    t.layers.forEach((r, i) => {
      expect(r.positions).toBe(positions[i]);
      expect(r.flops).toBe(2 * r.kept * positions[i]);
      expect(r.flopsDense).toBe(2 * r.total * positions[i]);
    });
    const csv = layerTableCsv(t).trim().split('\n');
    expect(csv.length).toBe(1 + model.prunable.length + 1);
    expect(csv[0].split(',')).toContain('effective_width');
    expect(csv[csv.length - 1].startsWith('(network),')).toBe(true);
  });
});
