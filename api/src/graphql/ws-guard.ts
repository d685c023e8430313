/**
 * Enforces the graphql-transport-ws protocol rules that mercurius 16 leaves out, in front
 * of it on every /graphql socket: an incoming message that breaks a rule closes the socket
 * with the protocol's code before mercurius sees it.
 *
 *   4400  invalid message (not JSON, no known type, a subscribe without id or query)
 *   4401  subscribe before the connection was acknowledged
 *   4408  no connection_init within CONNECTION_INIT_TIMEOUT_MS
 *   4409  subscribe with the id of an operation still running
 *   4429  a second connection_init
 *
 * Called by graphql/plugin.ts on the WebSocket server's 'connection' event, which fires
 * before mercurius's handler attaches, so wrapping `emit` here sees every message first.
 */
import type { WebSocket } from 'ws';

export const CONNECTION_INIT_TIMEOUT_MS = 3_000;

export const CloseCode = {
  BadRequest: 4400,
  Unauthorized: 4401,
  InitTimeout: 4408,
  SubscriberExists: 4409,
  TooManyInits: 4429,
} as const;

type Verdict = { ok: true } | { ok: false; code: number; reason: string };
const OK: Verdict = { ok: true };

/** The protocol state of one socket, fed every message in both directions. */
export class ProtocolState {
  initialised = false;
  acknowledged = false;
  readonly running = new Set<string>();

  /** Judges a message from the client (raw text), updating the state. */
  incoming(text: string): Verdict {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return bad('Invalid message received: not JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return bad('Invalid message received: not an object');
    const { type, id, payload } = msg as { type?: unknown; id?: unknown; payload?: unknown };
    switch (type) {
      case 'connection_init':
        if (this.initialised) return { ok: false, code: CloseCode.TooManyInits, reason: 'Too many initialisation requests' };
        if (payload != null && (typeof payload !== 'object' || Array.isArray(payload))) return bad('Invalid connection_init payload');
        this.initialised = true;
        return OK;
      case 'ping':
      case 'pong':
        return OK;
      case 'subscribe': {
        if (!this.acknowledged) return { ok: false, code: CloseCode.Unauthorized, reason: 'Unauthorized' };
        if (typeof id !== 'string' || id.length === 0 || id.length > 128) return bad('Invalid subscribe: id must be a non-empty string');
        const query = (payload as { query?: unknown } | null)?.query;
        if (typeof payload !== 'object' || payload === null || typeof query !== 'string') return bad('Invalid subscribe: payload.query must be a string');
        if (this.running.has(id)) return { ok: false, code: CloseCode.SubscriberExists, reason: `Subscriber for ${id} already exists` };
        this.running.add(id);
        return OK;
      }
      case 'complete':
        if (typeof id !== 'string') return bad('Invalid complete: id must be a string');
        this.running.delete(id);
        return OK;
      default:
        return bad(`Invalid message received: unknown type ${JSON.stringify(type)?.slice(0, 40)}`);
    }
  }

  /** Follows a message the server sends (raw text), to know acks and finished operations. */
  outgoing(text: string): void {
    // mercurius writes `{"type":...,"id":...}` with type first: a prefix test avoids
    // parsing every event on the hot path.
    if (text.startsWith('{"type":"connection_ack"')) this.acknowledged = true;
    else if (text.startsWith('{"type":"complete"') || text.startsWith('{"type":"error"')) {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string') this.running.delete(id);
    }
  }
}

function bad(reason: string): Verdict {
  return { ok: false, code: CloseCode.BadRequest, reason };
}

/** Puts a ProtocolState in front of a socket's 'message' listeners and behind its send. */
export function guardSocket(socket: WebSocket): void {
  const state = new ProtocolState();
  const initTimer = setTimeout(() => {
    if (!state.initialised) socket.close(CloseCode.InitTimeout, 'Connection initialisation timeout');
  }, CONNECTION_INIT_TIMEOUT_MS);
  initTimer.unref();
  socket.once('close', () => clearTimeout(initTimer));

  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message') {
      if (socket.readyState !== socket.OPEN) return false;
      const [data, isBinary] = args as [Buffer | ArrayBuffer | Buffer[], boolean];
      const verdict = state.incoming(isBinary ? '' : String(data));
      if (!verdict.ok) {
        socket.close(verdict.code, verdict.reason);
        return false;
      }
    }
    return emit(event, ...args);
  }) as typeof socket.emit;

  const send = socket.send.bind(socket);
  socket.send = ((data: unknown, ...rest: unknown[]) => {
    if (typeof data === 'string') state.outgoing(data);
    return (send as (...a: unknown[]) => void)(data, ...rest);
  }) as typeof socket.send;
}
