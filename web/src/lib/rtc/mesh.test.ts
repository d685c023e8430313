/**
 * The mesh keeps one Peer per other participant in step with presence, over a fake
 * channel and fake RTCPeerConnections: the newcomer offers, the others wait.
 */
import { describe, expect, it, vi } from 'vitest';
import { Mesh, type MeshHandlers } from './mesh';
import type { PresenceHandlers, SignalKind } from './signaling-channel';
import { FakeMediaStream, FakeRTCPeerConnection, FakeTrack } from './testing/fake-peer-connection';

const member = (id: string) => ({ id, displayName: id.toUpperCase(), joinedAt: '2026-01-01T00:00:00Z' });
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

function mesh() {
  let presence!: PresenceHandlers;
  const sent: { to: string; kind: SignalKind }[] = [];
  const channel = { send: vi.fn(async (to: string, kind: SignalKind) => void sent.push({ to, kind })), onSignal: vi.fn(() => () => true), leave: vi.fn() };
  const handlers: MeshHandlers = { roster: vi.fn(), peerState: vi.fn(), peerStream: vi.fn(), peerRemoved: vi.fn(), ended: vi.fn() };
  const pcs: FakeRTCPeerConnection[] = [];
  const m = new Mesh({
    slug: 'r',
    displayName: 'me',
    localStream: new FakeMediaStream([new FakeTrack('audio'), new FakeTrack('video')]) as unknown as MediaStream,
    iceServers: [],
    handlers,
    openChannel: (p) => ((presence = p), channel),
    createConnection: (c) => {
      const pc = new FakeRTCPeerConnection(c);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
  });
  return { m, presence: () => presence, sent, channel, handlers, pcs };
}

describe('Mesh', () => {
  it('offers to everyone listed in Welcome, waits for newcomers, closes on leave', async () => {
    const { m, presence, sent, channel, handlers, pcs } = mesh();
    presence().welcome(member('m'), [member('a'), member('m'), member('z')]);
    await settle();
    expect([...m.peers.keys()]).toEqual(['a', 'z']);
    expect(m.peers.get('a')!.polite).toBe(true); // 'm' > 'a'
    expect(m.peers.get('z')!.polite).toBe(false);
    expect(sent.filter((s) => s.kind === 'OFFER').map((s) => s.to)).toEqual(['a', 'z']);

    presence().joined(member('n'));
    await settle();
    expect(m.peers.get('n')!.connection.signalingState).toBe('stable');
    expect(sent.some((s) => s.to === 'n')).toBe(false);

    presence().left(member('a'));
    expect(m.peers.has('a')).toBe(false);
    expect(pcs[0]!.signalingState).toBe('closed');
    expect(handlers.peerRemoved).toHaveBeenCalledWith('a');

    m.setEnabled('audio', false);
    m.leave();
    m.leave();
    expect(channel.leave).toHaveBeenCalledTimes(1);
    expect(pcs.every((pc) => pc.signalingState === 'closed')).toBe(true);
    expect(m.departed.map((p) => p.remoteId)).toEqual(['a', 'z', 'n']);
  });
});
