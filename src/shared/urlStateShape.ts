// What the page's URL carries (UrlState), its page defaults and the limits of a link. No parsing
// here: urlState.ts reads and writes links, urlFields.ts is the table of their fields.
import { DEFAULT_CONFIG, type RunConfig } from './config';
import { pageDefaults, type PageDefaults } from './models';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from './trainSettings';

/** What the URL carries: the run configuration, the Train/Sweep settings, and page options. */
export interface UrlState extends RunConfig, TrainSettings {
  /** Snap the sparsity slider to the 0.8^k grid of the literature. */
  snap: boolean;
  /** Weights in use (src/shared/pretrained.ts): "init", "pretrained:<id>" or "file:<sha256>:<name>". */
  weights: string;
  /** What the per-layer chart shows. */
  layerMetric: LayerMetric;
  /** The open section of the page. */
  tab: PageTab;
  /** The pinned reference run (its id in this browser's run history; 0: none). */
  pin: number;
  /** What the Metrics section shows: the density scan, the score histograms or the comparison. */
  metricsView: MetricsView;
  /** Seeds the density scan repeats over (the configuration's and the next ones). */
  scanSeeds: number;
  /** The history run the comparison sets beside the current one (0: the pinned run). */
  compare: number;
}

export const LAYER_METRICS = ['density', 'width'] as const;
export type LayerMetric = (typeof LAYER_METRICS)[number];
export const PAGE_TABS = ['prune', 'train', 'sweep', 'transfer', 'metrics'] as const;
export type PageTab = (typeof PAGE_TABS)[number];
export const METRICS_VIEWS = ['sweep', 'scores', 'compare'] as const;
export type MetricsView = (typeof METRICS_VIEWS)[number];

/**
 * The page opens on each model's page defaults (models.ts: fewer rounds than the paper's 100, a
 * smaller batch and fewer NTK inputs on the conv nets): exact answers in seconds on a laptop
 * (bench/suites/playground.ts); the "Paper settings" preset and the fields give the paper's in one
 * click. Links carry every field, so old links keep their meaning.
 */
export const PAGE_DEFAULT_ROUNDS = pageDefaults(DEFAULT_CONFIG.model).rounds;

/** The fields whose default depends on the model (models.ts PageDefaults). */
export const MODEL_DEFAULT_KEYS = ['rounds', 'batchSize', 'ntkSamples', 'sweepSeeds'] as const satisfies ReadonlyArray<
  keyof PageDefaults & keyof UrlState
>;

// The page opens at 0.8^10 ≈ 10.74% kept, a snap-grid point (4 significant digits, as the slider
// writes them) the slider can return to; the CLI keeps DEFAULT_CONFIG's 10%.
export const PAGE_DEFAULT_DENSITY = Number((0.8 ** 10).toPrecision(4));

export const DEFAULT_URL_STATE: UrlState = {
  ...DEFAULT_CONFIG,
  density: PAGE_DEFAULT_DENSITY,
  // the model's defaults of the link's fields (not the Transfer form's, which the URL does not carry)
  ...Object.fromEntries(MODEL_DEFAULT_KEYS.map((k) => [k, pageDefaults(DEFAULT_CONFIG.model)[k]])),
  methods: [...DEFAULT_CONFIG.methods],
  snap: true,
  weights: 'init',
  layerMetric: 'density',
  tab: 'prune',
  pin: 0,
  metricsView: 'sweep',
  scanSeeds: 1,
  compare: 0,
  ...DEFAULT_TRAIN_SETTINGS,
  sweepSeeds: pageDefaults(DEFAULT_CONFIG.model).sweepSeeds,
  sweepDensities: [...DEFAULT_TRAIN_SETTINGS.sweepDensities],
  sweepMethods: [...DEFAULT_TRAIN_SETTINGS.sweepMethods],
};

/** Version of the URL format; a URL without `v` is read as the current version. */
export const URL_VERSION = 1;

/** Longest value a field may have; longer values are refused whole (no truncation guessing). */
export const MAX_VALUE_LENGTH = 200;
/** Longest query string read at all. */
export const MAX_QUERY_LENGTH = 4096;
/** Notices shown at most (the rest are counted). */
export const MAX_NOTICES = 6;
