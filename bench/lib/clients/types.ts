/**
 * The signaling-only client every load generator drives: one participant of one system
 * (Parley, bare ws, Socket.IO), joined to a room. Benchmarks are written once against
 * this interface; lib/clients/{parley,ws,socketio}.ts implement it.
 */

export type RelayEvent =
  | { type: 'signal'; from: string; kind: string; payload: string }
  | { type: 'joined'; id: string }
  | { type: 'left'; id: string };

export interface Conn {
  /** This participant's id, from the server. */
  readonly id: string;
  /** Who was in the room at join time (others only). */
  readonly peers: string[];
  /** Signals whose send the server refused (errors in the mutation result). */
  errors: number;
  /** Called for every event after join; replace it to listen. */
  onEvent: (event: RelayEvent) => void;
  /** Sends a signal on the participant's own socket. */
  send(to: string, kind: string, payload: string): void;
  /** Leaves by closing the socket cleanly. */
  close(): void;
  /** Drops the socket without a close handshake (bulk teardown). */
  terminate(): void;
}

export interface System {
  /** Short name used in tables: parley, ws, socket.io. */
  readonly name: string;
  /** Makes `count` rooms and returns their names (Parley creates them over GraphQL). */
  rooms(count: number): Promise<string[]>;
  /** Joins `room`; resolves once the server's welcome arrived. */
  join(room: string): Promise<Conn>;
  /** Sends a signal over HTTP, if the system has an HTTP path (resolves when answered). */
  sendHttp?(from: Conn, to: string, kind: string, payload: string): Promise<boolean>;
  /** Releases client-side resources (HTTP agents). */
  dispose(): void;
}
