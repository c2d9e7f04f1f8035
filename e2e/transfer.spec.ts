// Weights and the Transfer mode end to end, against the built app and the real worker:
// - the shipped pretrained ConvNet (Fashion-MNIST) in Transfer mode Fashion-MNIST → MNIST, the
//   default methods (PX as published and at the official HEAD, SNIP, SynFlow, random) at two
//   densities: the chart draws a probe line (solid) and a zero-shot line (dashed) for every method
//   and the dense line, and every zero-shot and probe accuracy equals `npx px-lab transfer` with
//   the same settings;
// - a checkpoint exported by `px-lab train` imported, the page reloaded: still in use (IndexedDB);
//   the link opened where the file is not held says so and takes the file back (same sha256);
// - bad weight files (wrong name, wrong shape, NaN, truncated, another architecture): each its
//   own message, the previous weights stay in use and the page keeps running.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { METHOD_INFO, type MethodId } from '../src/shared/methods';
import { DEFAULT_TRANSFER } from '../src/shared/transfer';
import { parseSafetensors, writeSafetensors, type TensorToWrite } from '../src/shared/safetensors';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'pxlab-e2e-transfer-'));

function cli(args: string[]): void {
  execFileSync('npx', ['px-lab', ...args], { stdio: 'pipe' });
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

// Short settings for two shared cores: 2 pruning rounds for PX/SynFlow, the head fitted on the
// first 1,000 MNIST training images, accuracy on the first 500 test images (the CLI gets the same).
// the page's default methods: PX as released (px-2024), PX at the official HEAD, SNIP, SynFlow, random
const METHODS = DEFAULT_TRANSFER.methods;
const DENSITIES = [0.1, 0.01];
// batch=128: px-lab transfer's --prune-batch-size default (a link without it gets the ConvNet's page default, 32)
const PRUNE_URL =
  '/?model=convnet&data=mnist&methods=rand&density=0.1&rounds=1&oneshot=1&batch=128&ntk=1&seed=0&weights=pretrained:convnet-fashion-mnist';

test('pretrained ConvNet, Fashion-MNIST → MNIST: every method and the dense line drawn; numbers equal px-lab transfer', async ({
  page,
}) => {
  test.setTimeout(1_500_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(PRUNE_URL);
  await expect(page.getByTestId('weights-in-use')).toContainText('pretrained: ConvNet trained on Fashion-MNIST', { timeout: 120_000 });
  await page.getByRole('tab', { name: 'Transfer' }).click();
  await expect(page.getByLabel('Transfer pair')).toHaveValue('mnist');
  await page.getByLabel('Transfer densities').fill(DENSITIES.join(', '));
  await page.getByLabel('Transfer rounds').fill('2');
  await page.getByLabel('Downstream training images (0 = all)').fill('1000');
  await page.getByLabel('Downstream test images (0 = all)').fill('500');
  await page.getByRole('button', { name: 'Run transfer' }).click();
  const card = page.locator('[data-chart="transfer"]');
  await expect(card).toHaveAttribute('data-state', 'running');
  await expect(card).toHaveAttribute('data-state', 'done', { timeout: 1_200_000 });
  await page.screenshot({ path: `${SHOTS}/transfer-01-done.png`, fullPage: true });
  for (const m of METHODS) {
    const color = METHOD_INFO[m as MethodId].color;
    // two lines per method: the probe solid, zero-shot dashed
    await expect(card.locator(`path.recharts-curve[stroke="${color}"]:not([stroke-dasharray])`)).toHaveCount(1);
    await expect(card.locator(`path.recharts-curve[stroke="${color}"][stroke-dasharray]`)).toHaveCount(1);
    await expect(card.locator('.recharts-legend-wrapper')).toContainText(METHOD_INFO[m as MethodId].label);
  }
  await expect(card.getByTestId('transfer-why')).toContainText('the dense head does not survive the shift');
  await expect(card.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(card.locator('.recharts-wrapper')).toContainText(/dense \d+\.\d\d%/);

  const shown = new Map<string, number>();
  const probes = new Map<string, number>();
  for (const row of await card.locator('tr[data-method]').all()) {
    const key = `${await row.getAttribute('data-method')}@${await row.getAttribute('data-density')}`;
    shown.set(key, Number(await row.getAttribute('data-accuracy')));
    probes.set(key, Number(await row.getAttribute('data-probe')));
  }
  const out = join(tmp, 'transfer.json');
  cli([
    'transfer',
    '--arch',
    'convnet',
    '--weights',
    'convnet-fashion-mnist',
    '--dataset',
    'mnist',
    '--method',
    METHODS.join(','),
    '--density',
    DENSITIES.join(','),
    '--rounds',
    '2',
    '--train-examples',
    '1000',
    '--test-examples',
    '500',
    '--seed',
    '0',
    '--out',
    out,
  ]);
  const ref = JSON.parse(readFileSync(out, 'utf8')) as {
    dense: { zeroShotAccuracy: number };
    cells: Array<{ method: string; density: number; zeroShotAccuracy: number; probeAccuracy: number }>;
  };
  expect(shown.get('dense@1')).toBe(ref.dense.zeroShotAccuracy);
  expect(probes.get('dense@1')).toBe(ref.dense.zeroShotAccuracy);
  expect(ref.cells).toHaveLength(METHODS.length * DENSITIES.length);
  for (const c of ref.cells) {
    expect(shown.get(`${c.method}@${c.density}`), `${c.method}@${c.density} zero-shot`).toBe(c.zeroShotAccuracy);
    expect(probes.get(`${c.method}@${c.density}`), `${c.method}@${c.density} probe`).toBe(c.probeAccuracy);
  }
  expect(errors).toEqual([]);
});

test('a px-lab train checkpoint stays in use after a reload; a link without the file asks for it; bad files each say why', async ({
  page,
  browser,
}) => {
  test.setTimeout(900_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const ckpt = join(tmp, 'mlp-ckpt.safetensors');
  cli(['train', '--arch', 'mlp', '--dataset', 'mnist', '--method', 'dense', '--steps', '2', '--seed', '1', '--out', ckpt]);
  await page.goto('/?model=mlp&data=mnist&methods=rand&density=0.1&rounds=1&oneshot=1&ntk=1&seed=0');
  await expect(page.getByTestId('weights-in-use')).toContainText('random init (seed 0)');
  await page.getByTestId('weights-file').setInputFiles(ckpt);
  await expect(page.getByTestId('weights-in-use')).toContainText('your file: mlp-ckpt.safetensors');
  await expect(page).toHaveURL(/weights=file%3A[0-9a-f]{64}%3Amlp-ckpt\.safetensors|weights=file:[0-9a-f]{64}:mlp-ckpt\.safetensors/);
  const link = page.url();
  await page.reload();
  await expect(page.getByTestId('weights-in-use')).toContainText('your file: mlp-ckpt.safetensors', { timeout: 60_000 });
  await expect(page.locator('#panel-prune')).toHaveAttribute('data-run-status', 'done', { timeout: 300_000 });
  await page.screenshot({ path: `${SHOTS}/transfer-02-reloaded.png` });

  // bad files: each its own message; the file loaded before stays in use
  const f = parseSafetensors(new Uint8Array(readFileSync(ckpt)), ckpt);
  const variant = (name: string, edit: (t: Map<string, TensorToWrite>) => void, meta: Record<string, string> = {}) => {
    const ts = new Map<string, TensorToWrite>(
      [...f.tensors].map(([n, t]) => [n, { name: n, shape: [...t.shape], dtype: t.dtype, data: t.data.slice() }]),
    );
    edit(ts);
    const p = join(tmp, name);
    writeFileSync(p, writeSafetensors([...ts.values()], meta));
    return p;
  };
  const bytes = readFileSync(ckpt);
  writeFileSync(join(tmp, 'truncated.safetensors'), bytes.subarray(0, bytes.length - 64));
  const convnetSd = join(tmp, 'convnet.safetensors');
  writeFileSync(convnetSd, readFileSync('public/pretrained/convnet-fashion-mnist.safetensors'));
  const bad: Array<[string, RegExp]> = [
    [
      variant('wrong-name.safetensors', (t) => {
        const x = t.get('l2.weight')!;
        t.delete('l2.weight');
        t.set('l2.weigth', { ...x, name: 'l2.weigth' });
      }),
      /tensor names differ: missing "l2\.weight"/,
    ],
    [
      variant('wrong-shape.safetensors', (t) => t.set('fc.bias', { name: 'fc.bias', shape: [5], data: new Float32Array(5) })),
      /"fc\.bias" has shape \[5\], MLP .* needs \[10\]/,
    ],
    [
      variant('nan.safetensors', (t) => ((t.get('l1.weight')!.data as Float32Array)[3] = NaN)),
      /tensor "l1\.weight" holds NaN at index \[0, 3\]/,
    ],
    [join(tmp, 'truncated.safetensors'), /truncated\.safetensors/],
    [convnetSd, /made for another architecture \(convnet/],
  ];
  const seen = new Set<string>();
  for (const [file, re] of bad) {
    await page.getByTestId('weights-file').setInputFiles(file);
    const msg = page.getByTestId('weights-error');
    await expect(msg).toContainText(re);
    await expect(msg).toContainText('still using your file: mlp-ckpt.safetensors');
    seen.add((await msg.textContent()) ?? '');
    await expect(page.getByTestId('weights-in-use')).toContainText('your file: mlp-ckpt.safetensors');
  }
  expect(seen.size).toBe(bad.length);
  await page.screenshot({ path: `${SHOTS}/transfer-03-bad-file.png` });
  // the model is still usable: a new run finishes
  await page.getByRole('tab', { name: 'Pruning' }).click();
  await page
    .getByRole('button', { name: /run again/i })
    .first()
    .click()
    .catch(() => undefined);
  await expect(page.locator('#panel-prune')).toHaveAttribute('data-run-status', 'done', { timeout: 300_000 });
  expect(errors).toEqual([]);

  // a damaged stored record: dropped with a notice, never used
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('px-lab-weights');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const store = db.transaction('files', 'readwrite').objectStore('files');
    const all = await new Promise<Array<{ bytes: Uint8Array }>>((ok) => {
      const r = store.getAll();
      r.onsuccess = () => ok(r.result);
    });
    for (const rec of all) {
      rec.bytes[100] ^= 0xff;
      store.put(rec);
    }
    await new Promise((ok) => (store.transaction.oncomplete = ok));
  });
  await page.reload();
  await expect(page.getByTestId('weights-notice')).toContainText('was damaged');
  await expect(page.getByTestId('weights-missing')).toContainText('mlp-ckpt.safetensors');
  await expect(page.getByTestId('weights-in-use')).toContainText('random init');
  await page.screenshot({ path: `${SHOTS}/transfer-05-damaged-record.png` });

  // the link in a browser that does not hold the file: it says so, and takes the same file back
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(link);
  await expect(p2.getByTestId('weights-missing')).toContainText('mlp-ckpt.safetensors');
  await expect(p2.getByTestId('weights-in-use')).toContainText('random init');
  await p2
    .getByTestId('weights-file')
    .setInputFiles(variant('other.safetensors', (t) => ((t.get('fc.bias')!.data as Float32Array)[0] += 1)));
  await expect(p2.getByTestId('weights-error')).toContainText('is not the file this link names');
  await p2.getByTestId('weights-file').setInputFiles(ckpt);
  await expect(p2.getByTestId('weights-in-use')).toContainText('your file: mlp-ckpt.safetensors');
  await p2.screenshot({ path: `${SHOTS}/transfer-04-link-file-loaded.png` });
  await other.close();
});
