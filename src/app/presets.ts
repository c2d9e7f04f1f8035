// One-click settings: the paper's, and a fast classroom demo.
import { DEFAULT_METHODS, DENSITY_GRID } from '../shared/config';
import type { UrlState } from '../shared/urlState';

export interface Preset {
  id: 'paper' | 'demo';
  label: string;
  /** One line beside the button: what it sets and why. */
  explain: string;
  patch: Partial<UrlState>;
}

/** The paper's lowest density of the 0.8^k grid: 1.8% of weights kept (98.2% sparsity). */
export const PAPER_DENSITY = Math.min(...DENSITY_GRID);

/**
 * The paper's settings (Iurada et al., CVPR 2024: ResNet-20, 100 rounds for iterative methods,
 * 10 examples per class, 98.2% sparsity). CIFAR-10 when the user has loaded it; otherwise
 * synthetic CIFAR-shaped images, the closest shipped data, and the explanation says so.
 */
export function paperPreset(cifarLoaded: boolean): Preset {
  return {
    id: 'paper',
    label: 'Paper settings',
    explain: `ResNet-20, 100 rounds, batch 128, 1.8% of weights kept, 10 examples per class, ${cifarLoaded ? 'CIFAR-10' : 'synthetic CIFAR-shaped images (CIFAR-10 is not loaded: drop its files on Dataset to use it)'}. Minutes on a laptop.`,
    patch: {
      model: 'resnet20',
      dataset: cifarLoaded ? 'cifar10' : 'synthetic',
      methods: [...DEFAULT_METHODS, 'grasp'],
      rounds: 100,
      oneShotRounds: 1,
      // the official code's batch (the page's ResNet-20 default is 32, for speed)
      batchSize: 128,
      density: PAPER_DENSITY,
      examplesPerClass: 10,
      scope: 'global',
      seed: 0,
    },
  };
}

/** A classroom demo: the MLP on MNIST, 20 rounds (exact results in seconds), the paper's density. */
export const DEMO_PRESET: Preset = {
  id: 'demo',
  label: 'Classroom demo',
  explain: 'MLP on MNIST, PX vs SNIP vs SynFlow, 20 rounds: exact results in seconds; drag the slider.',
  patch: { model: 'mlp', dataset: 'mnist', methods: [...DEFAULT_METHODS], rounds: 20, oneShotRounds: 1, density: PAPER_DENSITY, examplesPerClass: 10, scope: 'global', seed: 0 },
};

/** Whether the state already has every setting of a preset. */
export function presetActive(state: UrlState, p: Preset): boolean {
  return Object.entries(p.patch).every(([k, v]) => JSON.stringify((state as unknown as Record<string, unknown>)[k]) === JSON.stringify(v));
}
