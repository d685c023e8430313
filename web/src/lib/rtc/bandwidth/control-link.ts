/**
 * One peer's end of the control data channel (Peer creates it, negotiated with a fixed
 * id). Keeps the latest message of each sort until the channel opens, so a tile size
 * reported before the connection is up still arrives, and hands decoded messages to the
 * controller. Used by controller.ts only.
 */
import { decodeMessage, encodeMessage, type ControlMessage } from './messages';

export class ControlLink {
  #channel: RTCDataChannel | null = null;
  /** The last message of each key not yet sent; a newer one replaces it. */
  readonly #pending = new Map<string, ControlMessage>();
  /** The last message of each key that was sent, to skip repeats. */
  readonly #sent = new Map<string, string>();
  readonly #onMessage: (m: ControlMessage) => void;

  constructor(onMessage: (m: ControlMessage) => void) {
    this.#onMessage = onMessage;
  }

  /** Takes the channel once Peer made it; sends what waited. */
  attach(channel: RTCDataChannel): void {
    this.#channel = channel;
    channel.addEventListener('open', () => this.#flush());
    channel.addEventListener('message', (e: MessageEvent) => {
      const m = decodeMessage(e.data);
      if (m) this.#onMessage(m);
    });
    this.#flush();
  }

  /** Sends `m` unless the same was last sent; queued while the channel is not open. */
  send(m: ControlMessage): void {
    const key = m.t === 'tile' ? `tile:${m.kind}` : m.t;
    if (this.#sent.get(key) === encodeMessage(m)) return;
    this.#pending.set(key, m);
    this.#flush();
  }

  #flush(): void {
    const channel = this.#channel;
    if (!channel || channel.readyState !== 'open') return;
    for (const [key, m] of this.#pending) {
      const text = encodeMessage(m);
      try {
        channel.send(text);
      } catch {
        return; // closing: what is left stays pending, and nobody is listening anyway
      }
      this.#sent.set(key, text);
      this.#pending.delete(key);
    }
  }
}
