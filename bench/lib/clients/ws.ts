/** A participant of the bare ws reference relay (servers/ws-relay.ts). */
import WebSocket from 'ws';
import { poster } from './http.js';
import type { Conn, RelayEvent, System } from './types.js';

class WsConn implements Conn {
  id = '';
  peers: string[] = [];
  errors = 0;
  onEvent: (event: RelayEvent) => void = () => {};
  constructor(readonly ws: WebSocket) {}
  send(to: string, kind: string, payload: string): void {
    this.ws.send(JSON.stringify({ to, kind, payload }));
  }
  close(): void {
    this.ws.close(1000);
  }
  terminate(): void {
    this.ws.terminate();
  }
}

export function wsSystem(baseUrl: string): System {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/ws';
  const http = poster(baseUrl);
  return {
    name: 'ws',
    rooms: async (count) => Array.from({ length: count }, (_, i) => `room-${i}`),
    join(room) {
      return new Promise<Conn>((resolve, reject) => {
        const ws = new WebSocket(`${wsUrl}?room=${encodeURIComponent(room)}`, { perMessageDeflate: false });
        const conn = new WsConn(ws);
        let welcomed = false;
        ws.on('error', (err) => !welcomed && reject(err));
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { type?: string; id?: string; peers?: string[]; from?: string; kind?: string; payload?: string };
          if (msg.from !== undefined) conn.onEvent({ type: 'signal', from: msg.from, kind: msg.kind!, payload: msg.payload! });
          else if (msg.type === 'hello') {
            welcomed = true;
            conn.id = msg.id!;
            conn.peers = msg.peers!;
            resolve(conn);
          } else if (msg.type === 'joined' || msg.type === 'left') conn.onEvent({ type: msg.type, id: msg.id! });
        });
      });
    },
    async sendHttp(from, to, kind, payload) {
      const res = await http.post('/signal', JSON.stringify({ from: from.id, to, kind, payload }));
      return res.status === 200;
    },
    dispose: () => http.dispose(),
  };
}
