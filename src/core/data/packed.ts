// The bundled datasets (public/data/<name>/, built at npm install by scripts/build-datasets.mjs):
// read the manifest and the binaries through a `ReadFile` (fetch in the browser, fs in the CLI),
// decode and check them, and serve them as a LabDataset.
import { gunzipSync } from 'fflate';
import type { LabDataset } from './dataset';
import { imageDataset, packedSplit, type ImageSplit, type TargetOptions } from './image-dataset';
import { parseManifest, type Manifest, type ManifestFile } from './manifest';
import { NORMALIZATION } from './normalization';

import { BUNDLED_DATASETS, type BundledName } from '../../shared/datasets';

/** The datasets shipped as files (origin 'bundled' in src/shared/datasets.ts). */
export { BUNDLED_DATASETS, type BundledName };

export const isBundled = (name: string): name is BundledName => (BUNDLED_DATASETS as readonly string[]).includes(name);

/** Reads one file of a dataset folder ("manifest.json", "train-images.u8.gz", …). */
export type ReadFile = (file: string) => Promise<Uint8Array>;

export interface PackedData {
  manifest: Manifest;
  train: ImageSplit;
  test: ImageSplit;
}

/**
 * Bytes of a manifest entry, decoded. A server may already have undone the gzip (Content-Encoding),
 * so the decoded length decides, not the file name.
 */
export function decodeFile(raw: Uint8Array, f: ManifestFile, where: string): Uint8Array {
  if (raw.length === f.bytes) return raw;
  if (f.encoding === 'gzip' && raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    let out: Uint8Array;
    try {
      out = gunzipSync(raw);
    } catch (e) {
      throw new Error(
        `${where} is corrupted (gunzip: ${(e as Error).message}); rebuild it with \`node scripts/build-datasets.mjs --force\``,
      );
    }
    if (out.length === f.bytes) return out;
    throw new Error(
      `${where} decodes to ${out.length} bytes, the manifest says ${f.bytes}; rebuild with \`node scripts/build-datasets.mjs --force\``,
    );
  }
  throw new Error(
    `${where} has ${raw.length} bytes, the manifest says ${f.encoding === 'gzip' ? `${f.fileBytes} (gzip)` : f.bytes}; rebuild with \`node scripts/build-datasets.mjs --force\``,
  );
}

/** Loads and checks a bundled dataset: sizes, label range, per-class counts. */
export async function loadPacked(name: BundledName, read: ReadFile): Promise<PackedData> {
  const manifest = parseManifest(await read('manifest.json'), `${name}/manifest.json`);
  if (manifest.name !== name) throw new Error(`${name}/manifest.json describes "${manifest.name}"`);
  const per = manifest.shape[0] * manifest.shape[1] * manifest.shape[2];
  const splits = await Promise.all(
    (['train', 'test'] as const).map(async (split) => {
      const s = manifest.splits[split];
      const [images, labels] = await Promise.all(
        [s.images, s.labels].map(async (f) => decodeFile(await read(f.file), f, `${name}/${f.file}`)),
      );
      const counts = new Array<number>(manifest.classes).fill(0);
      for (let i = 0; i < labels.length; i++) {
        if (labels[i] >= manifest.classes)
          throw new Error(`${name}/${s.labels.file}: label ${labels[i]} at ${i} is not below ${manifest.classes}`);
        counts[labels[i]]++;
      }
      if (counts.some((n, c) => n !== s.perClass[c]))
        throw new Error(`${name}/${s.labels.file}: counts per class ${counts} differ from the manifest's ${s.perClass}`);
      return packedSplit(images, labels, per);
    }),
  );
  return { manifest, train: splits[0], test: splits[1] };
}

/** The loaded dataset served to a model input (see adapt.ts for the shape rule). */
export function packedDataset(data: PackedData, target: TargetOptions): LabDataset {
  const m = data.manifest;
  const name = m.name as BundledName;
  return imageDataset(
    {
      name,
      title: `${m.title} (${m.source.package} ${m.source.version})`,
      sourceShape: m.shape,
      classes: m.classes,
      classNames: m.classNames,
      stats: NORMALIZATION[name],
      splits: { train: data.train, test: data.test },
    },
    target,
  );
}
