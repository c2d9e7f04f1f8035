import { describe, expect, it } from 'vitest';
import { pageBaseUrl, publicFilesUrl, shareLink } from './shareLink';

describe('share links and the public files folder', () => {
  const sub = { origin: 'http://127.0.0.1:4186', pathname: '/lab/px/' };
  it('a link is the page address the lab is served from, with the state as its query', () => {
    expect(shareLink('v=1&model=mlp', pageBaseUrl(sub, undefined))).toBe('http://127.0.0.1:4186/lab/px/?v=1&model=mlp');
    expect(pageBaseUrl({ origin: 'https://x.github.io', pathname: '/px-lab/index.html' }, '')).toBe(
      'https://x.github.io/px-lab/index.html',
    );
  });
  it('a public URL fixed at build time wins over the serving address, without its query or hash', () => {
    expect(pageBaseUrl(sub, 'https://lab.example.org/px/?old=1#x')).toBe('https://lab.example.org/px/');
    expect(shareLink('v=1', pageBaseUrl({ origin: 'http://localhost:4173', pathname: '/' }, ' https://me.github.io/px-lab/ '))).toBe(
      'https://me.github.io/px-lab/?v=1',
    );
  });
  it('public/ resolves against the document, not the worker: relative bases follow the page folder', () => {
    expect(publicFilesUrl('./', 'http://127.0.0.1:4186/lab/px/?v=1')).toBe('http://127.0.0.1:4186/lab/px/');
    expect(publicFilesUrl('./', 'http://127.0.0.1:4186/lab/px/index.html')).toBe('http://127.0.0.1:4186/lab/px/');
    expect(publicFilesUrl('/', 'http://localhost:4173/?v=1')).toBe('http://localhost:4173/');
    expect(publicFilesUrl('/px/', 'https://h.org/px/')).toBe('https://h.org/px/');
  });
});
