// The data layer's public API: DOM-free, usable in the Web Worker and in Node. (Reading files
// with fs lives in src/cli/datasets.ts only; the CIFAR-10 test generator is test/cifar10Fixture.ts,
// outside src so the app never bundles it.)

// What a dataset is: labels and normalised NCHW batches by index.
export type { LabDataset, Split } from './dataset';

// Opening by name. openDataset: any dataset for a model input shape (the worker's entry point);
// loadBundled / clearDatasetCache: fetch-once cache of the bundled files; datasetFolderUrl /
// fetchReader: where and how the bundled files are fetched.
export {
  openDataset,
  loadBundled,
  clearDatasetCache,
  datasetFolderUrl,
  fetchReader,
  type OpenDatasetOptions,
  type FetchOptions,
} from './open';
// DATASETS: name, title, stored shape, origin and normalisation of each dataset; openSynthetic:
// synthetic data in a model's shape.
export { DATASETS, openSynthetic, type OpenOptions, type DatasetInfo } from './registry';

// CIFAR-10 from the user's files. parseCifarFiles: .tar.gz / .tar / .bin (File or bytes) with
// progress and CifarFormatError messages; cifarDataset: parsed data for a model input;
// cifarBatchRole: train/test and batch number from a file name.
export {
  parseCifarFiles,
  cifarDataset,
  cifarBatchRole,
  CifarFormatError,
  CIFAR_CLASS_NAMES,
  type CifarInput,
  type CifarData,
  type CifarBatch,
  type CifarProgress,
  type CifarParseOptions,
  type BlobLike,
} from './cifar10';

// The bundled MNIST / Fashion-MNIST files. loadPacked: read + check through any ReadFile;
// packedDataset: serve them for a model input; decodeFile: gunzip-if-needed with size checks;
// parseManifest: validate manifest.json.
export {
  BUNDLED_DATASETS,
  isBundled,
  loadPacked,
  packedDataset,
  decodeFile,
  type BundledName,
  type PackedData,
  type ReadFile,
} from './packed';
export { parseManifest, type Manifest } from './manifest';

// Scoring subset (the official rule: first k of each class, classes in order of first
// appearance) and the largest k the labels allow.
export { balancedSubset, maxPerClass } from './subset';
// Seeded training orders: shuffledIndices(dataset, split, seed, epoch), batchesOf(order, size).
export { shuffledIndices, batchesOf } from './shuffle';

// Normalisation constants (per dataset) and byte → float tables.
export { NORMALIZATION, normalizationTables, type ChannelStats } from './normalization';
// Shape adaptation (the rule is documented in adapt.ts): makeAdapter, describeAdaptation.
export { makeAdapter, describeAdaptation, type Adapter, type Shape3 } from './adapt';
// Building blocks for image datasets held as uint8 bytes.
export { imageDataset, packedSplit, partsSplit, type ImageSplit, type ImageDatasetSpec, type TargetOptions } from './image-dataset';
// Seeded synthetic data of any shape.
export { syntheticDataset, type SyntheticOptions } from './synthetic';
