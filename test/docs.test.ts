// The README stays a five-minute read and the documentation stays whole: the README is at most
// 200 lines, every relative link in README.md and docs/*.md reaches a file that exists (and a
// heading there when it names an anchor), every docs/*.md page is linked from the README, and the
// README's first px-lab example prunes with the default PX (the first row of the method table),
// not a variant a newcomer should not start from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../src/shared/methods';

const root = fileURLToPath(new URL('..', import.meta.url));
const README = join(root, 'README.md');
const DOCS = join(root, 'docs');
const docPages = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => join(DOCS, f));

/** Markdown without fenced code blocks and inline code spans (links there are examples, not links). */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`+[^`\n]*`+/g, '');
}

/** Link targets of a markdown text: inline links and images, reference definitions, HTML src/href. */
function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const refs = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  const html = [...prose.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  return [...inline, ...refs, ...html];
}

/** The file a relative link points at (anchor and query dropped), or null for absolute links and bare anchors. */
function linkedFile(fromFile: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || target.startsWith('#')) return null;
  const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
  return path ? join(dirname(fromFile), path) : null;
}

/** GitHub's heading anchors of a markdown text (lower case, punctuation dropped, spaces to hyphens, repeats numbered). */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** The anchor of a relative link to a markdown file, when it has one. */
const anchorOf = (target: string) => /^[^#]*\.md#(.+)$/.exec(target)?.[1] ?? (target.startsWith('#') ? target.slice(1) : undefined);

/** The first `px-lab` command of the first code block that has one, continuation lines joined. */
function firstPxLabCommand(markdown: string): string | null {
  for (const block of markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)) {
    const lines = block[1].replace(/\s*\\\n\s*/g, ' ').split('\n');
    const cmd = lines.map((l) => l.replace(/\s#.*$/, '').trim()).find((l) => /^(npx\s+)?px-lab\s/.test(l));
    if (cmd) return cmd;
  }
  return null;
}

const methodOf = (cmd: string) => /\s--method[=\s]+(\S+)/.exec(cmd)?.[1];

describe('the link helpers', () => {
  it('find inline links, images, reference definitions and HTML links, and skip code', () => {
    const md = [
      'See [methods](docs/methods.md#px) and ![shot](docs/img/lab.png "the page").',
      '[ref]: docs/page.md',
      '<img src="docs/img/x.png"> `[not](a-link.md)`',
      '```sh',
      'echo "[nor](this.md)"',
      '```',
      '[web](https://example.org/a.md) [here](#top)',
    ].join('\n');
    expect(linkTargets(md)).toEqual([
      'docs/methods.md#px',
      'docs/img/lab.png',
      'https://example.org/a.md',
      '#top',
      'docs/page.md',
      'docs/img/x.png',
    ]);
    expect(linkedFile('/r/docs/a.md', '../src/x.ts#L3')).toBe('/r/src/x.ts');
    expect(linkedFile('/r/README.md', 'https://example.org/a.md')).toBeNull();
    expect(linkedFile('/r/README.md', '#top')).toBeNull();
  });

  it('a planted broken link is caught', () => {
    const target = linkTargets('[gone](docs/no-such-page.md)')[0];
    expect(existsSync(linkedFile(README, target)!)).toBe(false);
  });

  it('compute GitHub heading anchors', () => {
    const anchors = headingAnchors(
      "# PX Lab\n## Command line: `score` and `prune`\n### The lab's numbers and the paper's\n```sh\n# not a heading\n```\n## Notes\n## Notes\n",
    );
    expect([...anchors]).toEqual(['px-lab', 'command-line-score-and-prune', 'the-labs-numbers-and-the-papers', 'notes', 'notes-1']);
    expect(anchorOf('docs/methods.md#which-px')).toBe('which-px');
    expect(anchorOf('#top')).toBe('top');
    expect(anchorOf('docs/img/lab.png')).toBeUndefined();
  });

  it('read the first px-lab command, continuation lines joined, comments dropped', () => {
    const md = [
      'text `px-lab prune --method px`',
      '```sh',
      '# a comment',
      'npx px-lab prune --arch mlp \\',
      '    --method px --density 0.1  # ten percent',
      'npx px-lab train --method snip',
      '```',
    ].join('\n');
    expect(firstPxLabCommand(md)).toBe('npx px-lab prune --arch mlp --method px --density 0.1');
    expect(methodOf(firstPxLabCommand(md)!)).toBe('px');
    expect(methodOf('npx px-lab sweep --arch mlp')).toBeUndefined();
  });
});

describe('README and docs/', () => {
  const readme = readFileSync(README, 'utf8');

  it('the README is at most 200 lines', () => {
    expect(readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0)).toBeLessThanOrEqual(200);
  });

  it.each([README, ...docPages].map((f) => [relative(root, f), f]))('every relative link in %s reaches a file', (_name, file) => {
    const broken = linkTargets(readFileSync(file, 'utf8')).filter((t) => {
      const target = linkedFile(file, t);
      return target !== null && !existsSync(target);
    });
    expect(broken).toEqual([]);
  });

  it.each([README, ...docPages].map((f) => [relative(root, f), f]))(
    'every anchor of a link in %s names a heading of its page',
    (_name, file) => {
      const broken = linkTargets(readFileSync(file, 'utf8')).filter((t) => {
        const anchor = anchorOf(t);
        const target = t.startsWith('#') ? file : linkedFile(file, t);
        if (anchor === undefined || target === null || !existsSync(target)) return false;
        return !headingAnchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor));
      });
      expect(broken).toEqual([]);
    },
  );

  it('every docs/*.md page is linked from the README', () => {
    const linked = new Set(
      linkTargets(readme)
        .map((t) => linkedFile(README, t))
        .filter((f): f is string => f !== null),
    );
    expect(docPages.filter((p) => !linked.has(p)).map((p) => relative(root, p))).toEqual([]);
  });

  it("the README's first px-lab example uses the default PX (or names no method)", () => {
    const defaultPx = METHODS[0].id;
    // the method table lists the default PX first
    expect(defaultPx).toMatch(/^px/);
    const cmd = firstPxLabCommand(readme);
    expect(cmd).not.toBeNull();
    expect([undefined, defaultPx]).toContain(methodOf(cmd!));
  });
});
