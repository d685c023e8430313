import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { getXorMappedAddress } from './attributes.js';
import { createStunHandler } from './handler.js';
import { isLoopbackHost, startStunListener, type StunListener } from './listener.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { ask, bindingRequest, memoryLogger } from './testing.js';

/** Whether this machine has IPv6 loopback at all (some containers do not): decides visible skips. */
const hasIPv6 = await new Promise<boolean>((resolve) => {
  const probe = createSocket({ type: 'udp6', ipv6Only: true });
  probe.once('error', () => {
    probe.close();
    resolve(false);
  });
  probe.bind(0, '::1', () => {
    probe.close();
    resolve(true);
  });
});
const NO_IPV6 = 'skipped: this machine has no IPv6 loopback (::1 cannot be bound)';

const open: StunListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function start(options: { host?: string; rate?: number; port?: number } = {}) {
  const logger = memoryLogger();
  const listener = await startStunListener({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    handler: createStunHandler(),
    limiter: new RateLimiter({ ratePerSecond: options.rate ?? 1000 }),
    logger,
  });
  open.push(listener);
  return { listener, logger };
}

describe('startStunListener', () => {
  it('answers a Binding request on IPv4 loopback with the client address', async () => {
    const { listener, logger } = await start();
    expect(listener.addresses[0]).toBe('127.0.0.1');
    const reply = await ask(listener.port, bindingRequest());
    expect(reply).not.toBeNull();
    expect(getXorMappedAddress(reply!.response)).toEqual({ address: '127.0.0.1', port: reply!.localPort, family: 'IPv4' });
    expect(logger.lines.some((l) => l.level === 'info' && l.msg === 'STUN listening')).toBe(true);
  });

  it.skipIf(!hasIPv6)(`answers on IPv6 loopback on the same port${hasIPv6 ? '' : ` (${NO_IPV6})`}`, async () => {
    const { listener } = await start();
    expect(listener.addresses).toContain('::1');
    const reply = await ask(listener.port, bindingRequest(), { host: '::1' });
    expect(getXorMappedAddress(reply!.response)).toEqual({ address: '::1', port: reply!.localPort, family: 'IPv6' });
  });

  it('binds all interfaces for a non-loopback host', async () => {
    const { listener } = await start({ host: '0.0.0.0' });
    expect(listener.addresses[0]).toBe('0.0.0.0');
    expect(await ask(listener.port, bindingRequest())).not.toBeNull();
  });

  it.skipIf(!hasIPv6)(`keeps IPv4 when IPv6 cannot bind, logging at debug${hasIPv6 ? '' : ` (${NO_IPV6})`}`, async () => {
    const first = await start();
    expect(first.listener.addresses).toContain('::1');
    await first.listener.close();
    open.splice(0);
    const squatter = createSocket({ type: 'udp6', ipv6Only: true });
    await new Promise<void>((resolve) => squatter.bind(first.listener.port, '::1', resolve));
    try {
      const { listener, logger } = await start({ port: first.listener.port });
      expect(listener.addresses).toEqual(['127.0.0.1']);
      expect(logger.lines.some((l) => l.level === 'debug' && l.msg === 'STUN not listening on IPv6')).toBe(true);
      expect(await ask(listener.port, bindingRequest())).not.toBeNull();
    } finally {
      squatter.close();
    }
  });

  it('drops datagrams over the per-source rate', async () => {
    const { listener } = await start({ rate: 3 });
    const client = createSocket('udp4');
    let answers = 0;
    client.on('message', () => answers++);
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    for (let i = 0; i < 20; i++) client.send(bindingRequest(), listener.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    client.close();
    expect(answers).toBe(3);
  });

  it('ignores junk and keeps answering', async () => {
    const { listener } = await start();
    expect(await ask(listener.port, Buffer.from('GET / HTTP/1.1\r\n\r\n'), { timeoutMs: 200 })).toBeNull();
    expect(await ask(listener.port, bindingRequest())).not.toBeNull();
  });

  it('close() frees the port', async () => {
    const { listener } = await start();
    await listener.close();
    open.splice(0);
    const again = await start({ port: listener.port });
    expect(again.listener.port).toBe(listener.port);
  });

  it('fails when the IPv4 port is taken', async () => {
    const { listener } = await start();
    await expect(start({ port: listener.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['::', false], ['192.168.1.2', false], ['parley.example', false],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
