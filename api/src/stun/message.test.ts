import { describe, expect, it } from 'vitest';
import { getSoftware, getXorMappedAddress, setSoftware, setXorMappedAddress } from './attributes.js';
import {
  AttrType, checkFingerprint, decodeMessage, decodeType, encodeMessage, encodeType, getAttribute,
  MAGIC_COOKIE, MessageClass, Method, StunFormatError, type StunMessage,
} from './message.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 5769 section 2: the test vectors, as printed in the RFC.
const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);
const SAMPLE_LONG_TERM_REQUEST = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);
const TRANSACTION_ID = hex('b7e7a701bc34d686fa87dfae');

describe('RFC 5769 test vectors', () => {
  it('decodes the sample request (2.1) attribute by attribute', () => {
    const msg = decodeMessage(SAMPLE_REQUEST);
    expect(msg).toMatchObject({ method: Method.Binding, cls: MessageClass.Request, cookie: MAGIC_COOKIE });
    expect(msg.transactionId).toEqual(TRANSACTION_ID);
    expect(msg.attributes.map((a) => a.type)).toEqual([
      AttrType.Software, AttrType.Priority, AttrType.IceControlled, AttrType.Username,
      AttrType.MessageIntegrity, AttrType.Fingerprint,
    ]);
    expect(getSoftware(msg)).toBe('STUN test client');
    expect(getAttribute(msg, AttrType.Priority)?.readUInt32BE(0)).toBe(0x6e0001ff);
    expect(getAttribute(msg, AttrType.IceControlled)).toEqual(hex('932ff9b151263b36'));
    expect(getAttribute(msg, AttrType.Username)?.toString()).toBe('evtj:h6vY');
    expect(getAttribute(msg, AttrType.MessageIntegrity)).toHaveLength(20);
    expect(checkFingerprint(SAMPLE_REQUEST, msg)).toBe(true);
  });

  it.each([
    ['2.1 sample request', SAMPLE_REQUEST, 0x20],
    ['2.2 IPv4 response', SAMPLE_IPV4_RESPONSE, 0x20],
    ['2.3 IPv6 response', SAMPLE_IPV6_RESPONSE, 0x20],
    ['2.4 long-term request', SAMPLE_LONG_TERM_REQUEST, 0x00],
  ])('re-encodes %s byte for byte, recomputing FINGERPRINT', (_name, vector, padByte) => {
    const msg = decodeMessage(vector);
    const hasFingerprint = msg.attributes.some((a) => a.type === AttrType.Fingerprint);
    expect(encodeMessage(msg, { fingerprint: hasFingerprint, padByte })).toEqual(vector);
  });

  it.each([
    ['2.2', SAMPLE_IPV4_RESPONSE, { address: '192.0.2.1', port: 32853, family: 'IPv4' }],
    ['2.3', SAMPLE_IPV6_RESPONSE, { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853, family: 'IPv6' }],
  ] as const)('reads XOR-MAPPED-ADDRESS of %s and builds the same response from setters', (_n, vector, mapped) => {
    const decoded = decodeMessage(vector);
    expect(decoded).toMatchObject({ method: Method.Binding, cls: MessageClass.SuccessResponse });
    expect(getXorMappedAddress(decoded)).toEqual(mapped);
    expect(getSoftware(decoded)).toBe('test vector');
    expect(checkFingerprint(vector, decoded)).toBe(true);

    const built: StunMessage = {
      method: Method.Binding, cls: MessageClass.SuccessResponse, cookie: MAGIC_COOKIE,
      transactionId: TRANSACTION_ID, attributes: [],
    };
    setSoftware(built, 'test vector');
    setXorMappedAddress(built, mapped);
    // MESSAGE-INTEGRITY is opaque to us (no credentials): copied, not computed.
    built.attributes.push({ type: AttrType.MessageIntegrity, value: getAttribute(decoded, AttrType.MessageIntegrity)! });
    expect(encodeMessage(built, { fingerprint: true, padByte: 0x20 })).toEqual(vector);
  });

  it('decodes the long-term request (2.4): UTF-8 USERNAME, NONCE, REALM, no FINGERPRINT', () => {
    const msg = decodeMessage(SAMPLE_LONG_TERM_REQUEST);
    expect(getAttribute(msg, AttrType.Username)?.toString()).toBe('\u30de\u30c8\u30ea\u30c3\u30af\u30b9');
    expect(getAttribute(msg, AttrType.Nonce)?.toString()).toBe('f//499k954d6OL34oL9FSTvy64sA');
    expect(getAttribute(msg, AttrType.Realm)?.toString()).toBe('example.org');
    expect(checkFingerprint(SAMPLE_LONG_TERM_REQUEST, msg)).toBe(true);
  });

  it('notices a FINGERPRINT that does not match', () => {
    for (const index of [0, 3, 9, 25, SAMPLE_REQUEST.length - 1]) {
      const bad = Buffer.from(SAMPLE_REQUEST);
      bad[index]! ^= index < 4 ? 0x01 : 0x80;
      let msg: StunMessage;
      try {
        msg = decodeMessage(bad);
      } catch {
        continue; // a header flip can make it no message at all
      }
      expect(checkFingerprint(bad, msg), `byte ${index}`).toBe(false);
    }
  });
});

describe('message type', () => {
  it('matches the RFC 8489 values for Binding', () => {
    expect(encodeType(Method.Binding, MessageClass.Request)).toBe(0x0001);
    expect(encodeType(Method.Binding, MessageClass.Indication)).toBe(0x0011);
    expect(encodeType(Method.Binding, MessageClass.SuccessResponse)).toBe(0x0101);
    expect(encodeType(Method.Binding, MessageClass.ErrorResponse)).toBe(0x0111);
    expect(encodeType(0x003, MessageClass.Request)).toBe(0x0003); // TURN Allocate
  });

  it('round-trips every method and class', () => {
    const wrong: number[] = [];
    for (let method = 0; method < 0x1000; method++) {
      for (const cls of [0, 1, 2, 3] as const) {
        const type = encodeType(method, cls);
        const back = decodeType(type);
        if (type & 0xc000 || back.method !== method || back.cls !== cls) wrong.push(type);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('decodeMessage rejects', () => {
  const valid = SAMPLE_REQUEST;
  const withLength = (buf: Buffer, length: number): Buffer => {
    const copy = Buffer.from(buf);
    copy.writeUInt16BE(length, 2);
    return copy;
  };
  it.each([
    ['an empty datagram', Buffer.alloc(0)],
    ['less than a header', valid.subarray(0, 19)],
    ['top bits set', Buffer.concat([Buffer.from([0x40 | valid[0]!]), valid.subarray(1)])],
    ['a length not a multiple of 4', withLength(valid, 0x57)],
    ['a length longer than the datagram', withLength(valid, 0x5c)],
    ['a datagram longer than the length', Buffer.concat([valid, Buffer.alloc(4)])],
    ['a truncated attribute value', Buffer.concat([withLength(valid.subarray(0, 24), 8), hex('0000ffff')])],
    ['a truncated attribute header', withLength(Buffer.concat([valid.subarray(0, 20), hex('0024')]), 2)],
    ['an attribute after FINGERPRINT', withLength(Buffer.concat([valid, hex('80220000')]), 0x5c)],
  ])('%s', (_name, buf) => {
    expect(() => decodeMessage(buf)).toThrow(StunFormatError);
  });
});
