/**
 * Getter/setter pairs for the attributes Parley's STUN server reads or writes, one pair
 * per attribute as in pion/stun. Getters return null when the attribute is absent or
 * malformed. handler.ts uses the setters; tests use the getters to read responses.
 */
import { bytesToIp, ipToBytes, type TransportAddress } from './address.js';
import { addAttribute, AttrType, getAttribute, MAGIC_COOKIE, type StunMessage } from './message.js';

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

function encodeAddress(addr: TransportAddress, xorKey: Buffer | null): Buffer {
  const ip = ipToBytes(addr.address);
  if (!ip) throw new TypeError(`not an IP address: ${addr.address}`);
  const value = Buffer.alloc(4 + ip.length);
  value.writeUInt8(ip.length === 4 ? FAMILY_IPV4 : FAMILY_IPV6, 1);
  value.writeUInt16BE(addr.port & 0xffff, 2);
  ip.copy(value, 4);
  if (xorKey) for (let i = 2; i < value.length; i++) value[i]! ^= xorKey[i - 2]!;
  return value;
}

function decodeAddress(value: Buffer | undefined, xorKey: Buffer | null): TransportAddress | null {
  if (!value || value.length < 4) return null;
  const family = value.readUInt8(1);
  const size = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
  if (!size || value.length !== 4 + size) return null;
  const plain = Buffer.from(value);
  if (xorKey) for (let i = 2; i < plain.length; i++) plain[i]! ^= xorKey[i - 2]!;
  return {
    address: bytesToIp(plain.subarray(4)),
    port: plain.readUInt16BE(2),
    family: size === 4 ? 'IPv4' : 'IPv6',
  };
}

/** XOR-MAPPED-ADDRESS key: the port uses the cookie's top 16 bits, IPv6 cookie + transaction id. */
function xorKeyOf(msg: StunMessage): Buffer {
  const key = Buffer.alloc(18);
  key.writeUInt16BE(MAGIC_COOKIE >>> 16, 0);
  key.writeUInt32BE(MAGIC_COOKIE, 2);
  msg.transactionId.copy(key, 6, 0, 12);
  return key;
}

export function setXorMappedAddress(msg: StunMessage, addr: TransportAddress): void {
  addAttribute(msg, AttrType.XorMappedAddress, encodeAddress(addr, xorKeyOf(msg)));
}

export function getXorMappedAddress(msg: StunMessage): TransportAddress | null {
  return decodeAddress(getAttribute(msg, AttrType.XorMappedAddress), xorKeyOf(msg));
}

/** MAPPED-ADDRESS: the RFC 3489 form, for clients that send no magic cookie. */
export function setMappedAddress(msg: StunMessage, addr: TransportAddress): void {
  addAttribute(msg, AttrType.MappedAddress, encodeAddress(addr, null));
}

export function getMappedAddress(msg: StunMessage): TransportAddress | null {
  return decodeAddress(getAttribute(msg, AttrType.MappedAddress), null);
}

export function setSoftware(msg: StunMessage, software: string): void {
  addAttribute(msg, AttrType.Software, Buffer.from(software, 'utf8'));
}

export function getSoftware(msg: StunMessage): string | null {
  return getAttribute(msg, AttrType.Software)?.toString('utf8') ?? null;
}

/** ERROR-CODE (RFC 8489 14.8): class in hundreds, number below 100, then a reason phrase. */
export function setErrorCode(msg: StunMessage, code: number, reason: string): void {
  const phrase = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + phrase.length);
  value.writeUInt8(Math.floor(code / 100) & 0x07, 2);
  value.writeUInt8(code % 100, 3);
  phrase.copy(value, 4);
  addAttribute(msg, AttrType.ErrorCode, value);
}

export function getErrorCode(msg: StunMessage): { code: number; reason: string } | null {
  const value = getAttribute(msg, AttrType.ErrorCode);
  if (!value || value.length < 4) return null;
  return { code: (value.readUInt8(2) & 0x07) * 100 + value.readUInt8(3), reason: value.subarray(4).toString('utf8') };
}

/** UNKNOWN-ATTRIBUTES (RFC 8489 14.9): a list of 16-bit attribute types. */
export function setUnknownAttributes(msg: StunMessage, types: readonly number[]): void {
  const value = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => value.writeUInt16BE(t, i * 2));
  addAttribute(msg, AttrType.UnknownAttributes, value);
}

export function getUnknownAttributes(msg: StunMessage): number[] | null {
  const value = getAttribute(msg, AttrType.UnknownAttributes);
  if (!value || value.length % 2 !== 0) return null;
  const types: number[] = [];
  for (let i = 0; i < value.length; i += 2) types.push(value.readUInt16BE(i));
  return types;
}

/** CHANGE-REQUEST (RFC 5780 7.2): the change-IP (0x4) and change-port (0x2) flags. */
export function getChangeRequest(msg: StunMessage): { changeIp: boolean; changePort: boolean } | null {
  const value = getAttribute(msg, AttrType.ChangeRequest);
  if (!value || value.length !== 4) return null;
  const flags = value.readUInt32BE(0);
  return { changeIp: (flags & 0x4) !== 0, changePort: (flags & 0x2) !== 0 };
}
