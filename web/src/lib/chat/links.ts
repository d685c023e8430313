/**
 * Splits chat text into plain runs and web links, so the panel can render links as
 * anchors and everything else as text (never as HTML). Only http(s) URLs and `www.`
 * names count; punctuation that usually ends a sentence is left out of the link. Pure.
 */

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_LIKE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
/** Characters a sentence may put right after a link. */
const TRAILING = new Set([...'.,;:!?\'")]}']);

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_LIKE)) {
    const candidate = trimTrailing(match[0]);
    const href = candidate.toLowerCase().startsWith('www.') ? `https://${candidate}` : candidate;
    if (!isWebUrl(href)) continue;
    const start = match.index!;
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) });
    parts.push({ kind: 'link', text: candidate, href });
    at = start + candidate.length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** Drops sentence punctuation from the end, but a `)` that closes a `(` inside the link stays. */
function trimTrailing(link: string): string {
  let end = link.length;
  while (end > 0 && TRAILING.has(link[end - 1]!)) {
    const head = link.slice(0, end);
    if (link[end - 1] === ')' && count(head, '(') >= count(head, ')')) break;
    end--;
  }
  return link.slice(0, end);
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function isWebUrl(href: string): boolean {
  try {
    const url = new URL(href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return url.hostname.includes('.') || url.hostname === 'localhost';
  } catch {
    return false;
  }
}
