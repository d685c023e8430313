import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { getXorMappedAddress } from './attributes.js';
import type { StunListener } from './listener.js';
import { ask, bindingRequest, memoryLogger } from './testing.js';
import { startStunThread } from './thread.js';

const open: StunListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** A STUN client in another process: exits 0 once a Binding success response arrives, 1 after 10 s. */
const CLIENT = `
const s = require('node:dgram').createSocket('udp4');
const req = Buffer.alloc(20); req.writeUInt16BE(1, 0); req.writeUInt32BE(0x2112a442, 4);
require('node:crypto').randomFillSync(req, 8, 12);
s.on('message', (m) => process.exit(m.readUInt16BE(0) === 0x0101 && m.subarray(8, 20).equals(req.subarray(8, 20)) ? 0 : 1));
s.send(req, Number(process.argv[1]), '127.0.0.1');
setTimeout(() => process.exit(1), 10000);
`;

// The thread loads its TypeScript through tsx here: seconds on a loaded machine.
describe('startStunThread', { timeout: 60_000 }, () => {
  it('answers from its own thread while the main thread is blocked', async () => {
    const logger = memoryLogger();
    const listener = await startStunThread({ port: 0, host: '127.0.0.1', rateLimit: 1000, portShift: 2, logger });
    open.push(listener);
    const reply = await ask(listener.port, bindingRequest());
    expect(getXorMappedAddress(reply!.response)?.port).toBe((reply!.localPort + 2) & 0xffff);
    // spawnSync blocks this thread until the client exits: only a listener on another
    // thread can answer it in time.
    const client = spawnSync(process.execPath, ['-e', CLIENT, String(listener.port)], { timeout: 20_000 });
    expect(client.status).toBe(0);
    // The worker's log lines reach the app's logger.
    expect(logger.lines.some((l) => l.level === 'info' && l.msg === 'STUN listening')).toBe(true);
  });

  it('fails to start, with the bind error, when the port is taken', async () => {
    const first = await startStunThread({ port: 0, host: '127.0.0.1', rateLimit: 1000, portShift: 0, logger: memoryLogger() });
    open.push(first);
    await expect(
      startStunThread({ port: first.port, host: '127.0.0.1', rateLimit: 1000, portShift: 0, logger: memoryLogger() }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('stops answering once closed', async () => {
    const listener = await startStunThread({ port: 0, host: '127.0.0.1', rateLimit: 1000, portShift: 0, logger: memoryLogger() });
    await listener.close();
    expect(await ask(listener.port, bindingRequest(), { timeoutMs: 300 })).toBeNull();
  });
});
