// The method registry.
import { GraspPruner } from './grasp';
import { MagPruner } from './mag';
import { NtkSapPruner } from './ntksap';
import { PxPruner } from './px';
import { Px2024Pruner } from './px2024';
import { RandPruner } from './rand';
import { SnipPruner } from './snip';
import { SynFlowPruner } from './synflow';
import { METHODS, type MethodName, type Pruner } from './types';

export { METHODS };
export type { MethodName, Pruner };

export function makePruner(method: string): Pruner {
  switch (method as MethodName) {
    case 'rand': return new RandPruner();
    case 'mag': return new MagPruner();
    case 'snip': return new SnipPruner();
    case 'grasp': return new GraspPruner();
    case 'synflow': return new SynFlowPruner();
    case 'px': return new PxPruner('px');
    case 'px-official': return new PxPruner('px-official');
    case 'px-2024': return new Px2024Pruner();
    case 'ntksap': return new NtkSapPruner();
    default: throw new Error(`unknown method "${method}" (known: ${METHODS.join(', ')})`);
  }
}
