// manifest.json of a bundled dataset (written by scripts/build-datasets.mjs at npm install).
import { z } from 'zod';

const FileSchema = z.object({
  file: z.string().regex(/^[\w.-]+$/, 'a plain file name'),
  encoding: z.enum(['gzip', 'raw']),
  /** Bytes once decoded. */
  bytes: z.number().int().nonnegative(),
  /** Bytes on disk. */
  fileBytes: z.number().int().nonnegative(),
  /** sha256 (hex) of the decoded bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const SplitSchema = z.object({
  count: z.number().int().nonnegative(),
  perClass: z.array(z.number().int().nonnegative()),
  images: FileSchema,
  labels: FileSchema,
});

export const ManifestSchema = z
  .object({
    format: z.literal('px-lab-dataset'),
    name: z.string(),
    title: z.string(),
    shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
    dtype: z.literal('uint8'),
    classes: z.number().int().positive(),
    classNames: z.array(z.string()).optional(),
    splits: z.object({ train: SplitSchema, test: SplitSchema }),
    source: z.object({ package: z.string(), version: z.string(), rule: z.string(), provenance: z.string().optional() }),
    build: z.object({ script: z.string(), version: z.number() }).loose(),
  })
  .loose();

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = z.infer<typeof FileSchema>;

/** Parses and checks manifest.json bytes; `where` names the file in errors. */
export function parseManifest(bytes: Uint8Array, where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${where} is not JSON (${(e as Error).message})`);
  }
  const r = ManifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${where} is not a PX Lab dataset manifest: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const m = r.data;
  for (const split of ['train', 'test'] as const) {
    const s = m.splits[split];
    const per = m.shape[0] * m.shape[1] * m.shape[2];
    if (s.images.bytes !== s.count * per || s.labels.bytes !== s.count)
      throw new Error(`${where}: ${split} sizes disagree with its count (${s.count})`);
  }
  return m;
}
