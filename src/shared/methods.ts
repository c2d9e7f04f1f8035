// What the page, the exports and the official command line need to know about each pruning
// method. Descriptions are copied from the `description` fields of src/core/pruners/*.ts (the
// page may not import src/core); keep them in sync when a pruner's text changes.
import { ITERATIVE_METHODS, METHOD_NAMES, type MethodId } from './config';

export interface MethodInfo {
  id: MethodId;
  /** Short human label ("SynFlow"). */
  label: string;
  /** Chart colour, the same in every chart and in light/dark mode. */
  color: string;
  /** One sentence on what the method scores. */
  description: string;
  /** Run for many rounds by default (PX, SynFlow, NTK-SAP). */
  iterative: boolean;
  /** `--pruner` / `--experiment` class name in the official PyTorch code. */
  official: string;
  /** True when the official code runs exactly this method (px is the lab's BN-on-running-statistics variant). */
  officialExact: boolean;
  /** Where the method comes from (paper / official commit / lab variant), shown beside its label. */
  provenance: string;
}

export const METHOD_INFO: Record<MethodId, MethodInfo> = {
  px: {
    id: 'px',
    label: 'PX — lab (BN running stats)',
    color: '#d62728',
    description: 'PX: keeps the weights that most affect an upper bound of the NTK trace (data-driven path kernel); BatchNorm on running statistics.',
    iterative: true,
    official: 'PX',
    officialExact: false,
    provenance: 'official code ed6c40e (2025) with BatchNorm of its copies on running statistics (lab variant)',
  },
  snip: {
    id: 'snip',
    label: 'SNIP',
    color: '#1f77b4',
    description: 'SNIP: keeps the weights whose removal would change the training loss most (|gradient × weight|).',
    iterative: false,
    official: 'SNIP',
    officialExact: true,
    provenance: 'SNIP (Lee et al. 2019) as in the official code',
  },
  synflow: {
    id: 'synflow',
    label: 'SynFlow',
    color: '#2ca02c',
    description: 'SynFlow: data-free; keeps the weights carrying the most synaptic flow (|θ|-network on an all-ones input).',
    iterative: true,
    official: 'SynFlow',
    officialExact: true,
    provenance: 'SynFlow (Tanaka et al. 2020) as in the official code',
  },
  grasp: {
    id: 'grasp',
    label: 'GraSP',
    color: '#9467bd',
    description: 'GraSP: keeps the weights that most preserve gradient flow (Hessian-gradient product × weight).',
    iterative: false,
    official: 'GraSP',
    officialExact: true,
    provenance: 'GraSP (Wang et al. 2020) as in the official code',
  },
  mag: {
    id: 'mag',
    label: 'Magnitude',
    color: '#8c564b',
    description: 'Magnitude: keeps the weights with the largest |w| at initialisation.',
    iterative: false,
    official: 'Mag',
    officialExact: true,
    provenance: 'magnitude baseline as in the official code',
  },
  rand: {
    id: 'rand',
    label: 'Random',
    color: '#7f7f7f',
    description: 'Random: every weight gets a random score (a baseline any method must beat).',
    iterative: false,
    official: 'Rand',
    officialExact: true,
    provenance: 'random baseline as in the official code',
  },
  ntksap: {
    id: 'ntksap',
    label: 'NTK-SAP',
    color: '#17becf',
    description: 'NTK-SAP: keeps the weights that most change the network output under small random weight perturbations (an NTK spectrum proxy), on random weights and inputs.',
    iterative: true,
    official: 'NTKSAP',
    officialExact: true,
    provenance: 'NTK-SAP (Wang et al. 2023) as in the official code',
  },
  'px-official': {
    id: 'px-official',
    label: 'PX — official code (2025)',
    color: '#ff7f0e',
    description: 'PX-official: PX exactly as the official code (BatchNorm of its copies in training mode; degenerate on BN networks).',
    iterative: true,
    official: 'PX',
    officialExact: true,
    provenance: 'official code at HEAD, commit ed6c40e (2025)',
  },
  'px-2024': {
    id: 'px-2024',
    label: 'PX — as published (2024)',
    color: '#e377c2',
    description: 'PX as published (2024, official commit 82ce2bf): every copy on batch statistics; fc squared too; z1 is the net itself (the release\'s fill with ones is a no-op); score |∂Σz1·z2/∂θ²|·|θ|⁵; first 2 batches.',
    iterative: true,
    official: 'PX',
    officialExact: true,
    provenance: 'official release with the paper, commit 82ce2bf (2024-04-09): the published numbers',
  },
};

/** Methods in the order the page lists them: the three PX variants together (as published, the
 * lab's, the official code at HEAD), then the rest. */
export const METHOD_ORDER: readonly MethodId[] = ['px-2024', 'px', 'px-official', ...METHOD_NAMES.filter((m) => !m.startsWith('px'))];

/** Colour of the dense reference network. */
export const DENSE_COLOR = '#555555';

export function methodInfo(id: MethodId): MethodInfo {
  return METHOD_INFO[id];
}

// keep the table and config's ITERATIVE_METHODS consistent at load time (cheap, and a typo shows at once)
if (new Set(METHOD_ORDER).size !== METHOD_NAMES.length || METHOD_ORDER.length !== METHOD_NAMES.length) throw new Error('methods.ts: METHOD_ORDER must list every method once');
for (const id of METHOD_NAMES) {
  if (METHOD_INFO[id].iterative !== ITERATIVE_METHODS.includes(id)) throw new Error(`methods.ts: ${id}.iterative disagrees with ITERATIVE_METHODS`);
}
