// Density scans: for every method and seed, the method's pruning path (shared with the
// runs: cached, adopted or recorded) read at every density of the scan, each mask measured like
// a run's result (NTK trace ratio and condition, effective density, collapsed layers). Points
// depend only on the request, never on timing; they are cached per path object, so a cleared
// cache (new weights, new data) can never serve stale points.
import { METHOD_NAMES, type MethodId } from '../shared/methods';
import { scanDensities, scanSeeds, type MetricPoint, type DensityScanEvent, type DensityScanRequest } from '../shared/densityScan';
import { effectiveDensityOf, layerRows } from './layerStats';
import { throwIfAborted } from './abort';
import { LatestJob } from './latestJob';
import type { PrunePath } from './path';
import { pathFloor, pathIsExact, type LabRunner, type MetricsAdapter, type AnalysisContext } from './runner';
import { roundsFor } from '../shared/methods';
import { nextTask } from './yield';

type Emit = (e: DensityScanEvent) => void;

export class DensityScanner {
  private readonly job = new LatestJob();
  /** Points per path (weak: a path dropped from the runner's cache takes its points with it). */
  private readonly points = new WeakMap<PrunePath, Map<string, MetricPoint>>();
  private owner = 0;

  constructor(
    private readonly runner: LabRunner,
    private readonly metrics: MetricsAdapter,
  ) {}

  cancel(requestId: number): void {
    this.job.cancel(requestId);
  }

  /** Run a scan, streaming events; resolves with every point, or null when cancelled or failed. */
  run(req: DensityScanRequest, emit: Emit): Promise<MetricPoint[] | null> {
    const t0 = performance.now();
    return this.job.runToEnd(req.id, (signal) => this.scan(req, emit, signal), {
      emit,
      done: (points) => ({ points, ms: performance.now() - t0 }),
    });
  }

  private async scan(req: DensityScanRequest, emit: Emit, signal: AbortSignal): Promise<MetricPoint[]> {
    const methods = METHOD_NAMES.filter((m) => req.config.methods.includes(m));
    const seeds = scanSeeds(req.config, req.seeds);
    const densities = [...new Set(methods.flatMap((m) => scanDensities(req.config, m, pathFloor)))].sort((a, b) => b - a);
    const total = seeds.length * methods.length;
    emit({ type: 'scan-start', requestId: req.id, densities, seeds, methods, total });
    const all: MetricPoint[] = [];
    let done = 0;
    const owner = --this.owner;
    for (const seed of seeds) {
      const sc = await this.runner.analysisContext({ ...req.config, seed }, signal);
      for (const method of methods) {
        throwIfAborted(signal);
        const path = await this.runner.analysisPath(sc, method, owner);
        const pts: MetricPoint[] = [];
        for (const d of scanDensities(sc.cfg, method, pathFloor)) {
          throwIfAborted(signal);
          pts.push(await this.point(sc, path, method, d));
          // a cancel is a message: let it in between points
          await nextTask();
        }
        all.push(...pts);
        emit({ type: 'scan-points', requestId: req.id, points: pts, done: ++done, total });
      }
    }
    return all;
  }

  /** One mask of the path, measured (cached per path). */
  private async point(sc: AnalysisContext, path: PrunePath, method: MethodId, density: number): Promise<MetricPoint> {
    const key = `${density}|${sc.cfg.dataset}|${sc.cfg.ntkSamples}`;
    let byPath = this.points.get(path);
    if (!byPath) this.points.set(path, (byPath = new Map()));
    const hit = byPath.get(key);
    if (hit) return hit;
    const { model, stateDict, dense, signal } = sc;
    const mask = path.maskAt(density)!;
    let rows = layerRows(model, mask);
    if (this.metrics.layers) rows = (await this.metrics.layers({ model, mask, rows })).rows;
    const ntk = await this.metrics.ntk({ model, stateDict, mask, data: sc.data.ntkData, signal });
    const kept = rows.reduce((a, r) => a + r.kept, 0);
    const eff = effectiveDensityOf(rows);
    const p: MetricPoint = {
      method,
      seed: sc.cfg.seed,
      density,
      keptFraction: kept / path.data.total,
      source: pathIsExact(roundsFor(sc.cfg, method), density) ? 'exact' : 'path',
      ...(dense && dense.trace > 0 ? { ntkTraceRatio: ntk.trace / dense.trace } : {}),
      condition: ntk.condition,
      ...(eff !== undefined ? { effectiveDensity: eff } : {}),
      collapsedLayers: rows.filter((r) => r.collapsed).length,
    };
    byPath.set(key, p);
    return p;
  }
}
