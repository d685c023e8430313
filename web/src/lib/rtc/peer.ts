/**
 * One remote participant's RTCPeerConnection, negotiated with the W3C "perfect
 * negotiation" pattern: both sides run the same code and only `polite` differs. On an
 * offer collision (glare) the impolite side ignores the incoming offer and the polite one
 * rolls its own back and answers. Remote ICE candidates wait in `#pending` until a remote
 * description exists. A link that goes `disconnected` for more than ICE_GRACE_MS, or
 * `failed`, gets an ICE restart from the impolite side only (so the two sides never both
 * offer); perfect negotiation carries the new offer. Created and closed by mesh.ts;
 * reports upward only through `on()`.
 */
import { CONTROL_CHANNEL_ID, CONTROL_CHANNEL_LABEL } from './bandwidth/messages';
import { withOpusDtxFec } from './bandwidth/sdp';
import type { SignalKind } from './signaling-channel';
import { screenEncodings } from './screen-share';

/**
 * What the UI shows on a tile. `new` counts as connecting: negotiation has begun;
 * `reconnecting` is a link that was up and is being recovered (disconnected, or an ICE
 * restart under way).
 */
export type PeerState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** How long `disconnected` may last before the impolite side restarts ICE (a blip heals alone). */
export const ICE_GRACE_MS = 2_000;
/** An ICE restart that has not connected by then is tried again. */
export const ICE_RESTART_RETRY_MS = 10_000;

export interface PeerEvents {
  state: (state: PeerState) => void;
  /** The remote participant's media; fires again when tracks are added to it. */
  stream: (stream: MediaStream) => void;
  /** Another stream of theirs besides the first (a shared screen: ./screen-share.ts tells which). */
  extraStream: (stream: MediaStream) => void;
  /** A negotiation step failed; the connection may still recover. */
  error: (error: unknown) => void;
  /** The control data channel exists (bandwidth messages; ./bandwidth/controller.ts). */
  control: (channel: RTCDataChannel) => void;
}

export interface PeerOptions {
  remoteId: string;
  polite: boolean;
  configuration: RTCConfiguration;
  /** Our camera and microphone (possibly without tracks: listen only). */
  localStream: MediaStream;
  /** Sends one signal to the remote participant, in order. */
  send: (kind: SignalKind, payload: unknown) => unknown;
  /** Tests pass a fake; browsers use the real thing. */
  createConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  /** Defaults to ICE_GRACE_MS; tests shorten it. */
  iceGraceMs?: number;
  /** Defaults to ICE_RESTART_RETRY_MS; tests shorten it. */
  iceRestartRetryMs?: number;
}

/** What a Peer did, for the test hook and the reliability tests. */
export interface PeerCounters {
  offersSent: number;
  iceRestarts: number;
}

type MediaKind = 'audio' | 'video';
const KINDS: readonly MediaKind[] = ['audio', 'video'];

interface PendingCandidate {
  candidate: RTCIceCandidateInit | null;
  /** Received while an offer was being ignored: its failure is expected. */
  ignored: boolean;
}

export class Peer {
  readonly remoteId: string;
  readonly polite: boolean;
  readonly #pc: RTCPeerConnection;
  readonly #send: PeerOptions['send'];
  readonly #localStream: MediaStream;
  readonly #iceGraceMs: number;
  readonly #iceRestartRetryMs: number;
  readonly #senders = new Map<MediaKind, RTCRtpSender>();
  readonly #listeners: { [K in keyof PeerEvents]: Set<PeerEvents[K]> } = {
    state: new Set(),
    stream: new Set(),
    extraStream: new Set(),
    error: new Set(),
    control: new Set(),
  };
  #makingOffer = false;
  #ignoreOffer = false;
  #pending: PendingCandidate[] = [];
  /** Incoming signals are handled one at a time, in arrival order. */
  #queue: Promise<void> = Promise.resolve();
  #state: PeerState = 'connecting';
  #remoteStream: MediaStream | null = null;
  #control: RTCDataChannel | null = null;
  /** The screen we share on this link (./screen-share.ts), and its transceivers. */
  #screen: MediaStream | null = null;
  #screenTransceivers: RTCRtpTransceiver[] = [];
  #everConnected = false;
  #restarting = false;
  /** The restart's offer/answer exchange has completed (signaling back to stable). */
  #restartNegotiated = false;
  #iceTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #counters: PeerCounters = { offersSent: 0, iceRestarts: 0 };

  constructor(options: PeerOptions) {
    this.remoteId = options.remoteId;
    this.polite = options.polite;
    this.#send = options.send;
    this.#localStream = options.localStream;
    this.#iceGraceMs = options.iceGraceMs ?? ICE_GRACE_MS;
    this.#iceRestartRetryMs = options.iceRestartRetryMs ?? ICE_RESTART_RETRY_MS;
    const create = options.createConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
    this.#pc = create(options.configuration);
    this.#pc.addEventListener('negotiationneeded', () => {
      // start() offers without waiting for this event; its offer is already under way.
      if (!this.#makingOffer) void this.#offer();
    });
    this.#pc.addEventListener('icecandidate', (e) => {
      this.#signal('ICE_CANDIDATE', e.candidate ? e.candidate.toJSON() : null);
    });
    this.#pc.addEventListener('track', (e) => this.#onTrack(e));
    this.#pc.addEventListener('connectionstatechange', () => this.#onConnectionState());
    this.#pc.addEventListener('iceconnectionstatechange', () => this.#onIceState());
    this.#pc.addEventListener('signalingstatechange', () => {
      if (this.#restarting && this.#pc.signalingState === 'stable') this.#restartNegotiated = true;
      this.#onConnectionState();
    });
  }

  get counters(): Readonly<PeerCounters> {
    return this.#counters;
  }

  /** Whether start() or an incoming offer has begun a negotiation on this connection. */
  get negotiating(): boolean {
    return this.#pc.getTransceivers().length > 0 || this.#pc.remoteDescription !== null;
  }

  /** The connection itself, for getStats() and the test hook; do not negotiate on it. */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  get state(): PeerState {
    return this.#state;
  }

  get #closed(): boolean {
    return this.#state === 'closed';
  }

  get remoteStream(): MediaStream | null {
    return this.#remoteStream;
  }

  /** Our sender of that kind on this link, once start() or the remote offer made one. */
  sender(kind: MediaKind): RTCRtpSender | null {
    return this.#senders.get(kind) ?? null;
  }

  /** The control data channel, once negotiation has begun. */
  get control(): RTCDataChannel | null {
    return this.#control;
  }

  on<K extends keyof PeerEvents>(type: K, cb: PeerEvents[K]): () => void {
    this.#listeners[type].add(cb);
    return () => this.#listeners[type].delete(cb);
  }

  /**
   * Starts the call from this side: one audio and one video transceiver, sending our
   * tracks where we have them, and the offer at once. (negotiationneeded would come as a
   * task of its own, behind whatever the page does next: on a join, rendering the call
   * screen. The browser does not fire it while this offer is pending or unanswered.)
   * Resolves once the offer is handed to `send` (or failed: reported as an error).
   */
  start(): Promise<void> {
    this.#openControl();
    for (const kind of KINDS) {
      const track = this.#localTrack(kind);
      const transceiver = this.#pc.addTransceiver(track ?? kind, {
        direction: 'sendrecv',
        streams: [this.#localStream],
      });
      this.#senders.set(kind, transceiver.sender);
    }
    this.#syncScreen();
    return this.#offer();
  }

  /**
   * Shares a screen on this link (null: stops). Its tracks go on transceivers of their
   * own, after the camera's, with the screen's own caps; perfect negotiation sends the
   * offer. Before the first negotiation it waits, so the camera keeps the first m-lines.
   */
  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    this.#syncScreen();
  }

  /** Swaps what we send of one kind (null: send nothing) without renegotiating. */
  async replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    await this.#senders.get(kind)?.replaceTrack(track);
  }

  /** Hands an incoming signal from the remote participant to the negotiation. */
  handleSignal(kind: SignalKind, payload: unknown): void {
    this.#serially(() => (kind === 'ICE_CANDIDATE' ? this.#onCandidate(payload as RTCIceCandidateInit | null) : this.#onDescription(payload as RTCSessionDescriptionInit)));
  }

  /** Runs a negotiation step after the ones before it; a step that fails is reported, the next still runs. */
  #serially(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch((err: unknown) => this.#emit('error', err));
  }

  /**
   * Asks for new ICE credentials and candidates; perfect negotiation sends the offer.
   * Called on `failed` / long `disconnected` by the impolite side, and by the test hook.
   */
  restartIce(): void {
    if (this.#closed) return;
    this.#counters.iceRestarts++;
    this.#restarting = true;
    this.#restartNegotiated = false;
    this.#setState('reconnecting');
    this.#pc.restartIce();
    this.#clearRetry();
    // A restart whose offer or answer was lost (the signaling socket was down) is retried.
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#serially(() => this.#retryRestart());
    }, this.#iceRestartRetryMs);
  }

  /**
   * The restart has not completed. If our offer is still unanswered, it was lost (written
   * to a socket that died under it, as when a link drops): withdraw it, or the new restart
   * would wait behind it for ever (negotiationneeded fires only in `stable`), then ask again.
   */
  async #retryRestart(): Promise<void> {
    if (this.#closed || !this.#restarting) return;
    if (this.#pc.signalingState === 'have-local-offer' && !this.#makingOffer) {
      await this.#pc.setLocalDescription({ type: 'rollback' });
    }
    this.restartIce();
  }

  /** Stops what we receive and closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#clearIceTimer();
    this.#clearRetry();
    for (const transceiver of this.#pc.getTransceivers()) transceiver.receiver.track?.stop();
    this.#pc.close();
    this.#pending = [];
    this.#setState('closed');
    for (const set of Object.values(this.#listeners)) set.clear();
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#signal('OFFER', description(this.#pc.localDescription));
      this.#counters.offersSent++;
    } catch (err) {
      if (!this.#closed) this.#emit('error', err);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onDescription(received: RTCSessionDescriptionInit): Promise<void> {
    if (this.#closed) return;
    const pc = this.#pc;
    // The answer to an offer we withdrew (#retryRestart) after giving it up for lost.
    if (received.type === 'answer' && pc.signalingState === 'stable') return;
    // Opus DTX and FEC for what we send (./bandwidth/sdp.ts says why the remote side's SDP).
    const desc = received.sdp ? { type: received.type, sdp: withOpusDtxFec(received.sdp) } : received;
    const offerCollision = desc.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.polite && offerCollision;
    if (this.#ignoreOffer) return;

    if (offerCollision) {
      // Both calls enter the connection's operations chain: the rollback runs after our
      // own pending setLocalDescription(offer), the remote offer right after it.
      await Promise.all([pc.setLocalDescription({ type: 'rollback' }), pc.setRemoteDescription(desc)]);
    } else {
      await pc.setRemoteDescription(desc);
    }
    // The candidates that came early, our tracks and the answer are queued together on
    // the connection's operations chain: no wait on the page between them (a busy page,
    // rendering the newcomer's tile, would hold each step back).
    const flushed = this.#flushCandidates();
    if (desc.type === 'offer') {
      // The answer then carries the offerer's data section: no negotiation of our own.
      if (/^m=application /m.test(desc.sdp ?? '')) this.#openControl();
      const attached = this.#attachToOffer();
      attached.catch(() => undefined); // awaited below, unless the answer fails first
      await pc.setLocalDescription();
      this.#signal('ANSWER', description(pc.localDescription));
      await attached;
      // A screen shared before this link existed goes out once the camera's m-lines are set.
      this.#syncScreen();
    }
    await flushed;
  }

  /**
   * The answering side sends its tracks on the transceivers the offer created. Direction
   * and streams are set at once (the answer reads them); the tracks as soon as the
   * browser takes them, without holding the answer back.
   */
  #attachToOffer(): Promise<void> {
    const replaced: Promise<void>[] = [];
    for (const transceiver of this.#pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind as MediaKind;
      if (transceiver.currentDirection === 'stopped' || this.#senders.has(kind) || !KINDS.includes(kind)) continue;
      this.#senders.set(kind, transceiver.sender);
      transceiver.direction = 'sendrecv';
      const track = this.#localTrack(kind);
      if (track) replaced.push(transceiver.sender.replaceTrack(track));
      // So the remote side's track event carries our stream (msid in the answer).
      transceiver.sender.setStreams?.(this.#localStream);
    }
    return Promise.all(replaced).then(() => undefined);
  }

  async #onCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    if (this.#closed) return;
    const entry = { candidate, ignored: this.#ignoreOffer };
    if (!this.#pc.remoteDescription) {
      this.#pending.push(entry);
      return;
    }
    await this.#applyCandidate(entry);
  }

  /** Adds the candidates that came before a remote description, all at once (they stay in order on the operations chain). */
  async #flushCandidates(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending.map((entry) => this.#applyCandidate(entry)));
  }

  async #applyCandidate({ candidate, ignored }: PendingCandidate): Promise<void> {
    try {
      // null: the remote side has no more candidates (end-of-candidates).
      await (candidate ? this.#pc.addIceCandidate(candidate) : this.#pc.addIceCandidate());
    } catch (err) {
      // Candidates of an offer we ignored do not match any description of ours, and an
      // end-of-candidates marker is a hint some browsers refuse: both are harmless.
      if (!ignored && !this.#ignoreOffer && candidate && !this.#closed) this.#emit('error', err);
    }
  }

  /**
   * The control channel: negotiated (same id on both sides), so it needs no signal of its
   * own. The offerer makes it before its first offer, the answerer once an offer carries it.
   */
  #openControl(): void {
    if (this.#control || this.#closed) return;
    this.#control = this.#pc.createDataChannel(CONTROL_CHANNEL_LABEL, { negotiated: true, id: CONTROL_CHANNEL_ID });
    this.#emit('control', this.#control);
  }

  #onTrack(event: RTCTrackEvent): void {
    const other = event.streams[0];
    if (other && this.#remoteStream && other.id !== this.#remoteStream.id) {
      this.#emit('extraStream', other);
      return;
    }
    const stream = event.streams[0] ?? (this.#remoteStream ??= new MediaStream());
    if (!event.streams[0] && !stream.getTracks().includes(event.track)) stream.addTrack(event.track);
    this.#remoteStream = stream;
    this.#emit('stream', stream);
  }

  #onConnectionState(): void {
    if (this.#closed) return;
    const s = this.#pc.connectionState;
    if (s === 'connected') {
      this.#everConnected = true;
      // During an ICE restart the old candidate pair usually keeps the link up: the
      // restart is over once its offer and answer are applied.
      if (this.#restarting && !this.#restartNegotiated) return this.#setState('reconnecting');
      this.#restarting = false;
      this.#clearRetry();
      this.#setState('connected');
    } else if (s === 'failed') {
      this.#setState(this.#restarting ? 'reconnecting' : 'failed');
    } else if (s === 'new' || s === 'connecting') {
      this.#setState(this.#everConnected || this.#restarting ? 'reconnecting' : 'connecting');
    } else if (s === 'disconnected') {
      this.#setState('reconnecting');
    }
    this.#onIceState();
  }

  /** ICE trouble: `failed` is restarted at once, `disconnected` after ICE_GRACE_MS. */
  #onIceState(): void {
    if (this.#closed) return;
    const ice = this.#pc.iceConnectionState;
    if (ice === 'connected' || ice === 'completed') {
      this.#clearIceTimer();
      return;
    }
    // An ICE restart needs only one side to ask; the impolite one does, to avoid glare.
    if (this.polite) return;
    if (ice === 'failed') {
      this.#clearIceTimer();
      if (!this.#restarting) this.restartIce();
    } else if (ice === 'disconnected' && this.#iceTimer === null && !this.#restarting) {
      this.#iceTimer = setTimeout(() => {
        this.#iceTimer = null;
        if (!this.#closed && this.#pc.iceConnectionState === 'disconnected') this.restartIce();
      }, this.#iceGraceMs);
    }
  }

  #clearIceTimer(): void {
    if (this.#iceTimer !== null) clearTimeout(this.#iceTimer);
    this.#iceTimer = null;
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #setState(state: PeerState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit('state', state);
  }

  /** Brings the screen transceivers in line with #screen (once the camera's exist). */
  #syncScreen(): void {
    if (this.#closed || this.#senders.size === 0) return;
    const stream = this.#screen;
    const sending = this.#screenTransceivers.map((t) => t.sender.track);
    const tracks = stream?.getTracks() ?? [];
    if (sending.length === tracks.length && tracks.every((t, i) => sending[i] === t)) return;
    for (const transceiver of this.#screenTransceivers) if (transceiver.currentDirection !== 'stopped') transceiver.stop();
    this.#screenTransceivers = tracks.map((track) =>
      this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [stream!], sendEncodings: screenEncodings(track.kind) }),
    );
  }

  #localTrack(kind: MediaKind): MediaStreamTrack | null {
    return this.#localStream.getTracks().find((t) => t.kind === kind) ?? null;
  }

  #signal(kind: SignalKind, payload: unknown): void {
    if (this.#closed) return;
    Promise.resolve()
      .then(() => this.#send(kind, payload))
      .catch((err: unknown) => this.#emit('error', err));
  }

  #emit<K extends keyof PeerEvents>(type: K, ...args: Parameters<PeerEvents[K]>): void {
    for (const cb of this.#listeners[type]) (cb as (...a: Parameters<PeerEvents[K]>) => void)(...args);
  }
}

function description(d: RTCSessionDescription | null): RTCSessionDescriptionInit | null {
  return d ? { type: d.type, sdp: d.sdp } : null;
}
