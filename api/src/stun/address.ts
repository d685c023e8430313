/**
 * IP address text <-> bytes for the STUN address attributes (MAPPED-ADDRESS and
 * XOR-MAPPED-ADDRESS carry raw 4- or 16-byte addresses). Pure; attributes.ts calls it.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A transport address as Node's dgram reports it (`rinfo`) and STUN carries it. */
export interface TransportAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/** 4 bytes for an IPv4 address, 16 for IPv6 (zone id dropped); null if not an IP. */
export function ipToBytes(ip: string): Buffer | null {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const bare = ip.split('%')[0] ?? '';
  if (!isIPv6(bare)) return null;
  let text = bare;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const b = v4[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1].length)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Text form of a 4- or 16-byte address; IPv6 per RFC 5952 (lowercase, longest zero run as ::). */
export function bytesToIp(bytes: Buffer): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 1; // RFC 5952: a single zero group is not shortened.
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** An IPv4-mapped IPv6 source (::ffff:a.b.c.d, from a dual-stack socket) as plain IPv4. */
export function unmapIPv4(source: TransportAddress): TransportAddress {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(source.address);
  return m?.[1] ? { address: m[1], port: source.port, family: 'IPv4' } : source;
}
