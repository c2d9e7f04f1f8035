// The page's one-line notices about its stores: a write the browser refused (quota, private mode)
// and records set aside on reading. Pure (tested in Node).

/** "The browser refused to store this run (QuotaExceededError: …): it stays on this page until a reload." */
export function writeFailure(what: string, e: unknown): string {
  const name = e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException) ? (e as Error).name : '';
  const detail = e instanceof Error ? e.message : String(e);
  const why =
    name === 'QuotaExceededError' ? 'the browser’s storage quota is full' : `${name && name !== 'Error' ? `${name}: ` : ''}${detail}`;
  return `The browser refused to store ${what} (${why.replace(/\s+/g, ' ').slice(0, 120)}): it is kept on this page until you reload; free some site storage or download the results.`;
}

/** "2 stored sweep cells could not be used and were set aside (not shown): <first reason>." */
export function quarantineNotice(noun: string, reasons: string[]): string | null {
  if (!reasons.length) return null;
  const n = reasons.length;
  return `${n} stored ${noun}${n > 1 ? 's' : ''} could not be read and ${n > 1 ? 'were' : 'was'} set aside (not shown): ${reasons[0]}${n > 1 ? ' …' : ''}.`;
}
