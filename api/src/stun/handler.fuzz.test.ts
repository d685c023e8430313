/**
 * Fuzzing the handler: random datagrams and mutations of valid requests (seeded, so a
 * failure reproduces), none may throw and every answer must be a well-formed response;
 * afterwards a live listener that saw the same bytes still answers.
 */
import { createSocket } from 'node:dgram';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { TransportAddress } from './address.js';
import { getXorMappedAddress } from './attributes.js';
import { createStunHandler } from './handler.js';
import { STUN_RECV_BUFFER } from './thread.js';
import { startStunListener } from './listener.js';
import { AttrType, decodeMessage, encodeMessage, MAGIC_COOKIE, MessageClass, type StunMessage } from './message.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { ask, bindingRequest, memoryLogger } from './testing.js';

const SEED = 0x5354_554e;
const RUNS = 50_000; // per property; 100,000+ datagrams in all
const handle = createStunHandler({ portShift: 3 });

const source: fc.Arbitrary<TransportAddress> = fc.oneof(
  fc.record({ address: fc.ipV4(), port: fc.integer({ min: 0, max: 65535 }), family: fc.constant('IPv4' as const) }),
  fc.record({ address: fc.ipV6(), port: fc.integer({ min: 0, max: 65535 }), family: fc.constant('IPv6' as const) }),
);

const KNOWN_TYPES = Object.values(AttrType);
const attribute = fc.record({
  type: fc.oneof(fc.constantFrom(...KNOWN_TYPES), fc.integer({ min: 0, max: 0xffff })),
  value: fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)),
});

/** Well-framed messages of any class, method and attributes: the mutator's seeds. */
const framed: fc.Arbitrary<Buffer> = fc
  .record({
    method: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 0xfff })),
    cls: fc.constantFrom(0, 0, 0, 1, 2, 3) as fc.Arbitrary<MessageClass>,
    cookie: fc.oneof(fc.constant(MAGIC_COOKIE), fc.integer({ min: 0, max: 0xffffffff })),
    transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }).map((a) => Buffer.from(a)),
    attributes: fc.array(attribute, { maxLength: 6 }),
    fingerprint: fc.boolean(),
  })
  .map(({ fingerprint, ...msg }) => encodeMessage(msg as StunMessage, { fingerprint }));

type Mutation = (b: Buffer) => Buffer;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([i, x]): Mutation => (b) => {
    if (b.length) b[i % b.length]! ^= x;
    return b;
  }),
  fc.nat().map((n): Mutation => (b) => b.subarray(0, n % (b.length + 1))),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((extra): Mutation => (b) => Buffer.concat([b, extra])),
  fc.integer({ min: 0, max: 0xffff }).map((len): Mutation => (b) => {
    if (b.length >= 4) b.writeUInt16BE(len, 2);
    return b;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0xffff })).map(([i, v]): Mutation => (b) => {
    // An attribute header field (type or length) somewhere in the body.
    const at = 20 + 2 * (i % Math.max(1, (b.length - 20) >> 1));
    if (at + 2 <= b.length) b.writeUInt16BE(v, at);
    return b;
  }),
);
const mutated = fc
  .tuple(framed, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([b, ms]) => ms.reduce((acc, m) => m(Buffer.from(acc)), b));

let datagrams = 0;
let answered = 0;
const FUZZ_TIMEOUT = 30_000;

/** Checks the one rule for any answer: a well-formed Binding response to this request. */
function answerIsSane(request: Buffer, src: TransportAddress): boolean {
  const out = handle(request, src);
  if (out === null) return true;
  answered++;
  const res = decodeMessage(out);
  return (
    (res.cls === MessageClass.SuccessResponse || res.cls === MessageClass.ErrorResponse) &&
    res.transactionId.equals(request.subarray(8, 20))
  );
}

const fuzzCases: Buffer[] = [];

describe('handler fuzz', () => {
  it('never throws on random datagrams', () => {
    const anyBytes = fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.oneof(anyBytes, framed), source, (b, src) => {
        datagrams++;
        return answerIsSane(b, src);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT);

  it('never throws on mutated requests', () => {
    fc.assert(
      fc.property(mutated, source, (b, src) => {
        datagrams++;
        if (fuzzCases.length < 2000) fuzzCases.push(b);
        return answerIsSane(b, src);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    // The mutator must reach past the parser, or it tests nothing.
    expect(answered).toBeGreaterThan(1000);
  }, FUZZ_TIMEOUT);

  it('answers every valid Binding request with the source address (+ shift)', () => {
    const safe = attribute.filter((a) => a.type >= 0x8000 && a.type !== AttrType.Fingerprint);
    fc.assert(
      fc.property(fc.array(safe, { maxLength: 5 }), fc.boolean(), source, (attributes, fingerprint, src) => {
        datagrams++;
        const out = handle(bindingRequest({ attributes, fingerprint }), src);
        const mapped = out && getXorMappedAddress(decodeMessage(out));
        return mapped?.port === ((src.port + 3) & 0xffff) && mapped.family === src.family;
      }),
      { seed: SEED + 2, numRuns: 10_000 },
    );
  }, FUZZ_TIMEOUT);

  afterAll(() => {
    expect(datagrams).toBeGreaterThanOrEqual(100_000);
  });

  it('a live listener fed the fuzz cases still answers a valid request', async () => {
    const listener = await startStunListener({
      port: 0,
      host: '127.0.0.1',
      handler: handle,
      limiter: new RateLimiter({ ratePerSecond: 1_000_000 }),
      logger: memoryLogger(),
      // As the server runs it (thread.ts): 2,000 datagrams at once overflow the system default.
      recvBufferSize: STUN_RECV_BUFFER,
    });
    try {
      const client = createSocket('udp4');
      for (const b of fuzzCases) client.send(b, listener.port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
      client.close();
      const reply = await ask(listener.port, bindingRequest());
      expect(reply?.response.cls).toBe(MessageClass.SuccessResponse);
    } finally {
      await listener.close();
    }
  });
});
