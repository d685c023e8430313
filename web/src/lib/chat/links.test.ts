import { describe, expect, it } from 'vitest';
import { linkify } from './links';

describe('linkify', () => {
  it('leaves text without links as one run', () => {
    expect(linkify('hello <b>there</b>')).toEqual([{ kind: 'text', text: 'hello <b>there</b>' }]);
  });

  it('finds http(s) links between text, leaving sentence punctuation out', () => {
    expect(linkify('see https://example.com/a?b=1, then http://x.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', then ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('makes www. names https links', () => {
    expect(linkify('www.parley.dev')).toEqual([{ kind: 'link', text: 'www.parley.dev', href: 'https://www.parley.dev' }]);
  });

  it('keeps a parenthesis that belongs to the URL, drops one that closes the sentence', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Mesh_(networking))')[1]).toMatchObject({
      href: 'https://en.wikipedia.org/wiki/Mesh_(networking)',
    });
    expect(linkify('(see https://a.io)')[1]).toMatchObject({ href: 'https://a.io' });
  });

  it('never makes a link of other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>x</script>', 'file:///etc/passwd']) {
      expect(linkify(text).every((p) => p.kind === 'text')).toBe(true);
    }
  });

  it('keeps newlines in the text runs', () => {
    expect(linkify('a\nhttps://b.co\nc').map((p) => p.text)).toEqual(['a\n', 'https://b.co', '\nc']);
  });
});
