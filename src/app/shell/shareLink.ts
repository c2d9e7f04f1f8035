// Where the lab lives, for links and for the worker's files: the address the page is served
// from (any host, any folder), or the public address fixed at build time (VITE_PUBLIC_URL).

/** The page's address without query or hash ("https://host/lab/px/"), from VITE_PUBLIC_URL when set. */
export function pageBaseUrl(
  loc: Pick<Location, 'origin' | 'pathname'> = location,
  publicUrl: string | undefined = import.meta.env.VITE_PUBLIC_URL,
): string {
  const fixed = publicUrl?.trim();
  if (fixed) {
    const url = new URL(fixed);
    return `${url.origin}${url.pathname}`;
  }
  return `${loc.origin}${loc.pathname}`;
}

/** The link that reopens `search` ("v=1&…", no "?") on the lab at its page address. */
export function shareLink(search: string, base: string = pageBaseUrl()): string {
  return `${base}?${search}`;
}

/** The absolute folder public/ is served from (data, pretrained weights): the worker resolves its fetches against it. */
export function publicFilesUrl(baseUrl: string = import.meta.env.BASE_URL, documentUrl: string = document.baseURI): string {
  return new URL(baseUrl, documentUrl).href;
}
