#!/usr/bin/env node
// Regenerates the shipped pretrained zoo weights (public/pretrained/) with the lab's own trainer
// (`px-lab train --method dense`, the official recipe; weight decay per checkpoint) and writes
// their manifest.
//   node scripts/pretrain.mjs                 every checkpoint
//   node scripts/pretrain.mjs convnet-fashion-mnist   one (the manifest keeps the others)
// Deterministic: the same seed, recipe and backend give the same bytes (seeded init and shuffle).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'pretrained');
const manifestPath = join(outDir, 'manifest.json');

/**
 * What is shipped, trained to convergence on this CPU (see docs/transfer.md). `trainPerClass`:
 * train on that many images per class, built for this script only (the page serves 1,000 per class
 * of Fashion-MNIST, on which these nets stop short of 90%); the test split is the page's.
 */
export const CHECKPOINTS = [
  // shifts of up to 2 pixels (MNIST's augmentation): without them the MLP fits its training set
  // (loss 0.004) and stops at 97.45–97.95% over seeds
  { id: 'mlp-mnist', arch: 'mlp', dataset: 'mnist', epochs: 20, seed: 0, weightDecay: 5e-4, augment: true },
  { id: 'convnet-fashion-mnist', arch: 'convnet', dataset: 'fashion-mnist', trainPerClass: 5900, epochs: 8, seed: 0 },
  { id: 'resnet20-fashion-mnist', arch: 'resnet20', dataset: 'fashion-mnist', trainPerClass: 5900, epochs: 8, seed: 0 },
];
const RECIPE = { batchSize: 128, lr: 0.1, momentum: 0.9, weightDecay: 1e-4, schedule: 'multistep', augment: false };

/** The folder of a larger training split (built once by build-datasets.mjs into tmp/, not shipped). */
function trainData(c) {
  if (!c.trainPerClass) return [];
  const out = join('tmp', `pretrain-data-${c.trainPerClass}`);
  const args = [
    join(root, 'scripts', 'build-datasets.mjs'),
    '--dataset',
    c.dataset,
    '--train-per-class',
    String(c.trainPerClass),
    '--out',
    out,
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`pretrain ${c.id}: building ${c.trainPerClass} images per class failed`);
  return ['--data', join(root, out)];
}

function train(c) {
  const file = `${c.id}.safetensors`;
  const log = join(outDir, `${c.id}.log.json`);
  const args = [
    join(root, 'bin', 'px-lab.mjs'),
    'train',
    '--arch',
    c.arch,
    '--dataset',
    c.dataset,
    '--method',
    'dense',
    '--epochs',
    String(c.epochs),
    '--seed',
    String(c.seed),
    '--batch-size',
    String(RECIPE.batchSize),
    '--lr',
    String(RECIPE.lr),
    '--momentum',
    String(RECIPE.momentum),
    '--weight-decay',
    String(c.weightDecay ?? RECIPE.weightDecay),
    '--schedule',
    RECIPE.schedule,
    (c.augment ?? RECIPE.augment) ? '--augment' : '--no-augment',
    ...trainData(c),
    '--out',
    join(outDir, file),
    '--log',
    log,
  ];
  console.error(`pretrain ${c.id}: px-lab ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`pretrain ${c.id} failed (exit ${r.status})`);
  const summary = JSON.parse(readFileSync(log, 'utf8'));
  rmSync(log);
  const bytes = readFileSync(join(outDir, file));
  return {
    id: c.id,
    arch: c.arch,
    dataset: c.dataset,
    file,
    seed: c.seed,
    epochs: c.epochs,
    steps: summary.steps,
    recipe: summary.recipe,
    ...(summary.augmentation ? { augmentation: summary.augmentation } : {}),
    data: summary.dataset,
    backend: summary.backend,
    test_accuracy: summary.test_accuracy,
    test_loss: summary.test_loss,
    epoch_accuracy: summary.epochs.map((e) => e.testAccuracy),
    train_seconds: Math.round(summary.train_seconds),
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

const only = process.argv.slice(2);
const chosen = only.length ? CHECKPOINTS.filter((c) => only.includes(c.id)) : CHECKPOINTS;
if (only.length && chosen.length !== only.length) {
  console.error(`unknown checkpoint (known: ${CHECKPOINTS.map((c) => c.id).join(', ')})`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
for (const c of chosen) {
  const entry = train(c);
  // re-read so parallel runs of single checkpoints keep each other's entries
  const manifest = existsSync(manifestPath)
    ? JSON.parse(readFileSync(manifestPath, 'utf8'))
    : { kind: 'px-lab-pretrained', checkpoints: [] };
  manifest.generator = 'node scripts/pretrain.mjs (px-lab train --method dense, Node wasm)';
  manifest.checkpoints = [...manifest.checkpoints.filter((e) => e.id !== c.id), entry].sort(
    (a, b) => CHECKPOINTS.findIndex((x) => x.id === a.id) - CHECKPOINTS.findIndex((x) => x.id === b.id),
  );
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  console.error(`pretrain ${c.id}: test accuracy ${(100 * entry.test_accuracy).toFixed(2)}%, sha256 ${entry.sha256}`);
}
