// What pruning left of each layer: kept weights, output width, effective (path-carrying) weights
// and units, collapse/disconnection, and the FLOPs of the masked network. Structure only: the
// weight values do not matter, only which weights the masks keep.
//
// Paths. A weight is effective when it lies on at least one complete input→output path of kept
// weights. This is read from one forward/backward pass of a "path network" (as SynFlow's, but
// binary): weights = (mask ≠ 0), no biases, BatchNorm, ReLU and Identity2d shortcuts replaced by
// the identity (BN and ReLU are positive maps at the structural level), input all ones. Then
// every activation is > 0 iff an input→unit path exists, every back-propagated signal is > 0 iff
// a unit→output path exists, and ∂R/∂w = (activation into w)·(signal out of w) is > 0 exactly for
// the weights on complete paths (R = Σ logits). Path counts grow like fan-in^depth and overflow
// float32 on deep nets, so every layer output is clipped to ≤ 1 with a gradient that is clipped
// to ≤ 1 as well: this keeps positivity (reachability) and never lets a positive value round to
// zero (the smallest positive values are 1/positions, from average pooling).
// Caveat: VGG's max-pool routes the backward signal to one position per window. Weights are
// shared over positions, so the per-weight answer is unchanged as long as one position of a
// reachable channel wins its window, which holds for the all-ones input.
//
// FLOPs. 2 × the multiply-accumulates of the kept weights for one input: a kept conv weight is
// applied at every output position (Ho·Wo, border zeros included, as macsPerLayer counts),
// a kept linear weight once. Biases, BatchNorm, activations and pooling are not counted.
import { conv2d, type ConvGeometry } from '../conv';
import type { ParamMap } from '../models/state';
import type { LayerOps, Model } from '../models/types';
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';

export interface LayerStatsRow {
  /** Module name ("blocks.3.shortcut.0"). */
  layer: string;
  /** Weight name ("blocks.3.shortcut.0.weight"), the key of masks and trace_by_layer. */
  weight: string;
  kind: 'conv' | 'linear';
  total: number;
  kept: number;
  /** kept / total. */
  density: number;
  /** Kept weights on at least one complete input→output path of kept weights. */
  effective: number;
  /** Kept weights on no complete path (kept − effective). */
  dead: number;
  /** effective / total. */
  effectiveDensity: number;
  /** Output units: channels of a conv, neurons of a linear layer. */
  outUnits: number;
  /** Output units with at least one kept incoming weight. */
  keptUnits: number;
  /** keptUnits / outUnits. */
  outputWidth: number;
  /** Output units that lie on a complete path (equivalently: with an effective incoming weight). */
  effectiveUnits: number;
  /** effectiveUnits / outUnits. */
  effectiveWidth: number;
  /** The layer keeps nothing on any input→output path (effective = 0). */
  collapsed: boolean;
  /** Output positions each weight is applied at per input (Ho·Wo for a conv, 1 for linear). */
  positions: number;
  /** 2·kept·positions. */
  flops: number;
  /** 2·effective·positions: what a compacted net would still compute. */
  flopsEffective: number;
  /** 2·total·positions. */
  flopsDense: number;
}

/** The whole network's counts, summed over layers (same meanings as a layer's). */
export interface NetworkRow extends Pick<
  LayerStatsRow,
  'total' | 'kept' | 'density' | 'effective' | 'dead' | 'effectiveDensity' | 'flops' | 'flopsEffective' | 'flopsDense'
> {
  /** No complete input→output path of kept weights survives. */
  disconnected: boolean;
  /** Module names of the collapsed layers. */
  collapsedLayers: string[];
}

export interface LayerTable {
  layers: LayerStatsRow[];
  network: NetworkRow;
}

/** min(x, 1) forward, min(dy, 1) backward: bounded path counts that stay > 0 where they were. */
const clipUnit: (x: Tensor) => Tensor = tf.customGrad(((...args: unknown[]) => {
  const [x] = args as [Tensor];
  return { value: tf.minimum(x, 1), gradFunc: (dy: Tensor) => tf.minimum(dy, 1) };
}) as never) as unknown as (x: Tensor) => Tensor;

/** The path network's ops: 0/1 weights, no biases, positive identities elsewhere. */
class PathOps implements LayerOps {
  constructor(private readonly weights: Map<string, Tensor>) {}

  private weight(layer: string): Tensor {
    const w = this.weights.get(layer);
    if (!w) throw new Error(`layer stats: "${layer}" is not a prunable layer`);
    return w;
  }

  conv(x: Tensor4D, layer: string, g: ConvGeometry): Tensor4D {
    return clipUnit(conv2d(x, this.weight(layer) as Tensor4D, g)) as Tensor4D;
  }

  linear(x: Tensor2D, layer: string): Tensor2D {
    return clipUnit(tf.matMul(x, this.weight(layer) as Tensor2D)) as Tensor2D;
  }

  batchNorm(x: Tensor4D): Tensor4D {
    return x;
  }

  relu<T extends Tensor>(x: T): T {
    return x;
  }

  cut<T extends Tensor>(x: T): T {
    return clipUnit(x) as T;
  }

  channelScale(x: Tensor4D): Tensor4D {
    return x;
  }
}

/**
 * Per-layer and network statistics of a masked model (masks: 0/1 tensors in tfjs layout keyed by
 * weight name; a missing mask means the layer is dense). Frees every tensor it makes.
 */
export async function layerStats(model: Model, masks?: ParamMap): Promise<LayerTable> {
  const [c, h, w] = model.input;
  const layers = model.prunable;
  for (const l of layers) {
    const m = masks?.[l.weight];
    if (m && m.shape.join(',') !== l.shape.join(','))
      throw new Error(`layer stats: mask "${l.weight}" has shape [${m.shape}], expected [${l.shape}] (tfjs layout)`);
  }
  // per layer: kept, effective, keptUnits, effectiveUnits; then the flow R
  const counts = tf.tidy(() => {
    const kept = layers.map((l) => {
      const m = masks?.[l.weight];
      return m ? tf.cast(tf.notEqual(m, 0), 'float32') : tf.ones(l.shape);
    });
    let flow: Tensor = tf.scalar(0);
    const grads = tf.grads((...ws: Tensor[]) => {
      const ops = new PathOps(new Map(layers.map((l, i) => [l.module, ws[i]])));
      const r = tf.sum(model.forward(tf.ones([1, h, w, c]) as Tensor4D, ops));
      flow = tf.keep(tf.clone(r));
      return r as tf.Scalar;
    })(kept);
    const rows = layers.map((l, i) => {
      const effective = tf.mul(kept[i], tf.cast(tf.greater(grads[i], 0), 'float32'));
      const fanInAxes = l.shape.slice(0, -1).map((_, a) => a); // output units are the last axis
      const unitsWith = (t: Tensor) => tf.sum(tf.cast(tf.greater(tf.sum(t, fanInAxes), 0), 'float32'));
      return tf.stack([tf.sum(kept[i]), tf.sum(effective), unitsWith(kept[i]), unitsWith(effective)]);
    });
    const out = tf.concat([tf.reshape(tf.stack(rows), [-1]), tf.reshape(flow, [1])]);
    flow.dispose();
    return out;
  });
  const v = (await counts.data()) as Float32Array;
  counts.dispose();

  const rows: LayerStatsRow[] = layers.map((l, i) => {
    const [kept, effective, keptUnits, effectiveUnits] = [v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]];
    const positions = (model.macsPerLayer[l.weight] ?? l.numel) / l.numel;
    return {
      layer: l.module,
      weight: l.weight,
      kind: l.kind,
      total: l.numel,
      kept,
      density: kept / l.numel,
      effective,
      dead: kept - effective,
      effectiveDensity: effective / l.numel,
      outUnits: l.outUnits,
      keptUnits,
      outputWidth: keptUnits / l.outUnits,
      effectiveUnits,
      effectiveWidth: effectiveUnits / l.outUnits,
      collapsed: effective === 0,
      positions,
      flops: 2 * kept * positions,
      flopsEffective: 2 * effective * positions,
      flopsDense: 2 * l.numel * positions,
    };
  });
  const sum = (f: (r: LayerStatsRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const total = sum((r) => r.total);
  const kept = sum((r) => r.kept);
  const effective = sum((r) => r.effective);
  const flow = v[4 * layers.length];
  return {
    layers: rows,
    network: {
      total,
      kept,
      density: kept / total,
      effective,
      dead: kept - effective,
      effectiveDensity: effective / total,
      flops: sum((r) => r.flops),
      flopsEffective: sum((r) => r.flopsEffective),
      flopsDense: sum((r) => r.flopsDense),
      disconnected: !(flow > 0),
      collapsedLayers: rows.filter((r) => r.collapsed).map((r) => r.layer),
    },
  };
}

const SNAKE: Record<string, string> = {};

/** camelCase → snake_case (the CLI's JSON and CSV use snake_case, like the NTK file). */
export function snakeCase(key: string): string {
  return (SNAKE[key] ??= key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

const CSV_COLUMNS: Array<keyof LayerStatsRow> = [
  'layer',
  'weight',
  'kind',
  'total',
  'kept',
  'density',
  'effective',
  'dead',
  'effectiveDensity',
  'outUnits',
  'keptUnits',
  'outputWidth',
  'effectiveUnits',
  'effectiveWidth',
  'collapsed',
  'positions',
  'flops',
  'flopsEffective',
  'flopsDense',
];

/**
 * The table as CSV (snake_case headers): one row per layer, then a "(network)" row whose
 * `collapsed` cell says whether the network is disconnected.
 */
export function layerTableCsv(t: LayerTable): string {
  const lines = [CSV_COLUMNS.map(snakeCase).join(',')];
  for (const r of t.layers) lines.push(CSV_COLUMNS.map((c) => String(r[c])).join(','));
  const n = t.network;
  const net: Partial<Record<keyof LayerStatsRow, string | number | boolean>> = {
    layer: '(network)',
    total: n.total,
    kept: n.kept,
    density: n.density,
    effective: n.effective,
    dead: n.dead,
    effectiveDensity: n.effectiveDensity,
    collapsed: n.disconnected,
    flops: n.flops,
    flopsEffective: n.flopsEffective,
    flopsDense: n.flopsDense,
  };
  lines.push(CSV_COLUMNS.map((c) => String(net[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
