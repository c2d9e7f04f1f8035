// Helpers the model files use to declare their parameters in PyTorch state_dict order.
import type { ArchSpec, Model, ParamInfo, PrunableLayer } from './types';

export class ParamBuilder {
  readonly params: ParamInfo[] = [];
  readonly prunable: PrunableLayer[] = [];
  readonly macsPerLayer: Record<string, number> = {};

  conv(module: string, cin: number, cout: number, k: number, bias: boolean, outH: number, outW: number): void {
    const fanIn = cin * k * k;
    const torchShape = [cout, cin, k, k];
    const shape = [k, k, cin, cout];
    this.params.push({ name: `${module}.weight`, module, role: 'weight', torchShape, shape, fanIn });
    if (bias) this.params.push({ name: `${module}.bias`, module, role: 'bias', torchShape: [cout], shape: [cout], fanIn });
    this.prunable.push({
      module,
      weight: `${module}.weight`,
      kind: 'conv',
      torchShape,
      shape,
      numel: cout * fanIn,
      outUnits: cout,
      inUnits: cin,
    });
    this.macsPerLayer[`${module}.weight`] = cout * fanIn * outH * outW;
  }

  linear(module: string, fin: number, fout: number, bias = true): void {
    const torchShape = [fout, fin];
    this.params.push({ name: `${module}.weight`, module, role: 'weight', torchShape, shape: [fin, fout], fanIn: fin });
    if (bias) this.params.push({ name: `${module}.bias`, module, role: 'bias', torchShape: [fout], shape: [fout], fanIn: fin });
    this.prunable.push({
      module,
      weight: `${module}.weight`,
      kind: 'linear',
      torchShape,
      shape: [fin, fout],
      numel: fin * fout,
      outUnits: fout,
      inUnits: fin,
    });
    this.macsPerLayer[`${module}.weight`] = fin * fout;
  }

  batchNorm(module: string, c: number): void {
    const roles: Array<[string, ParamInfo['role']]> = [
      ['weight', 'bn_weight'],
      ['bias', 'bn_bias'],
      ['running_mean', 'bn_mean'],
      ['running_var', 'bn_var'],
    ];
    for (const [suffix, role] of roles)
      this.params.push({ name: `${module}.${suffix}`, module, role, torchShape: [c], shape: [c], fanIn: 0 });
  }

  /** The model whose parameters were declared, with its forward pass. */
  model(kind: string, label: string, spec: ArchSpec, input: [number, number, number], classes: number, forward: Model['forward']): Model {
    return { kind, label, spec, input, classes, params: this.params, prunable: this.prunable, macsPerLayer: this.macsPerLayer, forward };
  }

  identity(module: string, c: number): void {
    this.params.push({ name: `${module}.weight`, module, role: 'identity', torchShape: [c, 1, 1], shape: [c], fanIn: 0 });
  }
}

/** PyTorch conv output size for symmetric padding. */
export function convOut(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}
