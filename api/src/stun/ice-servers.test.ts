import { describe, expect, it } from 'vitest';
import { configFor } from '../config.js';
import { stunUrl } from './ice-servers.js';

describe('stunUrl', () => {
  const config = configFor({ host: '127.0.0.1' });

  it('prefers PUBLIC_STUN_URL, even when the listener is off', () => {
    const pub = configFor({ publicStunUrl: 'stun:stun.example.org:3478' });
    expect(stunUrl(pub, 3478, 'parley.test')).toBe('stun:stun.example.org:3478');
    expect(stunUrl(pub, null, undefined)).toBe('stun:stun.example.org:3478');
  });

  it('is null when STUN is off', () => {
    expect(stunUrl(config, null, 'parley.test:3000')).toBeNull();
  });

  it.each([
    ['parley.test:3000', 'stun:parley.test:3478'],
    ['parley.test', 'stun:parley.test:3478'],
    ['Parley.Test', 'stun:parley.test:3478'],
    ['192.0.2.7:8080', 'stun:192.0.2.7:3478'],
    ['[2001:db8::1]:3000', 'stun:[2001:db8::1]:3478'],
    ['[::1]', 'stun:[::1]:3478'],
    ['2001:db8::1', 'stun:[2001:db8::1]:3478'],
  ])('uses the Host header %s without its port', (host, url) => {
    expect(stunUrl(config, 3478, host)).toBe(url);
  });

  it.each([undefined, '', '   ', 'evil.test/x', 'a b', '[not-v6]:1', 'host:port', '@x'])(
    'falls back to config.host for %j',
    (host) => {
      expect(stunUrl(config, 3478, host)).toBe('stun:127.0.0.1:3478');
      expect(stunUrl(configFor({ host: '::1' }), 3478, host)).toBe('stun:[::1]:3478');
    },
  );
});
