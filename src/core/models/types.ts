// What a model is in the lab: a list of PyTorch-named parameters and a forward function
// written against LayerOps. The ops decide how a weight is used (masked, squared, set to 1),
// how BatchNorm behaves (batch or running statistics), what an activation does (ReLU, a
// recorded gate, identity) and whether activations are rescaled, so every pruner runs the
// same topology in the mode it needs.
import type { Tensor, Tensor2D, Tensor4D } from '../tf';
import type { ConvGeometry } from '../conv';
import type { ArchSpec } from '../../shared/models';

export type ParamRole = 'weight' | 'bias' | 'bn_weight' | 'bn_bias' | 'bn_mean' | 'bn_var' | 'identity';

export interface ParamInfo {
  /** PyTorch state_dict name, e.g. "blocks.3.shortcut.0.weight". */
  name: string;
  /** Module name, e.g. "blocks.3.shortcut.0". */
  module: string;
  role: ParamRole;
  /** Shape in PyTorch layout: conv [out,in,kh,kw], linear [out,in], Identity2d [C,1,1]. */
  torchShape: number[];
  /** Shape in tfjs layout: conv [kh,kw,in,out], linear [in,out], Identity2d [C]. */
  shape: number[];
  /** Fan-in of the owning conv/linear layer (for init). */
  fanIn: number;
}

export interface PrunableLayer {
  /** Module name ("conv1", "blocks.0.conv2", "fc"). */
  module: string;
  /** Parameter name of the weight ("conv1.weight"); masks are saved as `${module}.weight_mask`. */
  weight: string;
  kind: 'conv' | 'linear';
  torchShape: number[];
  shape: number[];
  numel: number;
  /** Output units: channels of a conv, neurons of a linear layer. */
  outUnits: number;
  /** Input units: channels of a conv, features of a linear layer. */
  inUnits: number;
}

/** How a forward pass uses the weights of one copy of the network. */
export interface LayerOps {
  /** Convolution of `${layer}.weight` (masked), plus `${layer}.bias` when the layer has one. */
  conv(x: Tensor4D, layer: string, g: ConvGeometry): Tensor4D;
  /** x @ W (masked) + b for `${layer}`. */
  linear(x: Tensor2D, layer: string): Tensor2D;
  /** BatchNorm2d `${layer}` on NHWC input. */
  batchNorm(x: Tensor4D, layer: string): Tensor4D;
  /** The non-linearity (F.relu in the official code); call order defines the site index. */
  relu<T extends Tensor>(x: T): T;
  /** A point every input→output path crosses (used to rescale PX's all-ones copy). */
  cut<T extends Tensor>(x: T): T;
  /** Identity2d shortcut: x times `${layer}.weight` per channel. */
  channelScale(x: Tensor4D, layer: string): Tensor4D;
}

export interface Model {
  /** Zoo name ("mlp", "convnet", "resnet20", "vgg16_bn"). */
  kind: string;
  /** A short human description ("ResNet-20 (width 16), 3×32×32 → 10"). */
  label: string;
  spec: ArchSpec;
  input: [number, number, number];
  classes: number;
  /** All state_dict entries the model owns (no masks, no num_batches_tracked), state_dict order. */
  params: ParamInfo[];
  /** Masked conv/linear weights in model.modules() order (the official global order). */
  prunable: PrunableLayer[];
  /** Logits [N, classes] from NHWC input. */
  forward(x: Tensor4D, ops: LayerOps): Tensor2D;
  /** Multiply-accumulates of one dense forward pass per prunable layer (per input). */
  macsPerLayer: Record<string, number>;
}

// Arch specs are plain JSON, described with the zoo in src/shared/models.ts.
export type { ArchSpec, MlpSpec, ConvNetSpec, ResNet20Spec, Vgg16BnSpec } from '../../shared/models';
