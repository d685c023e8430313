/** The hub's mailboxes are bounded by bytes too: 64 full-size signals, not 512 (32 MiB). */
import { describe, expect, it } from 'vitest';
import { SignalingHub } from './hub.js';
import type { RoomView } from '../rooms/model.js';

const secret = Buffer.alloc(32, 7);
const room = (id = 'r1'): RoomView => ({ id, slug: id, title: id, createdAt: new Date(0) });

function code(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

describe('a mailbox is bounded by bytes as well as by count', () => {
  it('64 KiB signals cut a non-reading participant off after 4 MiB, long before 512 of them', async () => {
    const hub = new SignalingHub({ secret, maxParticipants: 8 });
    const slow = hub.join(room(), 'Slow');
    const sender = hub.join(room(), 'Sender');
    const payload = JSON.stringify({ sdp: 'x'.repeat(64 * 1024 - 20) });
    let accepted = 0;
    for (; accepted < 512; accepted++) {
      if (code(() => hub.send(sender.token, slow.participant.id, 'OFFER', payload)) !== 'no error') break;
    }
    expect(slow.events.closed).toBe(true);
    expect(accepted).toBeLessThanOrEqual(64);
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(hub.participants('r1').map((p) => p.id)).toEqual([sender.participant.id]);
  });
});
