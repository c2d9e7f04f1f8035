// Fuzz suite: hostile links through the URL parser. Seeded (same cases every run),
// bounded; every case must give a valid state, short one-line notices, and a link that reads back
// as the same state with no notice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunConfigSchema } from '../../src/shared/config';
import { MAX_NOTICES, URL_FIELDS, configOf, parseUrlState, sameUrlState, serializeUrlState } from '../../src/shared/urlState';

export const URL_FUZZ_CASES = 50_000;

const params = [...URL_FIELDS.map((f) => f.param), '__proto__', 'constructor', 'x', ''];
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-0',
    '0x10',
    '1e-400',
    '%',
    '%E0%A4%A',
    '%00',
    '<script>',
    '\u202e',
    '9'.repeat(400),
    ' 3 ',
    '+5',
    '.5',
    '5.',
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc
    .array(fc.constantFrom('px', 'snip', 'grasp', 'synflow', 'mag', 'rand', 'ntksap', 'px-official', 'evil', ''), { maxLength: 12 })
    .map((a) => a.join(',')),
);
const query = fc
  .array(fc.tuple(fc.constantFrom(...params), hostile, fc.boolean()), { maxLength: 14 })
  .map((pairs) => pairs.map(([k, v, enc]) => `${k}=${enc ? encodeURIComponent(v) : v}`).join('&'));

describe(`URL fuzz: ${URL_FUZZ_CASES} seeded hostile links`, () => {
  it('each gives a valid state, clear notices and a stable link', () => {
    const tally = { cases: 0, withNotices: 0, crashes: 0, unclear: 0 };
    fc.assert(
      fc.property(query, fc.boolean(), (q, lead) => {
        tally.cases++;
        let r;
        try {
          r = parseUrlState(lead ? `?${q}` : q);
        } catch {
          tally.crashes++;
          return false;
        }
        if (r.notices.length) tally.withNotices++;
        const clear =
          r.notices.length <= MAX_NOTICES &&
          r.notices.every(
            (n) => n.length < 300 && !n.includes('\n') && !/[\u0000-\u001f\u007f]/.test(n) && !/\b(undefined|null|NaN)\b(?!")/.test(n),
          );
        if (!clear) tally.unclear++;
        RunConfigSchema.parse(configOf(r.state));
        const back = parseUrlState(serializeUrlState(r.state));
        return clear && back.notices.length === 0 && sameUrlState(back.state, r.state);
      }),
      { numRuns: URL_FUZZ_CASES, seed: 14 },
    );
    console.log(`[fuzz:url] ${JSON.stringify(tally)}`);
    expect(tally).toMatchObject({ cases: URL_FUZZ_CASES, crashes: 0, unclear: 0 });
  });
});
