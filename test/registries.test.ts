// The tables in src/shared/ (methods, models, datasets) against the registries in core and the
// CLI: every table row has its implementation and every implementation its row, with the same
// facts. Adding a pruner, a model or a dataset without its row (or a row without its code) fails
// here (docs/architecture.md, "Add a pruner / a model / a dataset").
import { describe, expect, it } from 'vitest';
import { DATASETS as CORE_DATASETS } from '../src/core/data/registry';
import { isBundled } from '../src/core/data/packed';
import { NORMALIZATION } from '../src/core/data/normalization';
import { buildModel, ZOO } from '../src/core/models';
import { makePruner, parseMethod, PRUNERS } from '../src/core/pruners';
import { DATASET_HELP, loadBundledFromDisk, openDatasetForCli } from '../src/cli/datasets';
import { DATASETS, DATASET_NAMES, DATASET_OPTIONS } from '../src/shared/datasets';
import { ITERATIVE_METHODS, METHODS, METHOD_INFO, METHOD_NAMES } from '../src/shared/methods';
import { MODELS, MODEL_NAMES, MODEL_OPTIONS } from '../src/shared/models';
import { RunConfigSchema, DEFAULT_CONFIG } from '../src/shared/config';

/** What one list has that the other lacks, both ways (empty when they agree). */
function disagreement(table: readonly string[], registry: readonly string[]): string[] {
  return [
    ...table.filter((x) => !registry.includes(x)).map((x) => `row without code: ${x}`),
    ...registry.filter((x) => !table.includes(x)).map((x) => `code without row: ${x}`),
  ];
}

describe('the check itself', () => {
  it('reports a planted row without code and code without a row', () => {
    expect(disagreement([...METHOD_NAMES, 'new-pruner'], Object.keys(PRUNERS))).toEqual(['row without code: new-pruner']);
    expect(disagreement(METHOD_NAMES.slice(1), Object.keys(PRUNERS))).toEqual([`code without row: ${METHOD_NAMES[0]}`]);
  });
});

describe('methods: src/shared/methods.ts ↔ core/pruners', () => {
  it('every row has a pruner and every pruner a row', () => {
    expect(disagreement(METHOD_NAMES, Object.keys(PRUNERS))).toEqual([]);
    expect(new Set(METHOD_NAMES).size).toBe(METHODS.length);
  });
  it('each pruner is the row it is registered under, reading a known kind of data', () => {
    for (const id of METHOD_NAMES) {
      const p = makePruner(id);
      expect(p.method).toBe(id);
      expect(['none', 'loss-batches', 'subset', 'input-shape']).toContain(p.data);
      if (p.batchLimit !== undefined) expect(p.data).toBe('loss-batches');
      expect(METHOD_INFO[id].id).toBe(id);
      expect(METHOD_INFO[id].memoryFactor).toBeGreaterThan(0);
    }
    expect(ITERATIVE_METHODS).toEqual(METHODS.filter((m) => m.iterative).map((m) => m.id));
  });
  it('labels and colours tell methods apart', () => {
    expect(new Set(METHODS.map((m) => m.label)).size).toBe(METHODS.length);
    expect(new Set(METHODS.map((m) => m.color)).size).toBe(METHODS.length);
  });
  it('user input is checked against the table', () => {
    expect(parseMethod('snip')).toBe('snip');
    expect(() => parseMethod('foo')).toThrow(`unknown method "foo" (known: ${METHOD_NAMES.join(', ')})`);
    expect(RunConfigSchema.safeParse({ ...DEFAULT_CONFIG, methods: [...METHOD_NAMES] }).success).toBe(true);
    expect(RunConfigSchema.safeParse({ ...DEFAULT_CONFIG, methods: ['foo'] }).success).toBe(false);
  });
});

describe('models: src/shared/models.ts ↔ core/models', () => {
  it('the zoo is the table, and every row builds to its own arch', () => {
    expect(
      disagreement(
        MODELS.map((m) => m.id),
        Object.keys(ZOO),
      ),
    ).toEqual([]);
    for (const row of MODELS) {
      const model = buildModel(row.id);
      expect(model.spec).toEqual(ZOO[row.id]);
      expect(model.prunable.length).toBeGreaterThan(0);
    }
  });
  it('the page and the URL offer the rows marked page, in table order', () => {
    const page = MODELS.filter((m) => m.page).map((m) => m.id);
    expect(MODEL_NAMES).toEqual(page);
    expect(MODEL_OPTIONS.map((o) => o.id)).toEqual(page);
    expect(RunConfigSchema.safeParse({ ...DEFAULT_CONFIG, model: 'wide_resnet20' }).success).toBe(false);
  });
});

describe('datasets: src/shared/datasets.ts ↔ core/data and the CLI', () => {
  it('core registry, page options and CLI help list the rows, in table order', () => {
    expect(CORE_DATASETS.map((d) => d.name)).toEqual(DATASET_NAMES);
    expect(DATASET_OPTIONS.map((d) => d.id)).toEqual(DATASET_NAMES);
    expect(DATASET_HELP).toBe(DATASET_NAMES.join('|'));
  });
  it('every real dataset has its normalisation; bundled ones are packed in their stored shape', async () => {
    for (const row of DATASETS) {
      expect(isBundled(row.id)).toBe(row.origin === 'bundled');
      if (row.origin === 'generated') continue;
      expect(NORMALIZATION).toHaveProperty(row.id);
      if (row.origin !== 'bundled') continue;
      const packed = await loadBundledFromDisk(row.id);
      expect(packed.manifest.shape).toEqual(row.shape);
      expect(packed.manifest.classes).toBe(row.classes);
    }
  });
  it('the CLI opens every row by name (user-file datasets ask for --data)', async () => {
    const model = buildModel('mlp');
    for (const row of DATASETS) {
      if (row.origin === 'user-files') await expect(openDatasetForCli(row.id, model, 0)).rejects.toThrow(/--data/);
      else expect((await openDatasetForCli(row.id, model, 0)).size('train')).toBeGreaterThan(0);
    }
    await expect(openDatasetForCli('nope', model, 0)).rejects.toThrow(`unknown dataset "nope" (known: ${DATASET_NAMES.join(', ')})`);
  });
});
