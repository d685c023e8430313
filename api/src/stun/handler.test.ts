import { describe, expect, it } from 'vitest';
import type { TransportAddress } from './address.js';
import {
  getErrorCode, getMappedAddress, getSoftware, getUnknownAttributes, getXorMappedAddress,
} from './attributes.js';
import { createStunHandler } from './handler.js';
import {
  AttrType, checkFingerprint, decodeMessage, encodeMessage, MAGIC_COOKIE, MessageClass, type StunAttribute,
} from './message.js';
import { bindingRequest, requestMessage } from './testing.js';

const handle = createStunHandler();
const V4: TransportAddress = { address: '203.0.113.9', port: 40000, family: 'IPv4' };
const V6: TransportAddress = { address: '2001:db8::42', port: 50000, family: 'IPv6' };
const attr = (type: number, bytes = 4): StunAttribute => ({ type, value: Buffer.alloc(bytes) });

function answer(request: Buffer, source = V4) {
  const raw = handle(request, source);
  expect(raw, 'expected a response').not.toBeNull();
  const msg = decodeMessage(raw!);
  return { raw: raw!, msg };
}

describe('Binding requests (RFC 8489)', () => {
  it('answers with XOR-MAPPED-ADDRESS, SOFTWARE and FINGERPRINT last', () => {
    const request = requestMessage();
    const { raw, msg } = answer(encodeMessage(request, { fingerprint: true }));
    expect(msg).toMatchObject({ cls: MessageClass.SuccessResponse, method: 1, cookie: MAGIC_COOKIE });
    expect(msg.transactionId).toEqual(request.transactionId);
    expect(getXorMappedAddress(msg)).toEqual(V4);
    expect(getMappedAddress(msg)).toBeNull();
    expect(getSoftware(msg)).toBe('Parley');
    expect(msg.attributes.at(-1)?.type).toBe(AttrType.Fingerprint);
    expect(checkFingerprint(raw, msg)).toBe(true);
  });

  it('answers a request without FINGERPRINT', () => {
    expect(getXorMappedAddress(answer(bindingRequest({ fingerprint: false })).msg)).toEqual(V4);
  });

  it('answers an IPv6 source with an IPv6 XOR-MAPPED-ADDRESS', () => {
    expect(getXorMappedAddress(answer(bindingRequest(), V6).msg)).toEqual(V6);
  });

  it('reports an IPv4-mapped IPv6 source as IPv4', () => {
    const msg = answer(bindingRequest(), { address: '::ffff:198.51.100.3', port: 1234, family: 'IPv6' }).msg;
    expect(getXorMappedAddress(msg)).toEqual({ address: '198.51.100.3', port: 1234, family: 'IPv4' });
  });

  it('accepts the credential and ICE attributes a browser sends, and unknown optional ones', () => {
    const attributes = [
      attr(AttrType.Username, 9), attr(AttrType.Priority), attr(AttrType.IceControlling, 8),
      attr(AttrType.UseCandidate, 0), attr(AttrType.MessageIntegrity, 20), attr(0x8123, 3), attr(0xc001, 0),
      attr(AttrType.ChangeRequest), // flags 0: nothing to change
    ];
    expect(answer(bindingRequest({ attributes })).msg.cls).toBe(MessageClass.SuccessResponse);
  });

  it('shifts the mapped port when portShift is set (mod 65536)', () => {
    const shifted = createStunHandler({ portShift: 7 });
    const at = (port: number) => getXorMappedAddress(decodeMessage(shifted(bindingRequest(), { ...V4, port })!))?.port;
    expect(at(40000)).toBe(40007);
    expect(at(65533)).toBe(4);
  });
});

describe('420 Unknown Attribute', () => {
  it('lists each unknown comprehension-required attribute once', () => {
    const request = bindingRequest({ attributes: [attr(0x0002), attr(0x7fff), attr(0x0002), attr(0x8123)] });
    const { raw, msg } = answer(request);
    expect(msg.cls).toBe(MessageClass.ErrorResponse);
    expect(getErrorCode(msg)).toEqual({ code: 420, reason: 'Unknown Attribute' });
    expect(getUnknownAttributes(msg)).toEqual([0x0002, 0x7fff]);
    expect(getXorMappedAddress(msg)).toBeNull();
    expect(checkFingerprint(raw, msg)).toBe(true);
  });

  it('refuses CHANGE-REQUEST that asks for another address or port (one socket, no RFC 5780)', () => {
    const change = { type: AttrType.ChangeRequest, value: Buffer.from([0, 0, 0, 0x06]) };
    expect(getUnknownAttributes(answer(bindingRequest({ attributes: [change] })).msg)).toEqual([AttrType.ChangeRequest]);
  });

  it('answers a classic request with an unknown attribute too (no FINGERPRINT)', () => {
    const { msg } = answer(bindingRequest({ classic: true, attributes: [attr(0x0002, 8)] }));
    expect(getErrorCode(msg)?.code).toBe(420);
    expect(msg.attributes.some((a) => a.type === AttrType.Fingerprint)).toBe(false);
  });
});

describe('classic RFC 3489 requests (no magic cookie)', () => {
  it('get MAPPED-ADDRESS, the 16-byte transaction id echoed, no FINGERPRINT', () => {
    const request = requestMessage({ classic: true });
    const { msg } = answer(encodeMessage(request));
    expect(msg.cookie).toBe(request.cookie);
    expect(msg.transactionId).toEqual(request.transactionId);
    expect(getMappedAddress(msg)).toEqual(V4);
    expect(getXorMappedAddress(msg)).toBeNull();
    expect(msg.attributes.some((a) => a.type === AttrType.Fingerprint)).toBe(false);
  });

  it('accept RFC 3489 attributes', () => {
    expect(answer(bindingRequest({ classic: true, attributes: [attr(AttrType.ChangeRequest)] })).msg.cls).toBe(
      MessageClass.SuccessResponse,
    );
  });
});

describe('dropped (no response)', () => {
  const valid = bindingRequest();
  const patched = (edit: (b: Buffer) => void, from = valid): Buffer => {
    const copy = Buffer.from(from);
    edit(copy);
    return copy;
  };
  it.each<[string, Buffer]>([
    ['an empty datagram', Buffer.alloc(0)],
    ['a short datagram', valid.subarray(0, 12)],
    ['top two bits set (RTP, DTLS...)', patched((b) => (b[0]! |= 0x80))],
    ['FINGERPRINT without the magic cookie', encodeMessage(requestMessage({ classic: true }), { fingerprint: true })],
    ['an RFC 5389 attribute without the magic cookie', bindingRequest({ classic: true, attributes: [attr(AttrType.Priority)] })],
    ['a length not a multiple of 4', patched((b) => b.writeUInt16BE(b.readUInt16BE(2) - 2, 2))],
    ['a length not matching the datagram', patched((b) => b.writeUInt16BE(b.readUInt16BE(2) + 4, 2))],
    ['trailing bytes', Buffer.concat([valid, Buffer.alloc(4)])],
    ['a truncated attribute', patched((b) => b.writeUInt16BE(200, 22))],
    ['a bad FINGERPRINT', patched((b) => (b[b.length - 1]! ^= 1))],
    ['a FINGERPRINT of the wrong size', bindingRequest({ fingerprint: false, attributes: [attr(AttrType.Fingerprint, 8)] })],
    ['a Binding indication', bindingRequest({ cls: MessageClass.Indication })],
    ['a success response', bindingRequest({ cls: MessageClass.SuccessResponse })],
    ['an error response', bindingRequest({ cls: MessageClass.ErrorResponse })],
    ['another method (TURN Allocate)', bindingRequest({ method: 0x003 })],
  ])('%s', (_name, datagram) => {
    expect(handle(datagram, V4)).toBeNull();
  });

  it('a source that is not an IP address, without throwing', () => {
    expect(handle(valid, { address: 'not-an-ip', port: 1, family: 'IPv4' })).toBeNull();
    expect(handle(valid, null as unknown as TransportAddress)).toBeNull();
    expect(handle(null as unknown as Buffer, V4)).toBeNull();
  });
});
