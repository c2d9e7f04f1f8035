// THE table of pruning methods: one row per method, in the order of methods in URLs and results
// (the default PX, as published, first). Everything else is derived from it: the URL/zod enums
// (config.ts), the page's labels, colours and option lists, the official command line, the CLI's
// --method lists and help, the worker's memory estimate; core's pruner registry
// (src/core/pruners/index.ts) is a Record over these ids, and test/registries.test.ts fails when
// the registry and this table disagree. Adding a pruner = one pruner file + one row here (docs/architecture.md).

export interface MethodInfo {
  id: string;
  /** Short human label ("SynFlow"). */
  label: string;
  /** Chart colour, the same in every chart and in light/dark mode. */
  color: string;
  /** One sentence on what the method scores (the page, docs/methods.md; the pruner files do not repeat it). */
  description: string;
  /** Run for many rounds by default (PX, SynFlow, NTK-SAP). */
  iterative: boolean;
  /** `--pruner` / `--experiment` class name in the official PyTorch code (null: the lab's controls, which it lacks). */
  official: string | null;
  /** True when the official code runs exactly this method (px is the lab's BN-on-running-statistics variant). */
  officialExact: boolean;
  /** Where the method comes from (paper / official commit / lab variant), shown beside its label. */
  provenance: string;
  /**
   * Memory per input of one round relative to the worker's activation estimate
   * (src/worker/memory.ts), calibrated on the wasm heap's high-water mark for ResNet-20 (Node,
   * bench/suites/node.ts): PX 9.6 MB per image (two batched forwards, the squared copy runs at batch 1),
   * SNIP 14.5 MB (forward+backward in train mode), GraSP 55–58 MB (the whole first backward stays
   * on the tape for the second).
   */
  memoryFactor: number;
}

export const METHODS = [
  {
    id: 'px-2024',
    label: 'PX — as published (2024)',
    color: '#e377c2',
    description:
      "PX as published (2024, official commit 82ce2bf): every copy on batch statistics; fc squared too; z1 is the net itself (the release's fill with ones is a no-op); score |∂Σz1·z2/∂θ²|·|θ|⁵; first 2 batches.",
    iterative: true,
    official: 'PX',
    officialExact: true,
    provenance: 'official release with the paper, commit 82ce2bf (2024-04-09): the published numbers',
    memoryFactor: 3, // three copies on each loss batch, the squared one with a backward, like SNIP
  },
  {
    id: 'px',
    label: 'PX — lab (BN running stats)',
    color: '#d62728',
    description:
      'PX: keeps the weights that most affect an upper bound of the NTK trace (data-driven path kernel); BatchNorm on running statistics.',
    iterative: true,
    official: 'PX',
    officialExact: false,
    provenance: 'official code ed6c40e (2025) with BatchNorm of its copies on running statistics (lab variant)',
    memoryFactor: 2,
  },
  {
    id: 'snip',
    label: 'SNIP',
    color: '#1f77b4',
    description: 'SNIP: keeps the weights whose removal would change the training loss most (|gradient × weight|).',
    iterative: false,
    official: 'SNIP',
    officialExact: true,
    provenance: 'SNIP (Lee et al. 2019) as in the official code',
    memoryFactor: 3,
  },
  {
    id: 'synflow',
    label: 'SynFlow',
    color: '#2ca02c',
    description: 'SynFlow: data-free; keeps the weights carrying the most synaptic flow (|θ|-network on an all-ones input).',
    iterative: true,
    official: 'SynFlow',
    officialExact: true,
    provenance: 'SynFlow (Tanaka et al. 2020) as in the official code',
    memoryFactor: 1,
  },
  {
    id: 'grasp',
    label: 'GraSP',
    color: '#9467bd',
    description: 'GraSP: keeps the weights that most preserve gradient flow (Hessian-gradient product × weight).',
    iterative: false,
    official: 'GraSP',
    officialExact: true,
    provenance: 'GraSP (Wang et al. 2020) as in the official code',
    memoryFactor: 12,
  },
  {
    id: 'mag',
    label: 'Magnitude',
    color: '#8c564b',
    description: 'Magnitude: keeps the weights with the largest |w| at initialisation.',
    iterative: false,
    official: 'Mag',
    officialExact: true,
    provenance: 'magnitude baseline as in the official code',
    memoryFactor: 1,
  },
  {
    id: 'rand',
    label: 'Random',
    color: '#7f7f7f',
    description: 'Random: every weight gets a random score (a baseline any method must beat).',
    iterative: false,
    official: 'Rand',
    officialExact: true,
    provenance: 'random baseline as in the official code',
    memoryFactor: 1,
  },
  {
    id: 'ntksap',
    label: 'NTK-SAP',
    color: '#17becf',
    description:
      'NTK-SAP: keeps the weights that most change the network output under small random weight perturbations (an NTK spectrum proxy), on random weights and inputs.',
    iterative: true,
    official: 'NTKSAP',
    officialExact: true,
    provenance: 'NTK-SAP (Wang et al. 2023) as in the official code',
    memoryFactor: 4, // two forwards and one backward (not measured)
  },
  {
    id: 'px-official',
    label: 'PX — official code (2025)',
    color: '#ff7f0e',
    description: 'PX-official: PX exactly as the official code (BatchNorm of its copies in training mode; degenerate on BN networks).',
    iterative: true,
    official: 'PX',
    officialExact: true,
    provenance: 'official code at HEAD, commit ed6c40e (2025)',
    memoryFactor: 2,
  },
  {
    id: 'erk',
    label: 'ERK random',
    color: '#bcbd22',
    description:
      'ERK (control): random positions, layer densities ∝ (n_in + n_out)/(n_in·n_out) for linear layers and (c_in + c_out + k_h + k_w)/(c_in·c_out·k_h·k_w) for convolutions, scaled to the target density, full layers capped at 1.',
    iterative: false,
    official: null,
    officialExact: false,
    provenance: 'Evci et al. 2020, "Rigging the lottery" (ICML), as rigl/sparse_utils; not in the official PX code (lab control)',
    memoryFactor: 1,
  },
  {
    id: 'uniform',
    label: 'Uniform random',
    color: '#aec7e8',
    description: 'Uniform (control): random positions, every layer kept at the target density.',
    iterative: false,
    official: null,
    officialExact: false,
    provenance: 'layer-wise uniform baseline (Gale et al. 2019; Evci et al. 2020); not in the official PX code (lab control)',
    memoryFactor: 1,
  },
  {
    id: 'imp',
    label: 'IMP (lottery ticket)',
    color: '#393b79',
    description:
      'IMP (reference): iterative magnitude pruning with rewinding: each round trains the masked net from the rewind point (the initial weights, or step j with --imp-rewind) on a few batches, prunes the smallest trained weights globally and rewinds the survivors.',
    iterative: true,
    official: null,
    officialExact: false,
    provenance: 'Frankle & Carbin 2019 (lottery tickets), Frankle et al. 2020 (rewinding); not in the official PX code (lab reference)',
    memoryFactor: 3, // a training step per batch, like SNIP
  },
] as const satisfies readonly MethodInfo[];

export type MethodId = (typeof METHODS)[number]['id'];

/** Method ids in table order (URLs, results, the CLI's lists). */
export const METHOD_NAMES: readonly MethodId[] = METHODS.map((m) => m.id);

/** Methods the official code runs for many rounds; the others are one-shot by default. */
export const ITERATIVE_METHODS: readonly MethodId[] = METHODS.filter((m) => m.iterative).map((m) => m.id);

/** How many rounds a run's settings mean for a method: the table's iterative methods run
 * `rounds`, the one-shot ones `oneShotRounds` (1 where a setting has none, as `px-lab sweep`
 * and transfer plans). The one rule: the page, the worker, Train plans, transfer and the CLI. */
export function roundsFor(settings: { rounds: number; oneShotRounds?: number }, method: MethodId): number {
  return (ITERATIVE_METHODS as readonly string[]).includes(method) ? settings.rounds : (settings.oneShotRounds ?? 1);
}

export const METHOD_INFO = Object.fromEntries(METHODS.map((m) => [m.id, m])) as Record<MethodId, MethodInfo & { id: MethodId }>;

export function isMethodId(s: string): s is MethodId {
  return (METHOD_NAMES as readonly string[]).includes(s);
}

/** Methods in the order the page lists them: the three PX variants together (as published, the
 * lab's, the official code at HEAD), then the rest. */
export const METHOD_ORDER: readonly MethodId[] = ['px-2024', 'px', 'px-official', ...METHOD_NAMES.filter((m) => !m.startsWith('px'))];
