/**
 * An in-memory RTCPeerConnection for peer.ts's negotiation unit tests only (jsdom has no
 * WebRTC). It models what negotiation can get wrong, after the spec and JSEP:
 *  - signalingState: stable -> have-local-offer -> stable (answer) or -> stable (rollback);
 *    stable -> have-remote-offer -> stable; every change is logged in `stateLog`;
 *  - one operations chain, so calls made together run in call order;
 *  - negotiationneeded only in stable, for transceivers not yet negotiated;
 *  - track events from setRemoteDescription; ICE candidates after setLocalDescription;
 *  - addIceCandidate rejects without a remote description or for another ufrag.
 * The SDP is JSON, not SDP. Calls the spec forbids are recorded in `violations`, so tests
 * assert invariants the way webrtc/samples' perfect-negotiation test does.
 * Media, ICE checks and DTLS are not modelled: "connected" means both descriptions are
 * applied and a candidate of the current remote ufrag was added.
 */

type Direction = RTCRtpTransceiverDirection;

interface FakeMedia {
  mid: string;
  kind: string;
  direction: Direction;
  msid: string[];
}

interface FakeSdp {
  ufrag: string;
  media: FakeMedia[];
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${++counter}`;

export class FakeTrack {
  readonly id = nextId('track-');
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: string) {}
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings(): MediaTrackSettings {
    return {};
  }
}

export class FakeMediaStream {
  readonly id = nextId('stream-');
  readonly #tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.#tracks = [...tracks];
  }
  getTracks(): FakeTrack[] {
    return [...this.#tracks];
  }
  addTrack(track: FakeTrack): void {
    this.#tracks.push(track);
  }
}

/** A data channel that never opens: negotiation tests only check it exists. */
export class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit,
  ) {
    super();
  }
  send(): void {
    throw new DOMException('The channel is not open.', 'InvalidStateError');
  }
  close(): void {
    this.readyState = 'closed';
  }
}

class FakeSender {
  streams: FakeMediaStream[] = [];
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(track: FakeTrack | null): Promise<void> {
    this.track = track;
  }
  setStreams(...streams: FakeMediaStream[]): void {
    this.streams = streams;
  }
}

class FakeTransceiver {
  mid: string | null = null;
  stopped = false;
  currentDirection: Direction | null = null;
  readonly sender: FakeSender;
  readonly receiver: { track: FakeTrack };
  /** Created by setRemoteDescription(offer): removed again by its rollback. */
  fromRemoteOffer = false;
  /** Part of a completed offer/answer exchange. */
  negotiated = false;
  trackFired = false;
  constructor(
    kind: string,
    public direction: Direction,
    track: FakeTrack | null,
  ) {
    this.sender = new FakeSender(track);
    this.receiver = { track: new FakeTrack(kind) };
  }
}

const reverse = (d: Direction): Direction => (d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d);
const sends = (d: Direction) => d === 'sendrecv' || d === 'sendonly';
const receives = (d: Direction) => d === 'sendrecv' || d === 'recvonly';
function intersect(local: Direction, offered: Direction): Direction {
  const send = sends(local) && receives(offered);
  const recv = receives(local) && sends(offered);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

function fail(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

export class FakeRTCPeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly stateLog: RTCSignalingState[] = [];
  readonly violations: string[] = [];
  readonly remoteCandidates: RTCIceCandidateInit[] = [];
  closeCalls = 0;
  readonly dataChannels: FakeDataChannel[] = [];
  #transceivers: FakeTransceiver[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #pendingOps = 0;
  #ufrag = nextId('ufrag-');
  #gatheredUfrag: string | null = null;
  #restartRequested = false;
  #negotiationEventQueued = false;
  #remoteStreams = new Map<string, FakeMediaStream>();

  constructor(readonly configuration: RTCConfiguration = {}) {
    super();
  }

  addTransceiver(trackOrKind: FakeTrack | string, init: RTCRtpTransceiverInit = {}): FakeTransceiver {
    this.#assertOpen('addTransceiver');
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const transceiver = new FakeTransceiver(kind, init.direction ?? 'sendrecv', track);
    transceiver.sender.streams = (init.streams ?? []) as unknown as FakeMediaStream[];
    this.#transceivers.push(transceiver);
    this.#updateNegotiationNeeded();
    return transceiver;
  }

  /** Negotiated channels only (Peer's control channel): they change no description here. */
  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    this.#assertOpen('createDataChannel');
    const channel = new FakeDataChannel(label, init);
    this.dataChannels.push(channel);
    return channel;
  }

  getTransceivers(): FakeTransceiver[] {
    return [...this.#transceivers];
  }

  restartIce(): void {
    this.#restartRequested = true;
    this.#updateNegotiationNeeded();
  }

  setLocalDescription(desc?: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue(() => this.#setLocal(desc));
  }

  setRemoteDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue(() => this.#setRemote(desc));
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return this.#enqueue(() => {
      if (!this.remoteDescription) {
        this.violations.push('addIceCandidate before a remote description');
        throw fail('InvalidStateError', 'No remote description.');
      }
      if (!candidate || !candidate.candidate) return; // end-of-candidates
      const remoteUfrag = (JSON.parse(this.remoteDescription.sdp!) as FakeSdp).ufrag;
      if (candidate.usernameFragment !== remoteUfrag) {
        throw fail('OperationError', 'The candidate matches no remote description.');
      }
      this.remoteCandidates.push(candidate);
      this.#updateConnection();
    });
  }

  /** What the ICE agent would report when the path breaks (tests only). */
  simulateIceState(state: 'disconnected' | 'failed' | 'connected'): void {
    this.iceConnectionState = state;
    this.#dispatch('iceconnectionstatechange', {});
    this.connectionState = state;
    this.#dispatch('connectionstatechange', {});
  }

  close(): void {
    this.closeCalls++;
    if (this.signalingState === 'closed') return;
    this.signalingState = 'closed';
    this.stateLog.push('closed');
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
  }

  #enqueue(op: () => void): Promise<void> {
    if (this.signalingState === 'closed') return Promise.reject(fail('InvalidStateError', 'Closed.'));
    this.#pendingOps++;
    const run = this.#chain.then(async () => {
      // An operation takes at least a task, as in browsers: other code interleaves.
      await new Promise((r) => setTimeout(r, 0));
      if (this.signalingState === 'closed') throw fail('InvalidStateError', 'Closed.');
      op();
    });
    this.#chain = run.catch(() => undefined);
    return run.finally(() => {
      this.#pendingOps--;
      this.#updateNegotiationNeeded();
    });
  }

  #setLocal(desc?: RTCSessionDescriptionInit): void {
    const type = desc?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    if (type === 'rollback') return this.#rollback();
    if (type === 'offer') {
      if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') {
        this.violations.push(`setLocalDescription(offer) in ${this.signalingState}`);
        throw fail('InvalidStateError', `Cannot set a local offer in ${this.signalingState}.`);
      }
      if (this.#restartRequested) this.#ufrag = nextId('ufrag-');
      this.#restartRequested = false;
      const used = new Set(this.#transceivers.map((t) => t.mid));
      for (const t of this.#transceivers) {
        if (t.mid !== null || t.stopped) continue;
        let n = 0;
        while (used.has(String(n))) n++;
        t.mid = String(n);
        used.add(t.mid);
      }
      this.localDescription = this.#describe('offer', (t) => t.direction);
      this.#setState('have-local-offer');
    } else if (type === 'answer') {
      if (this.signalingState !== 'have-remote-offer') {
        this.violations.push(`setLocalDescription(answer) in ${this.signalingState}`);
        throw fail('InvalidStateError', `Cannot set a local answer in ${this.signalingState}.`);
      }
      const offered = JSON.parse(this.remoteDescription!.sdp!) as FakeSdp;
      const byMid = new Map(offered.media.map((m) => [m.mid, m.direction]));
      this.localDescription = this.#describe('answer', (t) => intersect(t.direction, byMid.get(t.mid!) ?? 'inactive'));
      this.#completeExchange(this.localDescription);
      this.#updateConnection();
    }
    this.#gather();
  }

  #setRemote(desc: RTCSessionDescriptionInit): void {
    const sdp = JSON.parse(desc.sdp ?? '{"media":[]}') as FakeSdp;
    if (desc.type === 'offer') {
      if (this.signalingState !== 'stable' && this.signalingState !== 'have-remote-offer') {
        // Strict: a remote offer over our own needs an explicit rollback first.
        this.violations.push(`setRemoteDescription(offer) in ${this.signalingState}`);
        throw fail('InvalidStateError', `Cannot set a remote offer in ${this.signalingState}.`);
      }
      for (const m of sdp.media) {
        let t = this.#transceivers.find((x) => x.mid === m.mid);
        if (!t) {
          t = new FakeTransceiver(m.kind, 'recvonly', null);
          t.mid = m.mid;
          t.fromRemoteOffer = true;
          this.#transceivers.push(t);
        }
      }
      this.remoteDescription = { type: 'offer', sdp: desc.sdp };
      this.#setState('have-remote-offer');
    } else if (desc.type === 'answer') {
      if (this.signalingState !== 'have-local-offer') {
        this.violations.push(`setRemoteDescription(answer) in ${this.signalingState}`);
        throw fail('InvalidStateError', `Cannot set a remote answer in ${this.signalingState}.`);
      }
      this.remoteDescription = { type: 'answer', sdp: desc.sdp };
      this.#completeExchange(this.localDescription!);
    } else {
      throw fail('TypeError', `Unexpected remote description type ${desc.type}.`);
    }
    for (const m of sdp.media) {
      const t = this.#transceivers.find((x) => x.mid === m.mid);
      if (!t || t.trackFired || !sends(m.direction)) continue;
      t.trackFired = true;
      const streams = m.msid.map((id) => {
        const stream = this.#remoteStreams.get(id) ?? new FakeMediaStream();
        this.#remoteStreams.set(id, stream);
        stream.addTrack(t.receiver.track);
        return stream;
      });
      this.#dispatch('track', { track: t.receiver.track, streams, transceiver: t, receiver: t.receiver });
    }
    this.#updateConnection();
  }

  #rollback(): void {
    if (this.signalingState === 'have-local-offer') {
      for (const t of this.#transceivers) if (!t.negotiated) t.mid = null;
      this.localDescription = this.#lastStable?.local ?? null;
    } else if (this.signalingState === 'have-remote-offer') {
      this.#transceivers = this.#transceivers.filter((t) => !(t.fromRemoteOffer && !t.negotiated));
      this.remoteDescription = this.#lastStable?.remote ?? null;
    } else {
      this.violations.push(`rollback in ${this.signalingState}`);
      throw fail('InvalidStateError', `Nothing to roll back in ${this.signalingState}.`);
    }
    this.#setState('stable');
  }

  #lastStable: { local: RTCSessionDescriptionInit | null; remote: RTCSessionDescriptionInit | null } | null = null;

  #completeExchange(answerOrOffer: RTCSessionDescriptionInit): void {
    const media = (JSON.parse(answerOrOffer.sdp!) as FakeSdp).media;
    for (const t of this.#transceivers) {
      const m = media.find((x) => x.mid === t.mid);
      if (!m) continue;
      t.negotiated = true;
      t.currentDirection = this.localDescription === answerOrOffer && answerOrOffer.type === 'answer' ? m.direction : reverse(m.direction);
    }
    this.#setState('stable');
    this.#lastStable = { local: this.localDescription, remote: this.remoteDescription };
  }

  #describe(type: 'offer' | 'answer', direction: (t: FakeTransceiver) => Direction): RTCSessionDescriptionInit {
    const media = this.#transceivers
      .filter((t) => t.mid !== null && !t.stopped)
      .map((t) => ({ mid: t.mid!, kind: t.receiver.track.kind, direction: direction(t), msid: t.sender.streams.map((s) => s.id) }));
    return { type, sdp: JSON.stringify({ ufrag: this.#ufrag, media } satisfies FakeSdp) };
  }

  #setState(state: RTCSignalingState): void {
    this.signalingState = state;
    this.stateLog.push(state);
    this.#dispatch('signalingstatechange', {});
  }

  #gather(): void {
    if (this.#gatheredUfrag === this.#ufrag) return;
    const ufrag = (this.#gatheredUfrag = this.#ufrag);
    if (this.connectionState === 'new') this.#setConnection('connecting');
    setTimeout(() => {
      if (this.signalingState === 'closed') return;
      for (const port of [50000, 50001]) {
        const init = { candidate: `candidate:${port} 1 udp 2122260223 127.0.0.1 ${port} typ host`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag };
        this.#dispatch('icecandidate', { candidate: { ...init, toJSON: () => init } });
      }
      this.#dispatch('icecandidate', { candidate: null });
    }, 0);
  }

  #updateConnection(): void {
    if (this.signalingState !== 'stable' || !this.remoteDescription || !this.localDescription) return;
    const remoteUfrag = (JSON.parse(this.remoteDescription.sdp!) as FakeSdp).ufrag;
    if (this.remoteCandidates.some((c) => c.usernameFragment === remoteUfrag)) this.#setConnection('connected');
  }

  #setConnection(state: RTCPeerConnectionState): void {
    if (this.connectionState === state) return;
    this.connectionState = state;
    this.iceConnectionState = state === 'connecting' ? 'checking' : (state as RTCIceConnectionState);
    this.#dispatch('connectionstatechange', {});
  }

  #updateNegotiationNeeded(): void {
    if (this.#negotiationEventQueued || this.signalingState === 'closed') return;
    this.#negotiationEventQueued = true;
    setTimeout(() => {
      this.#negotiationEventQueued = false;
      const needed = this.#restartRequested || this.#transceivers.some((t) => !t.negotiated && !t.fromRemoteOffer && !t.stopped);
      if (needed && this.signalingState === 'stable' && this.#pendingOps === 0) this.#dispatch('negotiationneeded', {});
    }, 0);
  }

  #assertOpen(what: string): void {
    if (this.signalingState === 'closed') {
      this.violations.push(`${what} after close`);
      throw fail('InvalidStateError', 'Closed.');
    }
  }

  #dispatch(type: string, props: Record<string, unknown>): void {
    this.dispatchEvent(Object.assign(new Event(type), props));
  }
}
