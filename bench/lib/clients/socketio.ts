/** A participant of the Socket.IO reference relay (servers/socketio-relay.ts). */
import { io, type Socket } from 'socket.io-client';
import type { Conn, RelayEvent, System } from './types.js';

class IoConn implements Conn {
  id = '';
  peers: string[] = [];
  errors = 0;
  onEvent: (event: RelayEvent) => void = () => {};
  constructor(readonly socket: Socket) {}
  send(to: string, kind: string, payload: string): void {
    this.socket.emit('signal', { to, kind, payload });
  }
  close(): void {
    this.socket.disconnect();
  }
  terminate(): void {
    this.socket.disconnect();
  }
}

export function socketIoSystem(baseUrl: string): System {
  return {
    name: 'socket.io',
    rooms: async (count) => Array.from({ length: count }, (_, i) => `room-${i}`),
    join(room) {
      return new Promise<Conn>((resolve, reject) => {
        const socket = io(baseUrl, {
          transports: ['websocket'],
          auth: { room },
          reconnection: false,
          forceNew: true,
        });
        const conn = new IoConn(socket);
        socket.on('connect_error', reject);
        socket.on('hello', (msg: { id: string; peers: string[] }) => {
          conn.id = msg.id;
          conn.peers = msg.peers;
          resolve(conn);
        });
        socket.on('signal', (m: { from: string; kind: string; payload: string }) => conn.onEvent({ type: 'signal', ...m }));
        socket.on('joined', (m: { id: string }) => conn.onEvent({ type: 'joined', id: m.id }));
        socket.on('left', (m: { id: string }) => conn.onEvent({ type: 'left', id: m.id }));
      });
    },
    dispose: () => {},
  };
}
