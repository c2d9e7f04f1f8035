import { describe, expect, it } from 'vitest';
import { describeIsolation, isolationLine, type IsolationProbe } from './isolation';

const base: IsolationProbe = { isolated: false, secure: true, serviceWorkers: true, registered: false };
const sw = 'http://127.0.0.1:4186/lab/px/coi-serviceworker.js';

describe('which cross-origin isolation the page got', () => {
  it('isolated: by the service worker when it controls the page, else by the server headers', () => {
    expect(describeIsolation({ ...base, isolated: true, controller: sw, registered: true })).toEqual({ mode: 'service worker' });
    expect(describeIsolation({ ...base, isolated: true })).toEqual({ mode: 'headers' });
    // another site's service worker adds nothing of ours
    expect(describeIsolation({ ...base, isolated: true, controller: 'https://h/other-sw.js' })).toEqual({ mode: 'headers' });
  });
  it('not isolated: each cause has its own reason', () => {
    const reasons = [
      describeIsolation({ ...base, secure: false }),
      describeIsolation({ ...base, serviceWorkers: false }),
      describeIsolation({ ...base, controller: sw, registered: true }),
      describeIsolation({ ...base, registered: true }),
      describeIsolation(base),
    ];
    for (const r of reasons) expect(r.mode).toBe('none');
    expect(new Set(reasons.map((r) => r.reason)).size).toBe(reasons.length);
    expect(reasons[0].reason).toMatch(/HTTPS/);
    expect(isolationLine(reasons[4])).toMatch(/^Isolation: none — no COOP\/COEP headers/);
    expect(isolationLine({ mode: 'service worker' })).toMatch(/^Isolation: service worker/);
  });
});
