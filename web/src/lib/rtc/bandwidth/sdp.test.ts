import { describe, expect, it } from 'vitest';
import { withOpusDtxFec } from './sdp';

// The audio section of an offer as Chromium writes it (shortened).
const CHROMIUM_AUDIO = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 VP8/90000',
  'a=fmtp:96 x-google-start-bitrate=300',
  '',
].join('\r\n');

describe('withOpusDtxFec', () => {
  it('asks for DTX and keeps FEC on Chromium\'s Opus line, touching nothing else', () => {
    const out = withOpusDtxFec(CHROMIUM_AUDIO);
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(out).toContain('a=fmtp:63 111/111\r\n');
    expect(out).toContain('a=fmtp:96 x-google-start-bitrate=300\r\n');
    expect(out.split('\r\n')).toHaveLength(CHROMIUM_AUDIO.split('\r\n').length);
    expect(withOpusDtxFec(out)).toBe(out);
  });

  it('turns on what a peer turned off', () => {
    const off = CHROMIUM_AUDIO.replace('minptime=10;useinbandfec=1', 'minptime=10;useinbandfec=0;usedtx=0;stereo=1');
    expect(withOpusDtxFec(off)).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;stereo=1\r\n');
  });

  it('adds an fmtp line where Opus has none, and leaves SDP without Opus as it is', () => {
    const bare = CHROMIUM_AUDIO.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
    expect(withOpusDtxFec(bare)).toContain('a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1;usedtx=1\r\n');
    const video = 'v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=rtpmap:96 VP8/90000\n';
    expect(withOpusDtxFec(video)).toBe(video);
  });
});
