import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configFor, loadConfig } from '../config.js';
import { turnCredentials, turnIceServer, turnPassword } from './credentials.js';

describe('turnCredentials', () => {
  it('follows coturn use-auth-secret: expiry:user, base64 HMAC-SHA1', () => {
    const c = turnCredentials({ secret: 'north', ttlSeconds: 3600, user: 'p1', nowMs: 1_700_000_000_500 });
    expect(c.username).toBe('1700003600:p1');
    expect(c.expiresAt).toBe(1_700_003_600);
    expect(c.credential).toBe(createHmac('sha1', 'north').update('1700003600:p1').digest('base64'));
  });

  it('matches a value computed independently (openssl dgst -sha1 -hmac secret | base64)', () => {
    // printf '%s' '1600000000:alice' | openssl dgst -sha1 -hmac 'topsecret' -binary | base64
    expect(turnPassword('topsecret', '1600000000:alice')).toBe('uebTmG8f7yTKhPOkVccdsKoy94Y=');
  });

  it('keeps the username parseable when the user id has a colon', () => {
    expect(turnCredentials({ secret: 's', ttlSeconds: 1, user: 'a:b', nowMs: 0 }).username).toBe('1:a_b');
  });
});

describe('turnIceServer and config', () => {
  it('is null without TURN, an entry with credentials with it', () => {
    expect(turnIceServer(configFor(), 'x')).toBeNull();
    const config = loadConfig({
      TURN_SECRET: 'sesame',
      TURN_URLS: 'turn:turn.example.com:3478?transport=udp, turns:turn.example.com:443?transport=tcp',
      TURN_TTL: '600',
    });
    const entry = turnIceServer(config, 'client-1', 1_000_000);
    expect(entry).toEqual({
      urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
      username: '1600:client-1',
      credential: turnPassword('sesame', '1600:client-1'),
    });
  });

  it('refuses half a TURN configuration and odd URLs', () => {
    expect(() => loadConfig({ TURN_SECRET: 'x' })).toThrow(/TURN_URLS/);
    expect(() => loadConfig({ TURN_URLS: 'turn:a:3478' })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_SECRET: 'x', TURN_URLS: 'stun:a:3478' })).toThrow(/turn:/);
    expect(loadConfig({}).turnTtlSeconds).toBe(3600);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
  });
});
