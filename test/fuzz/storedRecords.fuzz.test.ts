// Fuzz suite: mutated stored records through the page's parsers (src/shared/storedRecords.ts), as
// IndexedDB might hand them back after a bug, an old version or a user's edit. Seeded (same cases
// every run). Each kind starts from a valid record and gets one to three mutations at random
// paths (hostile numbers, wrong types, deleted keys, another model's count); a record accepted
// must hold no impossible value by an independent check, a record refused must say why in one
// clear line. Prints the counts.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/shared/config';
import { MODEL_NAMES } from '../../src/shared/models';
import type { RunEvent } from '../../src/shared/protocol';
import {
  BACKBONE_PRUNABLE_WEIGHTS,
  PRUNABLE_WEIGHTS,
  StoredCellSchema,
  StoredRunSchema,
  StoredWeightsSchema,
  TransferOutcomeCheckSchema,
  checkStored,
  sweepKeyFields,
} from '../../src/shared/storedRecords';
import { MockSource } from '../../src/app/dev/mockSource';
import { recordOf } from '../../src/app/shell/history';
import { emptyRun, reduceRun } from '../../src/app/common/runView';
import { mlpCell, transferOutcome } from '../storedRecordFixtures';
import type { z } from 'zod';

export const STORED_FUZZ_CASES_PER_KIND = 1_500;

type Json = unknown;
type Path = Array<string | number>;

/** Every path to a leaf (numbers, strings, booleans, null, byte arrays) and to every object/array. */
function paths(v: Json, at: Path = []): Path[] {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return [at];
  const kids = Array.isArray(v) ? v.map((x, i) => paths(x, [...at, i])) : Object.entries(v).map(([k, x]) => paths(x, [...at, k]));
  return [at, ...kids.flat()];
}

function mutate(v: Json, path: Path, value: Json, remove: boolean): Json {
  if (!path.length) return remove ? undefined : value;
  const copy = Array.isArray(v) ? [...v] : { ...(v as object) };
  const [k, ...rest] = path;
  const rec = copy as Record<string | number, Json>;
  if (rest.length) rec[k] = mutate(rec[k], rest, value, remove);
  else if (remove) delete rec[k];
  else rec[k] = value;
  return copy;
}

const hostile = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    -7,
    4.2,
    1.0000001,
    1e9,
    94_304,
    266_201,
    2 ** 53,
    0.5,
    0,
    1,
    '0.5',
    '',
    'NaN',
    null,
    true,
    [],
    {},
    'mlp',
    'lenet',
    'file:xyz',
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
);

const finiteEverywhere = (v: Json): boolean =>
  typeof v === 'number'
    ? Number.isFinite(v)
    : v !== null && typeof v === 'object' && !(v instanceof Uint8Array)
      ? Object.values(v).every(finiteEverywhere)
      : true;
const isFraction = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
const countOk = (kept: number, total: number, model: string | null, counts: Record<string, number> = PRUNABLE_WEIGHTS) =>
  Number.isInteger(kept) && kept >= 0 && kept <= total && (model === null || !(model in counts) || total === counts[model]);

/** The independent check: what no accepted record may hold. */
const IMPOSSIBLE: Record<string, (v: any) => boolean> = {
  cell: (c) => {
    const r = c.result;
    const model = sweepKeyFields(c.sweep).arch;
    const epochsOk = r.epochs.every(
      (e: any) => e.trainLoss >= 0 && (e.testAccuracy === null || isFraction(e.testAccuracy)) && (e.testLoss === null || e.testLoss >= 0),
    );
    return !(
      finiteEverywhere(c) &&
      isFraction(r.testAccuracy) &&
      r.testLoss >= 0 &&
      r.trainLoss >= 0 &&
      countOk(r.kept, r.total, model) &&
      epochsOk
    );
  },
  run: (r) =>
    !(
      finiteEverywhere(r) &&
      r.methods.every(
        (m: any) =>
          isFraction(m.summary.keptFraction) &&
          countOk(m.summary.kept, m.summary.total, r.config.model) &&
          m.summary.method === m.method &&
          m.rounds.every((x: any) => isFraction(x.kept)),
      )
    ),
  transfer: (o) =>
    !(
      finiteEverywhere(o) &&
      isFraction(o.dense.zeroShotAccuracy) &&
      o.cells.every(
        (c: any) =>
          isFraction(c.zeroShotAccuracy) &&
          (c.fineTunedAccuracy === null || isFraction(c.fineTunedAccuracy)) &&
          countOk(c.kept, c.total, o.weights.model, BACKBONE_PRUNABLE_WEIGHTS),
      )
    ),
  weights: (w) =>
    !((MODEL_NAMES as readonly string[]).includes(w.model) && w.bytes instanceof Uint8Array && /^[0-9a-f]{64}$/.test(w.sha256)),
};

/** A refusal is one line that starts with what was read and says why. */
function clear(reason: string, what: string): boolean {
  return (
    reason.startsWith(`${what}: `) &&
    reason.length > what.length + 4 &&
    reason.length <= 240 &&
    !/[\n\r\u0000-\u001f]/.test(reason) &&
    !/\[object |\bat .*:\d+:\d+/.test(reason)
  );
}

function cellBase(): Json {
  const cell = { index: 3, method: 'mag', density: 0.1, seed: 0 } as const;
  return mlpCell({ cell }, `file:${'c0'.repeat(32)}:m.safetensors`);
}

const weightsBase = (): Json => ({
  sha256: 'ab'.repeat(32),
  name: 'm.safetensors',
  model: 'mlp',
  bytes: new Uint8Array(64),
  savedAt: 1_700_000_000_000,
});

describe(`stored-record fuzz: ${STORED_FUZZ_CASES_PER_KIND} mutated records of each kind through the page's parsers`, () => {
  const bases: Record<string, { schema: z.ZodType<unknown>; what: string; base: Json }> = {};
  beforeAll(async () => {
    const config = { ...DEFAULT_CONFIG, model: 'mlp' as const, rounds: 3 };
    const events: RunEvent[] = [];
    await new MockSource().run(3, config, (e) => events.push(e));
    const run = recordOf(events.reduce(reduceRun, emptyRun(3, config)), 1_700_000_000_000, 'init');
    bases.cell = { schema: StoredCellSchema, what: 'a stored sweep cell', base: cellBase() };
    bases.run = { schema: StoredRunSchema, what: 'a stored run', base: JSON.parse(JSON.stringify(run)) };
    bases.transfer = { schema: TransferOutcomeCheckSchema, what: 'a transfer result', base: transferOutcome() as Json };
    bases.weights = { schema: StoredWeightsSchema, what: 'a stored weights file', base: weightsBase() };
  });

  it('accepts no impossible value and refuses in clear one-line messages', () => {
    const tally = { cases: 0, accepted: 0, refused: 0, impossibleAccepted: 0, unclear: 0 };
    for (const [kind, { schema, what, base }] of Object.entries(bases)) {
      // the unmutated record is valid (else the suite proves nothing)
      expect(checkStored(schema, what, base).ok, kind).toBe(true);
      const all = paths(base);
      const mutation = fc.record({ at: fc.nat(all.length - 1), value: hostile, remove: fc.boolean() });
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
          tally.cases++;
          const raw = ms.reduce((v, m) => mutate(v, all[m.at], m.value, m.remove), base);
          const r = checkStored(schema, what, raw);
          if (r.ok) {
            tally.accepted++;
            if (IMPOSSIBLE[kind](r.value)) {
              tally.impossibleAccepted++;
              if (process.env.FUZZ_DEBUG) console.log(kind, JSON.stringify(ms), JSON.stringify(r.value).slice(0, 600));
            }
          } else {
            tally.refused++;
            if (!clear(r.reason, what)) tally.unclear++;
          }
        }),
        { seed: 20_261_207 + kind.length, numRuns: STORED_FUZZ_CASES_PER_KIND },
      );
    }
    console.log(
      `stored-record fuzz: ${tally.cases} mutated records (history, sweep cells, transfer results, weight files), ${tally.accepted} accepted, ${tally.refused} refused, ${tally.impossibleAccepted} impossible values accepted, ${tally.unclear} unclear messages`,
    );
    expect(tally.cases).toBeGreaterThanOrEqual(4 * STORED_FUZZ_CASES_PER_KIND);
    expect(tally.impossibleAccepted).toBe(0);
    expect(tally.unclear).toBe(0);
    // the mutations bite: most are refused, some harmless ones are kept
    expect(tally.refused).toBeGreaterThan(tally.cases / 2);
  });
});
