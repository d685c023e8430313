/**
 * STUN messages (RFC 8489 section 5): the 20-byte header, the attribute list and
 * FINGERPRINT. Pure encode/decode in the style of pion/stun; handler.ts calls it, and the
 * attribute getters/setters in attributes.ts work on the StunMessage it produces.
 */
import { crc32 } from 'node:zlib';

export const HEADER_LENGTH = 20;
export const MAGIC_COOKIE = 0x2112a442;
/** FINGERPRINT is the CRC-32 of the message xor this ("STUN" in ASCII). */
export const FINGERPRINT_XOR = 0x5354554e;

export const MessageClass = { Request: 0, Indication: 1, SuccessResponse: 2, ErrorResponse: 3 } as const;
export type MessageClass = (typeof MessageClass)[keyof typeof MessageClass];

export const Method = { Binding: 0x001 } as const;

/** Attribute types Parley reads or writes, plus those a Binding request may carry. */
export const AttrType = {
  MappedAddress: 0x0001,
  ChangeRequest: 0x0003,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  Realm: 0x0014,
  Nonce: 0x0015,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  Software: 0x8022,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
} as const;

export interface StunAttribute {
  type: number;
  /** The value without padding. */
  value: Buffer;
}

export interface StunMessage {
  method: number;
  cls: MessageClass;
  /** The second header word: MAGIC_COOKIE for RFC 5389/8489, anything for RFC 3489. */
  cookie: number;
  /** 12 bytes; an RFC 3489 transaction id is cookie + these. */
  transactionId: Buffer;
  attributes: StunAttribute[];
}

/** Why a datagram is not a STUN message. */
export class StunFormatError extends Error {
  override name = 'StunFormatError';
}

/** The 14-bit message type: method bits M0-M11 interleaved with class bits C0 (bit 4), C1 (bit 8). */
export function encodeType(method: number, cls: MessageClass): number {
  return (
    (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) |
    ((cls & 1) << 4) | ((cls & 2) << 7)
  );
}

export function decodeType(type: number): { method: number; cls: MessageClass } {
  const method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const cls = (((type >> 4) & 1) | ((type >> 7) & 2)) as MessageClass;
  return { method, cls };
}

export function padded(length: number): number {
  return (length + 3) & ~3;
}

/**
 * Parses one datagram. Throws StunFormatError unless it is exactly one well-formed
 * message: top two bits zero, length a multiple of 4 matching the datagram, every
 * attribute within bounds, nothing after FINGERPRINT. Does not check the cookie or the
 * fingerprint value (see hasMagicCookie and checkFingerprint).
 */
export function decodeMessage(buf: Buffer): StunMessage {
  if (buf.length < HEADER_LENGTH) throw new StunFormatError('shorter than a STUN header');
  const type = buf.readUInt16BE(0);
  if (type & 0xc000) throw new StunFormatError('top two bits are not zero');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0) throw new StunFormatError('length is not a multiple of 4');
  if (HEADER_LENGTH + length !== buf.length) throw new StunFormatError('length does not match the datagram');
  const attributes: StunAttribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < buf.length) {
    if (attributes.at(-1)?.type === AttrType.Fingerprint) throw new StunFormatError('attribute after FINGERPRINT');
    if (offset + 4 > buf.length) throw new StunFormatError('truncated attribute header');
    const attrType = buf.readUInt16BE(offset);
    const attrLength = buf.readUInt16BE(offset + 2);
    if (offset + 4 + padded(attrLength) > buf.length) throw new StunFormatError('truncated attribute value');
    attributes.push({ type: attrType, value: Buffer.from(buf.subarray(offset + 4, offset + 4 + attrLength)) });
    offset += 4 + padded(attrLength);
  }
  return {
    ...decodeType(type),
    cookie: buf.readUInt32BE(4),
    transactionId: Buffer.from(buf.subarray(8, HEADER_LENGTH)),
    attributes,
  };
}

export interface EncodeOptions {
  /** Append FINGERPRINT (RFC 8489 14.7). Only for messages with the magic cookie. */
  fingerprint?: boolean;
  /** The byte used to pad attribute values (any value is legal; RFC 5769 uses spaces). */
  padByte?: number;
}

/** Serializes a message, appending FINGERPRINT when asked (any existing one is replaced). */
export function encodeMessage(msg: StunMessage, options: EncodeOptions = {}): Buffer {
  const attributes = msg.attributes.filter((a) => !(options.fingerprint && a.type === AttrType.Fingerprint));
  const bodyLength = attributes.reduce((n, a) => n + 4 + padded(a.value.length), 0);
  const total = HEADER_LENGTH + bodyLength + (options.fingerprint ? 8 : 0);
  if (total - HEADER_LENGTH > 0xffff) throw new StunFormatError('message too long');
  const buf = Buffer.alloc(total, options.padByte ?? 0);
  buf.writeUInt16BE(encodeType(msg.method, msg.cls), 0);
  buf.writeUInt16BE(total - HEADER_LENGTH, 2);
  buf.writeUInt32BE(msg.cookie >>> 0, 4);
  msg.transactionId.copy(buf, 8, 0, 12);
  let offset = HEADER_LENGTH;
  for (const a of attributes) {
    buf.writeUInt16BE(a.type, offset);
    buf.writeUInt16BE(a.value.length, offset + 2);
    a.value.copy(buf, offset + 4);
    offset += 4 + padded(a.value.length);
  }
  if (options.fingerprint) {
    buf.writeUInt16BE(AttrType.Fingerprint, offset);
    buf.writeUInt16BE(4, offset + 2);
    buf.writeUInt32BE(fingerprintOf(buf.subarray(0, offset)), offset + 4);
  }
  return buf;
}

/** FINGERPRINT value over the message bytes before the attribute (header length already final). */
export function fingerprintOf(bytesBefore: Buffer): number {
  return (crc32(bytesBefore) ^ FINGERPRINT_XOR) >>> 0;
}

/**
 * For a datagram that decodeMessage accepted: true when it has no FINGERPRINT or the
 * FINGERPRINT is last, 4 bytes long and matches.
 */
export function checkFingerprint(buf: Buffer, msg: StunMessage): boolean {
  const index = msg.attributes.findIndex((a) => a.type === AttrType.Fingerprint);
  if (index < 0) return true;
  const attr = msg.attributes[index]!;
  if (index !== msg.attributes.length - 1 || attr.value.length !== 4) return false;
  const at = buf.length - 8;
  return fingerprintOf(buf.subarray(0, at)) === attr.value.readUInt32BE(0);
}

export function hasMagicCookie(msg: StunMessage): boolean {
  return msg.cookie === MAGIC_COOKIE;
}

/** The first attribute of a type (RFC 8489: later duplicates are ignored), or undefined. */
export function getAttribute(msg: StunMessage, type: number): Buffer | undefined {
  return msg.attributes.find((a) => a.type === type)?.value;
}

export function addAttribute(msg: StunMessage, type: number, value: Buffer): void {
  msg.attributes.push({ type, value });
}
