// Everything the runner keeps between requests, in one object with one clearing policy: recorded
// pruning paths (bounded by bytes) and their rounds, finished results, dense NTKs, opened
// datasets, the inputs read from them and seeded initial weights. Least recently used entries go.
import type { LabDataset } from '../core/data/dataset';
import type { StateDict } from '../core/models/state';
import type { LayerRow, MethodSummary, NtkSpectrum } from '../shared/protocol';
import type { RequestData } from './data';
import { LruCache } from './lru';
import type { PrunePath } from './path';
import type { RoundPayload, Trail } from './summary';

/** A finished exact result, replayed as it was drawn. */
export interface CachedResult {
  summary: MethodSummary;
  trail: Trail;
  rows: LayerRow[];
  ntk: NtkSpectrum | null;
  mask: Uint8Array;
}

export interface RunCacheOptions {
  /** Bytes of pruning paths kept (default 256 MiB). */
  pathCacheBytes?: number;
  /** Finished per-method results kept (default 200). */
  resultCacheEntries?: number;
}

/** Returns the cached value for `key`, or makes, stores and returns it. */
function getOrMake<V>(cache: LruCache<V>, key: string, make: () => V): V {
  const held = cache.get(key);
  if (held !== undefined) return held;
  const made = make();
  cache.set(key, made);
  return made;
}

export class RunCache {
  private readonly paths: LruCache<PrunePath>;
  /** The rounds each cached path was recorded in (replayed on a cache hit). */
  private readonly pathRounds = new LruCache<RoundPayload[]>(64);
  /** Paths read off the last exact run of each path key (the slider's provisional answers). */
  private readonly exactRunPaths: LruCache<PrunePath>;
  private readonly results: LruCache<CachedResult>;
  private readonly denseNtks = new LruCache<NtkSpectrum>(16);
  private readonly datasets = new LruCache<Promise<LabDataset>>(3);
  private readonly inputs = new LruCache<RequestData>(4);
  private readonly stateDicts = new LruCache<StateDict>(2);

  constructor(opts: RunCacheOptions = {}) {
    this.paths = new LruCache(64, opts.pathCacheBytes ?? 256 * 1024 ** 2);
    this.exactRunPaths = new LruCache(16, opts.pathCacheBytes ?? 256 * 1024 ** 2);
    this.results = new LruCache(opts.resultCacheEntries ?? 200);
  }

  /** The path read off the newest exact run of a path key, or null. */
  exactRunPath(key: string): PrunePath | null {
    return this.exactRunPaths.get(key) ?? null;
  }

  setExactRunPath(key: string, path: PrunePath): void {
    this.exactRunPaths.set(key, path, path.bytes);
  }

  hasPath(key: string): boolean {
    return this.paths.has(key);
  }

  /** A recorded path with the rounds it was recorded in, or null. */
  path(key: string): { path: PrunePath; rounds: RoundPayload[] } | null {
    const path = this.paths.get(key);
    const rounds = this.pathRounds.get(key);
    return path && rounds ? { path, rounds } : null;
  }

  setPath(key: string, path: PrunePath, rounds: RoundPayload[]): void {
    this.paths.set(key, path, path.bytes);
    this.pathRounds.set(key, rounds);
  }

  result(key: string): CachedResult | undefined {
    return this.results.get(key);
  }

  setResult(key: string, result: CachedResult): void {
    this.results.set(key, result);
  }

  denseNtk(key: string): NtkSpectrum | undefined {
    return this.denseNtks.get(key);
  }

  setDenseNtk(key: string, ntk: NtkSpectrum): void {
    this.denseNtks.set(key, ntk);
  }

  /** An opened dataset; a failed open is not remembered. */
  dataset(key: string, open: () => Promise<LabDataset>): Promise<LabDataset> {
    return getOrMake(this.datasets, key, () => {
      const p = open();
      p.catch(() => this.datasets.delete(key));
      return p;
    });
  }

  inputsFor(key: string, read: () => RequestData): RequestData {
    return getOrMake(this.inputs, key, read);
  }

  stateDict(key: string, init: () => StateDict): StateDict {
    return getOrMake(this.stateDicts, key, init);
  }

  /** Drop everything computed (the weights changed): paths, results, NTKs and inputs. */
  clear(): void {
    this.paths.clear();
    this.pathRounds.clear();
    this.exactRunPaths.clear();
    this.results.clear();
    this.denseNtks.clear();
    this.inputs.clear();
  }

  /** Drop a dataset opened before (its files changed) and everything computed from any data. */
  forgetDataset(name: string): void {
    for (const k of this.datasets.keys()) if (k.startsWith(`${name}|`)) this.datasets.delete(k);
    this.clear();
  }

  stats(): { pathEntries: number; resultEntries: number; cacheBytes: number } {
    return { pathEntries: this.paths.size, resultEntries: this.results.size, cacheBytes: this.paths.bytes };
  }
}
