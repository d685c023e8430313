/**
 * Opus with DTX and in-band FEC. Opus fmtp parameters state what the *receiver* prefers
 * (RFC 7587): `usedtx=1` in a description asks the other side's encoder to stop sending
 * in silence, `useinbandfec=1` to carry forward error correction. peer.ts applies this to
 * each remote description before setting it, so our own encoder runs with both; the
 * other side does the same, so both directions do. Pure, tested without a browser.
 */

const WANTED: Record<string, string> = { useinbandfec: '1', usedtx: '1' };

function withParams(params: string): string {
  const pairs = params
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): [string, string] => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
    });
  const seen = new Set<string>();
  const out = pairs.map(([k, v]) => {
    seen.add(k.toLowerCase());
    return k.toLowerCase() in WANTED ? `${k}=${WANTED[k.toLowerCase()]}` : v === '' ? k : `${k}=${v}`;
  });
  for (const [k, v] of Object.entries(WANTED)) if (!seen.has(k)) out.push(`${k}=${v}`);
  return out.join(';');
}

/** The SDP with DTX and FEC asked for on every Opus payload type; anything else untouched. */
export function withOpusDtxFec(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const opus = new Set<string>();
  for (const line of lines) {
    const m = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (m?.[1]) opus.add(m[1]);
  }
  if (opus.size === 0) return sdp;
  const withFmtp = new Set<string>();
  const out = lines.map((line) => {
    const m = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!m?.[1] || !opus.has(m[1])) return line;
    withFmtp.add(m[1]);
    return `a=fmtp:${m[1]} ${withParams(m[2] ?? '')}`;
  });
  // An Opus payload type without an fmtp line gets one right after its rtpmap.
  return out
    .flatMap((line) => {
      const m = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
      return m?.[1] && !withFmtp.has(m[1]) ? [line, `a=fmtp:${m[1]} ${withParams('')}`] : [line];
    })
    .join(eol);
}
