// The opener the page's Web Worker calls: any dataset by name, for a model input shape.
// Bundled files come over fetch from <baseUrl>data/<name>/ (Vite serves public/ at the base);
// CIFAR-10 comes from files the user dropped (parsed here or beforehand with parseCifarFiles).
import { cifarDataset, parseCifarFiles, type CifarData, type CifarInput, type CifarProgress } from './cifar10';
import type { LabDataset } from './dataset';
import { isBundled, loadPacked, packedDataset, type BundledName, type PackedData, type ReadFile } from './packed';
import { DATASETS, openSynthetic, type OpenOptions } from './registry';

export interface FetchOptions {
  /** Where public/ is served (the page's import.meta.env.BASE_URL), absolute or relative to the page/worker location; default "/". */
  baseUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface OpenDatasetOptions extends OpenOptions, FetchOptions {
  /** CIFAR-10 already parsed (e.g. when the files were dropped). */
  cifar?: CifarData;
  /** CIFAR-10 files to parse now (File objects or {name, bytes}). */
  cifarFiles?: readonly CifarInput[];
  onProgress?: (p: CifarProgress) => void;
  signal?: AbortSignal;
}

/** The URL of a bundled dataset's folder, ending in "/". */
export function datasetFolderUrl(name: string, baseUrl = '/'): string {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, here);
  } catch {
    throw new Error(
      `dataset base URL "${baseUrl}" cannot be resolved${here ? '' : ' (outside a browser it must be absolute, e.g. http://localhost:5173/)'}`,
    );
  }
  return new URL(`data/${name}/`, base).href;
}

/** A ReadFile over HTTP for one dataset folder, with errors that say how the files are made. */
export function fetchReader(folderUrl: string, fetchFn: typeof fetch = fetch): ReadFile {
  return async (file) => {
    const url = new URL(file, folderUrl).href;
    let res: Response;
    try {
      res = await fetchFn(url);
    } catch (e) {
      throw new Error(`could not fetch ${url} (${(e as Error).message})`);
    }
    if (!res.ok) {
      throw new Error(
        `could not load ${url} (HTTP ${res.status}); the dataset files are built into public/data by \`npm install\` (scripts/build-datasets.mjs)`,
      );
    }
    return new Uint8Array(await res.arrayBuffer());
  };
}

const loaded = new Map<string, Promise<PackedData>>();

/** Fetches (once per folder URL; later calls share it) and checks a bundled dataset. */
export function loadBundled(name: BundledName, opts: FetchOptions = {}): Promise<PackedData> {
  const folder = datasetFolderUrl(name, opts.baseUrl);
  let p = loaded.get(folder);
  if (!p) {
    p = loadPacked(name, fetchReader(folder, opts.fetch));
    loaded.set(folder, p);
    p.catch(() => loaded.delete(folder)); // a failed load is retried next time
  }
  return p;
}

/** Forgets fetched datasets (frees their memory; the next open fetches again). */
export function clearDatasetCache(): void {
  loaded.clear();
}

/**
 * Opens "mnist", "fashion-mnist", "cifar10" or "synthetic" for a model of input `shape` and
 * `classes` outputs. Images are adapted to the shape by the rule in adapt.ts; synthetic data is
 * generated in that shape from `seed`.
 */
export async function openDataset(name: string, opts: OpenDatasetOptions): Promise<LabDataset> {
  const target = { shape: opts.shape, classes: opts.classes };
  if (name === 'synthetic') return openSynthetic(opts);
  if (isBundled(name)) return packedDataset(await loadBundled(name, opts), target);
  if (name === 'cifar10') {
    if (opts.cifar) return cifarDataset(opts.cifar, target);
    if (opts.cifarFiles?.length) return cifarDataset(await parseCifarFiles(opts.cifarFiles, opts), target);
    throw new Error(
      'CIFAR-10 is not bundled (no npm package carries it): load cifar-10-binary.tar.gz or its data_batch_N.bin / test_batch.bin files first',
    );
  }
  throw new Error(`unknown dataset "${name}" (known: ${DATASETS.map((d) => d.name).join(', ')})`);
}
