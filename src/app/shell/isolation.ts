// Which cross-origin isolation the page got, in words: wasm threads need it (SharedArrayBuffer).
// Servers can send the COOP/COEP headers; static hosts cannot, so a service worker
// (coi-serviceworker, registered from index.html) adds them and reloads the page once.

export type IsolationMode = 'headers' | 'service worker' | 'none';

export interface Isolation {
  mode: IsolationMode;
  /** Why not isolated (mode "none"). */
  reason?: string;
}

/** What the page can see of its isolation (a test passes its own). */
export interface IsolationProbe {
  isolated: boolean;
  secure: boolean;
  /** navigator.serviceWorker exists. */
  serviceWorkers: boolean;
  /** The script URL of the service worker that controls the page, if any. */
  controller?: string;
  /** A registration for the page's scope exists (the service worker installed). */
  registered: boolean;
}

export const SERVICE_WORKER_FILE = 'coi-serviceworker.js';

/** The isolation mode and, without one, the reason, from what the page can see. */
export function describeIsolation(p: IsolationProbe): Isolation {
  const bySw = p.controller?.endsWith(SERVICE_WORKER_FILE) === true;
  if (p.isolated) return { mode: bySw ? 'service worker' : 'headers' };
  if (!p.secure)
    return {
      mode: 'none',
      reason: 'not a secure context: service workers need HTTPS (or localhost), and the server sends no COOP/COEP headers',
    };
  if (!p.serviceWorkers)
    return {
      mode: 'none',
      reason: 'this browser offers no service workers here (a private window?), and the server sends no COOP/COEP headers',
    };
  if (bySw) return { mode: 'none', reason: 'the service worker controls the page but its headers did not apply: reload the page' };
  if (p.registered) return { mode: 'none', reason: 'the service worker is installed but not yet in control: reload the page' };
  return {
    mode: 'none',
    reason: 'no COOP/COEP headers from the server, and the service worker could not register (blocked, or still starting)',
  };
}

/** Probes this page (waits for a pending service worker registration briefly). */
export async function pageIsolation(): Promise<Isolation> {
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  const registration = sw
    ? await Promise.race([sw.getRegistration().catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, 1000))])
    : undefined;
  return describeIsolation({
    isolated: self.crossOriginIsolated === true,
    secure: self.isSecureContext === true,
    serviceWorkers: Boolean(sw),
    controller: sw?.controller?.scriptURL,
    registered: Boolean(registration),
  });
}

/** One line for the page: "Isolation: service worker (…)", "Isolation: none — <reason>". */
export function isolationLine(i: Isolation): string {
  if (i.mode === 'headers') return 'Isolation: headers (the server sends COOP/COEP)';
  if (i.mode === 'service worker') return 'Isolation: service worker (it adds COOP/COEP; the host sends none)';
  return `Isolation: none — ${i.reason}`;
}
