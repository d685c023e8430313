import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { configFor, type Config } from '../config.js';
import configPlugin from '../http/config-plugin.js';
import { getXorMappedAddress } from './attributes.js';
import stunPlugin from './plugin.js';
import { ask, bindingRequest, freeUdpPort } from './testing.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function build(overrides: Partial<Config>) {
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(configPlugin, { config: configFor(overrides) });
  await app.register(stunPlugin);
  await app.ready();
  return app;
}

describe('parley-stun plugin', () => {
  it('is off with STUN_PORT=0: app.stun.port is null', async () => {
    const app = await build({ stunPort: 0 });
    expect(app.stun).toEqual({ port: null });
  });

  // Each start spawns the STUN thread, which loads its TypeScript through tsx here: seconds on a loaded machine.
  it('listens on config.stunPort, answers, and closes with the app', { timeout: 60_000 }, async () => {
    const port = await freeUdpPort();
    const app = await build({ stunPort: port, stunTestPortShift: 5 });
    expect(app.stun.port).toBe(port);
    const reply = await ask(port, bindingRequest());
    expect(getXorMappedAddress(reply!.response)?.port).toBe((reply!.localPort + 5) & 0xffff);
    await app.close();
    expect(await ask(port, bindingRequest(), { timeoutMs: 200 })).toBeNull();
    const reopened = await build({ stunPort: port });
    expect(reopened.stun.port).toBe(port);
  });
});
