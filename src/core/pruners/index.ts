// The pruner registry: one constructor per row of the method table (src/shared/methods.ts). A
// Record over MethodId, so a table row without a pruner (or a pruner without a row) does not
// compile; test/registries.test.ts checks the same at run time.
import { METHOD_NAMES, isMethodId, type MethodId } from '../../shared/methods';
import { ErkPruner } from './erk';
import { GraspPruner } from './grasp';
import { ImpPruner } from './imp';
import { MagPruner } from './mag';
import { NtkSapPruner } from './ntksap';
import { PxPruner } from './px';
import { Px2024Pruner } from './px2024';
import { RandPruner } from './rand';
import { SnipPruner } from './snip';
import { SynFlowPruner } from './synflow';
import { UniformPruner } from './uniform';
import type { Pruner, PrunerOptions } from './types';

export type { Pruner, PrunerOptions };

export const PRUNERS: Record<MethodId, (o: PrunerOptions) => Pruner> = {
  'px-2024': () => new Px2024Pruner(),
  px: () => new PxPruner('px'),
  snip: () => new SnipPruner(),
  synflow: () => new SynFlowPruner(),
  grasp: () => new GraspPruner(),
  mag: () => new MagPruner(),
  rand: () => new RandPruner(),
  ntksap: () => new NtkSapPruner(),
  'px-official': () => new PxPruner('px-official'),
  erk: () => new ErkPruner(),
  uniform: () => new UniformPruner(),
  imp: (o) => new ImpPruner(o.impRewind ?? 0),
};

export function makePruner(method: MethodId, options: PrunerOptions = {}): Pruner {
  // untyped callers (JSON, bench scripts) get the same clear error as parseMethod's
  return PRUNERS[parseMethod(method)](options);
}

/** A method id from user input, or an error listing the known ones. */
export function parseMethod(method: string): MethodId {
  if (!isMethodId(method)) throw new Error(`unknown method "${method}" (known: ${METHOD_NAMES.join(', ')})`);
  return method;
}
