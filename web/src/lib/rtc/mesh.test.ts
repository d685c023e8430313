/**
 * The mesh keeps one Peer per other participant in step with presence, over a fake
 * channel and fake RTCPeerConnections: the newcomer offers, the others wait.
 */
import { DEFAULT_MEDIA } from './media-state';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Mesh, type MeshHandlers } from './mesh';
import { ADOPT_AFTER_MS, MISSING_GRACE_MS } from './reconcile';
import type { PresenceHandlers, SignalKind } from './signaling-channel';
import { FakeMediaStream, FakeRTCPeerConnection, FakeTrack } from './testing/fake-peer-connection';

const member = (id: string) => ({ id, displayName: id.toUpperCase(), joinedAt: '2026-01-01T00:00:00Z', media: { ...DEFAULT_MEDIA } });
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

function mesh() {
  let presence!: PresenceHandlers;
  const sent: { to: string; kind: SignalKind }[] = [];
  const channel = { send: vi.fn(async (to: string, kind: SignalKind) => void sent.push({ to, kind })), onSignal: vi.fn(() => () => true), leave: vi.fn() };
  const handlers: MeshHandlers = { roster: vi.fn(), peerState: vi.fn(), peerStream: vi.fn(), peerRemoved: vi.fn(), ended: vi.fn(), link: vi.fn() };
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

describe('Mesh on a Welcome', () => {
  it('sends the offers before the page hears of the call (its render would hold them back)', async () => {
    const { presence, sent, handlers } = mesh();
    const order: string[] = [];
    vi.mocked(handlers.roster).mockImplementation(() => void order.push(`roster after ${sent.filter((s) => s.kind === 'OFFER').length} offers`));
    presence().welcome(member('m'), [member('a'), member('m'), member('z')]);
    expect(handlers.roster).not.toHaveBeenCalled();
    expect(handlers.peerState).not.toHaveBeenCalled();
    await settle();
    expect(order).toEqual(['roster after 2 offers']);
    expect(vi.mocked(handlers.peerState).mock.calls.map((c) => c[0]).sort()).toEqual(['a', 'z']);
  });

  it('shows the call alone at once, and a stale Welcome never', async () => {
    const alone = mesh();
    alone.presence().welcome(member('m'), [member('m')]);
    expect(alone.handlers.roster).toHaveBeenCalledTimes(1);

    const { presence, handlers } = mesh();
    presence().welcome(member('m'), [member('a'), member('m')]);
    presence().welcome(member('q'), [member('a'), member('q')]); // the resume came too late
    await settle();
    expect(vi.mocked(handlers.roster).mock.calls.map((c) => c[1].id)).toEqual(['q']);
  });
});

describe('Mesh after a resume', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function inCall() {
    const t = mesh();
    t.presence().welcome(member('m'), [member('a'), member('m'), member('z')]);
    await settle();
    return t;
  }

  it('keeps every Peer, and a ParticipantJoined for a known id changes nothing', async () => {
    const { m, presence, sent, handlers, pcs } = await inCall();
    const offers = sent.filter((s) => s.kind === 'OFFER').length;
    presence().link('reconnecting');
    expect(m.link).toBe('reconnecting');
    expect(handlers.link).toHaveBeenCalledWith('reconnecting');
    presence().resumed(member('m'), [member('a'), member('m'), member('z')]);
    presence().joined(member('z'));
    await settle();
    expect(m.counters).toEqual({ peersCreated: 2, welcomes: 1, resumes: 1 });
    expect([...m.peers.values()].map((p) => p.connection)).toEqual(pcs);
    expect(sent.filter((s) => s.kind === 'OFFER')).toHaveLength(offers);
    expect(handlers.peerRemoved).not.toHaveBeenCalled();
  });

  it('gives those missing from a resumed Welcome a grace period, ended by their return or their leave', async () => {
    const { m, presence, handlers } = await inCall();
    vi.useFakeTimers();
    presence().resumed(member('m'), [member('m')]); // nobody else is back yet
    expect([...m.peers.keys()]).toEqual(['a', 'z']);
    // Still listed: the roster does not flap while they come back.
    expect(vi.mocked(handlers.roster).mock.lastCall![0].map((p) => p.id).sort()).toEqual(['a', 'm', 'z']);

    presence().joined(member('a')); // a is back
    vi.advanceTimersByTime(MISSING_GRACE_MS - 1);
    expect([...m.peers.keys()]).toEqual(['a', 'z']);
    vi.advanceTimersByTime(1);
    expect([...m.peers.keys()]).toEqual(['a']); // z never came back
    expect(handlers.peerRemoved).toHaveBeenCalledWith('z');
    expect(vi.mocked(handlers.roster).mock.lastCall![0].map((p) => p.id).sort()).toEqual(['a', 'm']);

    presence().resumed(member('m'), [member('m')]);
    presence().left(member('a')); // a leave ends the wait at once
    expect(m.peers.size).toBe(0);
    vi.advanceTimersByTime(MISSING_GRACE_MS);
    expect(vi.mocked(handlers.peerRemoved).mock.calls.map((c) => c[0])).toEqual(['z', 'a']);
  });

  it('offers to someone new in a resumed Welcome only if they stay silent', async () => {
    const { m, presence, sent } = await inCall();
    presence().resumed(member('m'), [member('a'), member('m'), member('z'), member('n')]);
    expect(m.peers.has('n')).toBe(true);
    await new Promise((r) => setTimeout(r, ADOPT_AFTER_MS + 50));
    await settle();
    expect(sent.filter((s) => s.to === 'n' && s.kind === 'OFFER')).toHaveLength(1);
    expect(m.counters.peersCreated).toBe(3);
  });

  it('a fresh Welcome (the resume came too late) rebuilds the mesh', async () => {
    const { m, presence, handlers, pcs } = await inCall();
    presence().welcome(member('q'), [member('a'), member('q'), member('z')]);
    await settle();
    expect(handlers.peerRemoved).toHaveBeenCalledTimes(2);
    expect(m.me?.id).toBe('q');
    expect(pcs.slice(0, 2).every((pc) => pc.signalingState === 'closed')).toBe(true);
    expect(m.counters).toEqual({ peersCreated: 4, welcomes: 2, resumes: 0 });
  });
});
