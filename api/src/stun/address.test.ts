import { describe, expect, it } from 'vitest';
import { bytesToIp, ipToBytes, unmapIPv4 } from './address.js';

describe('ipToBytes / bytesToIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8:1234:5678:11:2233:4455:6677', '2001:db8:1234:5678:11:2233:4455:6677'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], // the longer zero run is shortened
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ])('%s -> %s', (input, text) => {
    const bytes = ipToBytes(input)!;
    expect(bytes).toHaveLength(input.includes(':') ? 16 : 4);
    expect(bytesToIp(bytes)).toBe(text);
  });

  it('rejects what is not an IP address', () => {
    for (const s of ['', 'localhost', '1.2.3', '1.2.3.256', ':::', '1::2::3', 'g::1']) expect(ipToBytes(s)).toBeNull();
  });
});

describe('unmapIPv4', () => {
  it('turns an IPv4-mapped IPv6 source into IPv4 and leaves others alone', () => {
    expect(unmapIPv4({ address: '::ffff:10.0.0.7', port: 5, family: 'IPv6' })).toEqual({ address: '10.0.0.7', port: 5, family: 'IPv4' });
    const v6 = { address: '2001:db8::1', port: 5, family: 'IPv6' } as const;
    expect(unmapIPv4(v6)).toBe(v6);
  });
});
