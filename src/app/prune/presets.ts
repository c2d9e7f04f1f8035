// One-click settings: the paper's, and a fast classroom demo. A preset sets only the fields its
// line names: the line is written from the patch itself (describePatch), so they cannot differ.
import { DEFAULT_METHODS, DENSITY_GRID } from '../../shared/config';
import { DATASET_OPTIONS } from '../../shared/datasets';
import { METHOD_INFO } from '../../shared/methods';
import { MODEL_OPTIONS } from '../../shared/models';
import type { UrlState } from '../../shared/urlState';
import { pct } from '../common/format';

export interface Preset {
  id: 'paper' | 'demo';
  label: string;
  /** One line beside the button: every setting it makes, then why. */
  explain: string;
  patch: Partial<UrlState>;
}

/** The paper's lowest density of the 0.8^k grid: 1.8% of weights kept (98.2% sparsity). */
export const PAPER_DENSITY = Math.min(...DENSITY_GRID);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How each field a preset may set is named in its line; a field missing here cannot be in a preset. */
const FIELD_WORDS: { [K in keyof UrlState]?: (v: UrlState[K]) => string } = {
  model: (v) => MODEL_OPTIONS.find((o) => o.id === v)?.label ?? v,
  dataset: (v) =>
    v === 'synthetic'
      ? 'synthetic CIFAR-shaped images'
      : (DATASET_OPTIONS.find((o) => o.id === v)?.label.replace(/ \(your file\)$/, '') ?? v),
  methods: (v) => v.map((m) => METHOD_INFO[m].label).join(' vs '),
  rounds: (v) => plural(v, 'round'),
  oneShotRounds: (v) => `${plural(v, 'round')} for one-shot methods`,
  batchSize: (v) => `batch ${v}`,
  density: (v) => `${pct(v)} of weights kept`,
  examplesPerClass: (v) => `${v} examples per class`,
  scope: (v) => (v === 'global' ? 'one global threshold' : 'the same density in every layer'),
  seed: (v) => `seed ${v}`,
};

/** "ResNet-20, 100 rounds, …": every field of the patch, in the patch's order. */
export function describePatch(patch: Partial<UrlState>): string {
  return Object.entries(patch)
    .map(([k, v]) => {
      const words = FIELD_WORDS[k as keyof UrlState] as ((v: unknown) => string) | undefined;
      if (!words) throw new Error(`a preset sets "${k}", which its line cannot name`);
      return words(v);
    })
    .join(', ');
}

function preset(id: Preset['id'], label: string, patch: Partial<UrlState>, why: string): Preset {
  return { id, label, patch, explain: `${describePatch(patch)}. ${why}` };
}

/**
 * The paper's settings (Iurada et al., CVPR 2024: ResNet-20, 100 rounds for iterative methods,
 * batch 128, 10 examples per class, 98.2% sparsity). CIFAR-10 when the user has loaded it;
 * otherwise synthetic CIFAR-shaped images, the closest shipped data, and the line says so. The
 * methods stay as chosen.
 */
export function paperPreset(cifarLoaded: boolean): Preset {
  const patch: Partial<UrlState> = {
    model: 'resnet20',
    dataset: cifarLoaded ? 'cifar10' : 'synthetic',
    rounds: 100,
    oneShotRounds: 1,
    // the official code's batch (the page's ResNet-20 default is 32, for speed)
    batchSize: 128,
    density: PAPER_DENSITY,
    examplesPerClass: 10,
    scope: 'global',
  };
  return preset(
    'paper',
    'Paper settings',
    patch,
    cifarLoaded
      ? 'The methods stay as chosen.'
      : 'CIFAR-10 is not loaded: drop its files on Dataset to use it. The methods stay as chosen.',
  );
}

/** A classroom demo: the MLP on MNIST, 20 rounds, the paper's density. */
export const DEMO_PRESET: Preset = preset(
  'demo',
  'Classroom demo',
  {
    model: 'mlp',
    dataset: 'mnist',
    methods: [...DEFAULT_METHODS],
    rounds: 20,
    oneShotRounds: 1,
    density: PAPER_DENSITY,
    examplesPerClass: 10,
    scope: 'global',
  },
  'Drag the slider once it has run.',
);

/** Whether the state already has every setting of a preset. */
export function presetActive(state: UrlState, p: Preset): boolean {
  return Object.entries(p.patch).every(([k, v]) => JSON.stringify((state as unknown as Record<string, unknown>)[k]) === JSON.stringify(v));
}
