/**
 * A minimal TURN client (RFC 8656 Allocate over UDP with long-term credentials), written
 * here independently of the API's STUN codec, to ask a real coturn whether it accepts
 * credentials: first an unauthenticated Allocate (401 with REALM and NONCE), then one
 * with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (key = MD5(user:realm:password)).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const Attr = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, REQUESTED_TRANSPORT: 0x0019, XOR_RELAYED_ADDRESS: 0x0016 };

type Attrs = [number, Buffer][];

function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

function request(attrs: Attrs, key?: Buffer): Buffer {
  const body = Buffer.concat(attrs.map(([t, v]) => attribute(t, v)));
  const header = Buffer.alloc(20);
  header.writeUInt16BE(ALLOCATE_REQUEST, 0);
  header.writeUInt32BE(COOKIE, 4);
  randomBytes(12).copy(header, 8);
  if (!key) {
    header.writeUInt16BE(body.length, 2);
    return Buffer.concat([header, body]);
  }
  header.writeUInt16BE(body.length + 24, 2); // the length counts MESSAGE-INTEGRITY itself
  const mac = createHmac('sha1', key).update(Buffer.concat([header, body])).digest();
  return Buffer.concat([header, body, attribute(Attr.MESSAGE_INTEGRITY, mac)]);
}

function parse(buf: Buffer): { type: number; attrs: Map<number, Buffer> } {
  const attrs = new Map<number, Buffer>();
  const end = 20 + buf.readUInt16BE(2);
  for (let at = 20; at + 4 <= end; ) {
    const type = buf.readUInt16BE(at);
    const length = buf.readUInt16BE(at + 2);
    attrs.set(type, buf.subarray(at + 4, at + 4 + length));
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { type: buf.readUInt16BE(0), attrs };
}

/** One UDP socket for the whole exchange: coturn binds its nonce to the client's address and port. */
function client(port: number): { ask(message: Buffer): Promise<Buffer>; close(): void } {
  const socket = createSocket('udp4');
  return {
    ask: (message) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer from the TURN server on 127.0.0.1:${port}`)), 3_000);
        socket.once('message', (msg) => {
          clearTimeout(timer);
          resolve(msg);
        });
        socket.send(message, port, '127.0.0.1');
      }),
    close: () => socket.close(),
  };
}

export interface AllocateResult {
  ok: boolean;
  /** The error code of a refused Allocate (401 for bad or expired credentials). */
  error?: number;
  /** ip:port of the relayed transport address, when allocated. */
  relayed?: string;
}

export async function allocate(port: number, username: string, password: string): Promise<AllocateResult> {
  const turn = client(port);
  try {
    return await authenticatedAllocate(turn.ask, username, password);
  } finally {
    turn.close();
  }
}

async function authenticatedAllocate(ask: (m: Buffer) => Promise<Buffer>, username: string, password: string): Promise<AllocateResult> {
  const transport: [number, Buffer] = [Attr.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0])];
  const challenge = parse(await ask(request([transport])));
  const realm = challenge.attrs.get(Attr.REALM);
  const nonce = challenge.attrs.get(Attr.NONCE);
  if (!realm || !nonce) throw new Error('the first Allocate was not challenged with REALM and NONCE');
  const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
  const answer = parse(
    await ask(request([transport, [Attr.USERNAME, Buffer.from(username)], [Attr.REALM, realm], [Attr.NONCE, nonce]], key)),
  );
  if (answer.type === ALLOCATE_SUCCESS) {
    const xor = answer.attrs.get(Attr.XOR_RELAYED_ADDRESS);
    const relayed = xor
      ? `${[0, 1, 2, 3].map((i) => xor[4 + i]! ^ ((COOKIE >>> (24 - 8 * i)) & 0xff)).join('.')}:${xor.readUInt16BE(2) ^ (COOKIE >>> 16)}`
      : undefined;
    return { ok: true, relayed };
  }
  const err = answer.attrs.get(Attr.ERROR_CODE);
  return { ok: false, error: err ? (err[2]! & 0x7) * 100 + err[3]! : undefined };
}
