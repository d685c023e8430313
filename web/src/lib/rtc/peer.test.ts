/**
 * Perfect negotiation between two Peers over in-memory RTCPeerConnections (see
 * ./testing/fake-peer-connection.ts): the signalingState at each step, glare from both
 * sides, candidates that arrive before their description, and close().
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Peer, type PeerState } from './peer';
import type { SignalKind } from './signaling-channel';
import { FakeMediaStream, FakeRTCPeerConnection, FakeTrack } from './testing/fake-peer-connection';

interface Message {
  kind: SignalKind;
  payload: unknown;
}

/** One side of a call: its Peer, its fake connection, and what it sent but we hold. */
interface Side {
  peer: Peer;
  pc: FakeRTCPeerConnection;
  outbox: Message[];
  states: PeerState[];
  streams: unknown[];
  errors: unknown[];
}

const settle = async (rounds = 10) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
};

function side(remoteId: string, polite: boolean, iceGraceMs?: number, iceRestartRetryMs?: number): Side {
  const local = new FakeMediaStream([new FakeTrack('audio'), new FakeTrack('video')]);
  let pc!: FakeRTCPeerConnection;
  const s = { outbox: [] as Message[], states: [] as PeerState[], streams: [] as unknown[], errors: [] as unknown[] } as Side;
  s.peer = new Peer({
    remoteId,
    polite,
    configuration: { iceServers: [] },
    localStream: local as unknown as MediaStream,
    send: (kind, payload) => void s.outbox.push({ kind, payload: JSON.parse(JSON.stringify(payload)) }),
    createConnection: (c) => (pc = new FakeRTCPeerConnection(c)) as unknown as RTCPeerConnection,
    iceGraceMs,
    iceRestartRetryMs,
  });
  s.pc = pc;
  s.peer.on('state', (st) => s.states.push(st));
  s.peer.on('stream', (st) => s.streams.push(st));
  s.peer.on('error', (e) => s.errors.push(e));
  return s;
}

/** Hands everything `from` sent so far to `to`, optionally only some kinds. */
function deliver(from: Side, to: Side, kinds?: SignalKind[]): number {
  const taken = from.outbox.filter((m) => !kinds || kinds.includes(m.kind));
  from.outbox = from.outbox.filter((m) => !taken.includes(m));
  for (const m of taken) to.peer.handleSignal(m.kind, m.payload);
  return taken.length;
}

/** Delivers both ways until nobody has anything left to say. */
async function converse(a: Side, b: Side): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await settle();
    if (deliver(a, b) + deliver(b, a) === 0) {
      await settle();
      if (a.outbox.length + b.outbox.length === 0) return;
    }
  }
  throw new Error('the peers kept talking');
}

const sides: Side[] = [];
function pair(iceGraceMs?: number, iceRestartRetryMs?: number): { impolite: Side; polite: Side } {
  // In the mesh the larger participant id is polite; here the names say it.
  const impolite = side('polite', false, iceGraceMs, iceRestartRetryMs);
  const polite = side('impolite', true, iceGraceMs, iceRestartRetryMs);
  sides.push(impolite, polite);
  return { impolite, polite };
}

afterEach(() => {
  for (const s of sides.splice(0)) s.peer.close();
});

function expectHealthy(...all: Side[]): void {
  for (const s of all) {
    expect(s.pc.violations).toEqual([]);
    expect(s.errors).toEqual([]);
    expect(s.pc.signalingState).toBe('stable');
    expect(s.peer.state).toBe('connected');
    expect(s.streams.length).toBeGreaterThan(0);
  }
}

describe('Peer negotiation', () => {
  it.each([false, true])('the side that starts offers, the other answers (starter polite: %s)', async (starterPolite) => {
    const { impolite, polite } = pair();
    const [caller, callee] = starterPolite ? [polite, impolite] : [impolite, polite];
    caller.peer.start();
    await settle();
    expect(caller.pc.signalingState).toBe('have-local-offer');
    expect(caller.outbox[0]).toMatchObject({ kind: 'OFFER', payload: { type: 'offer' } });

    deliver(caller, callee, ['OFFER']);
    await settle();
    expect(callee.pc.stateLog).toEqual(['have-remote-offer', 'stable']);
    expect(callee.outbox[0]).toMatchObject({ kind: 'ANSWER', payload: { type: 'answer' } });

    await converse(caller, callee);
    expect(caller.pc.stateLog).toEqual(['have-local-offer', 'stable']);
    expect(callee.pc.stateLog).toEqual(['have-remote-offer', 'stable']);
    expectHealthy(caller, callee);
    // The answerer sends its own tracks on the offered transceivers: no second round.
    expect(callee.pc.getTransceivers().map((t) => [t.receiver.track.kind, t.direction, t.sender.track?.kind])).toEqual([
      ['audio', 'sendrecv', 'audio'],
      ['video', 'sendrecv', 'video'],
    ]);
    expect(caller.states).toEqual(['connected']);
  });

  it.each(['polite first', 'impolite first'])('glare resolves: the polite side rolls back (%s)', async (order) => {
    const { impolite, polite } = pair();
    impolite.peer.start();
    polite.peer.start();
    await settle();
    // Both offers are on the wire before either arrives.
    expect(impolite.pc.signalingState).toBe('have-local-offer');
    expect(polite.pc.signalingState).toBe('have-local-offer');

    if (order === 'polite first') {
      deliver(polite, impolite);
      deliver(impolite, polite);
    } else {
      deliver(impolite, polite);
      deliver(polite, impolite);
    }
    await settle();
    // The impolite side ignored the colliding offer and still waits for its answer.
    expect(impolite.pc.stateLog).toEqual(['have-local-offer']);
    // The polite side rolled back, took the impolite offer and answered it.
    expect(polite.pc.stateLog.slice(0, 4)).toEqual(['have-local-offer', 'stable', 'have-remote-offer', 'stable']);

    await converse(impolite, polite);
    // Then the polite side's own transceivers are negotiated in a second round.
    expect(impolite.pc.stateLog).toEqual(['have-local-offer', 'stable', 'have-remote-offer', 'stable']);
    expect(polite.pc.stateLog).toEqual(['have-local-offer', 'stable', 'have-remote-offer', 'stable', 'have-local-offer', 'stable']);
    expectHealthy(impolite, polite);
  });

  it('buffers candidates that arrive before the description, then applies them', async () => {
    const { impolite, polite } = pair();
    impolite.peer.start();
    await settle();
    expect(impolite.outbox.filter((m) => m.kind === 'ICE_CANDIDATE')).toHaveLength(3); // two and the end marker

    deliver(impolite, polite, ['ICE_CANDIDATE']);
    await settle();
    expect(polite.pc.remoteDescription).toBeNull();
    expect(polite.pc.remoteCandidates).toEqual([]);

    deliver(impolite, polite, ['OFFER']);
    await settle();
    expect(polite.pc.remoteCandidates).toHaveLength(2);
    await converse(impolite, polite);
    expectHealthy(impolite, polite);
  });

  it('tolerates candidates of an offer it ignored', async () => {
    const { impolite, polite } = pair();
    impolite.peer.start();
    polite.peer.start();
    await settle();
    // The polite offer and its candidates reach the impolite side, which ignores them all.
    deliver(polite, impolite);
    await settle();
    expect(impolite.pc.stateLog).toEqual(['have-local-offer']);
    expect(impolite.errors).toEqual([]);
    await converse(impolite, polite);
    expectHealthy(impolite, polite);
  });

  it('close() stops receiving, closes once, and ignores later signals', async () => {
    const { impolite, polite } = pair();
    impolite.peer.start();
    await converse(impolite, polite);
    const received = polite.pc.getTransceivers().map((t) => t.receiver.track);

    polite.peer.close();
    polite.peer.close();
    expect(polite.pc.closeCalls).toBe(1);
    expect(polite.pc.signalingState).toBe('closed');
    expect(polite.peer.state).toBe('closed');
    expect(polite.states.filter((s) => s === 'closed')).toHaveLength(1);
    expect(received.every((t) => t.readyState === 'ended')).toBe(true);

    polite.peer.handleSignal('OFFER', { type: 'offer', sdp: '{"ufrag":"x","media":[]}' });
    polite.peer.handleSignal('ICE_CANDIDATE', null);
    await settle();
    expect(polite.pc.violations).toEqual([]);
    expect(polite.errors).toEqual([]);
  });
});

describe('ICE recovery', () => {
  const ufrag = (s: Side) => (JSON.parse(s.pc.localDescription!.sdp!) as { ufrag: string }).ufrag;

  async function connected(iceGraceMs?: number, iceRestartRetryMs?: number) {
    const p = pair(iceGraceMs, iceRestartRetryMs);
    p.impolite.peer.start();
    await converse(p.impolite, p.polite);
    expectHealthy(p.impolite, p.polite);
    return p;
  }

  it('on failed, only the impolite side restarts ICE; new credentials, connected again', async () => {
    const { impolite, polite } = await connected();
    const before = ufrag(impolite);
    impolite.pc.simulateIceState('failed');
    polite.pc.simulateIceState('failed');
    expect(impolite.peer.state).toBe('reconnecting');
    expect(polite.peer.state).toBe('failed');
    await converse(impolite, polite);
    expect(ufrag(impolite)).not.toBe(before);
    expect(impolite.peer.counters).toEqual({ offersSent: 2, iceRestarts: 1 });
    expect(polite.peer.counters).toEqual({ offersSent: 0, iceRestarts: 0 });
    expectHealthy(impolite, polite);
    expect(impolite.states).toEqual(['connected', 'reconnecting', 'connected']);
    expect(polite.states).toEqual(['connected', 'failed', 'connected']);
  });

  it('restarts after a disconnect that outlasts the grace, not after a short blip', async () => {
    const { impolite, polite } = await connected(40);
    impolite.pc.simulateIceState('disconnected');
    await new Promise((r) => setTimeout(r, 10));
    impolite.pc.simulateIceState('connected');
    await new Promise((r) => setTimeout(r, 60));
    expect(impolite.peer.counters.iceRestarts).toBe(0);
    expect(impolite.states).toEqual(['connected', 'reconnecting', 'connected']);

    polite.pc.simulateIceState('disconnected'); // the polite side only waits
    impolite.pc.simulateIceState('disconnected');
    await new Promise((r) => setTimeout(r, 60));
    expect(polite.peer.counters.iceRestarts).toBe(0);
    expect(impolite.peer.counters.iceRestarts).toBe(1);
    await converse(impolite, polite);
    expectHealthy(impolite, polite);
  });

  it('a restart offer lost with the signaling socket is withdrawn and made afresh', async () => {
    const { impolite, polite } = await connected(undefined, 200);
    const before = ufrag(impolite);
    impolite.peer.restartIce();
    await settle();
    expect(impolite.pc.signalingState).toBe('have-local-offer');
    impolite.outbox = []; // the offer and its candidates went into a socket that died
    // The old path came back by itself: ICE is up, but the restart is still unanswered.
    impolite.pc.simulateIceState('connected');
    expect(impolite.peer.state).toBe('reconnecting');
    await new Promise((r) => setTimeout(r, 220));
    await settle();
    expect(impolite.outbox.filter((m) => m.kind === 'OFFER')).toHaveLength(1);
    expect(impolite.peer.counters).toEqual({ offersSent: 3, iceRestarts: 2 });
    await converse(impolite, polite);
    expect(ufrag(impolite)).not.toBe(before);
    expectHealthy(impolite, polite);
    expect(impolite.peer.state).toBe('connected');
    expect([...impolite.pc.violations, ...polite.pc.violations]).toEqual([]);
    expect([...impolite.errors, ...polite.errors]).toEqual([]);
  });

  it('a restart while the old path still works shows reconnecting until its answer is in', async () => {
    const { impolite, polite } = await connected();
    impolite.peer.restartIce();
    expect(impolite.peer.state).toBe('reconnecting');
    await settle();
    expect(impolite.pc.signalingState).toBe('have-local-offer');
    expect(impolite.peer.state).toBe('reconnecting');
    await converse(impolite, polite);
    expectHealthy(impolite, polite);
  });
});
