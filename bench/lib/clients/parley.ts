/**
 * A Parley participant over raw graphql-transport-ws on `ws`: no graphql-ws client, so one
 * load-generator process can hold ten thousand of them. `ws` answers the server's
 * WebSocket pings itself; graphql-ws `ping` messages are answered here.
 */
import WebSocket from 'ws';
import { poster } from './http.js';
import type { Conn, RelayEvent, System } from './types.js';
import { pool } from '../stats.js';

const JOIN =
  'subscription Join($slug: String!, $displayName: String) { joinRoom(slug: $slug, displayName: $displayName) { __typename ' +
  '... on Welcome { token me { id } room { participants { id } } } ... on ParticipantJoined { participant { id } } ' +
  '... on ParticipantLeft { participant { id } } ... on Signal { from kind payload } } }';
const SEND = 'mutation Send($input: SignalInput!) { sendSignal(input: $input) }';

interface JoinEvent {
  __typename: string;
  token?: string;
  me?: { id: string };
  room?: { participants: { id: string }[] };
  participant?: { id: string };
  from?: string;
  kind?: string;
  payload?: string;
}

class ParleyConn implements Conn {
  id = '';
  token = '';
  peers: string[] = [];
  errors = 0;
  onEvent: (event: RelayEvent) => void = () => {};
  #ws: WebSocket;
  #op = 0;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  send(to: string, kind: string, payload: string): void {
    const input = { token: this.token, to, kind, payload };
    this.#ws.send(JSON.stringify({ id: String(++this.#op), type: 'subscribe', payload: { query: SEND, variables: { input } } }));
  }

  close(): void {
    this.#ws.close(1000);
  }

  /** Hard stop without a close handshake (bulk teardown). */
  terminate(): void {
    this.#ws.terminate();
  }

  dispatch(e: JoinEvent): void {
    if (e.__typename === 'Signal') this.onEvent({ type: 'signal', from: e.from!, kind: e.kind!, payload: e.payload! });
    else if (e.__typename === 'ParticipantJoined') this.onEvent({ type: 'joined', id: e.participant!.id });
    else if (e.__typename === 'ParticipantLeft') this.onEvent({ type: 'left', id: e.participant!.id });
  }
}

export function parleySystem(baseUrl: string): System {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/graphql';
  const http = poster(baseUrl);
  return {
    name: 'parley',
    async rooms(count) {
      const stamp = Date.now().toString(36);
      const slugs: string[] = new Array(count);
      await pool(count, 4, async (i) => {
        const body = JSON.stringify({
          query: 'mutation($input: CreateRoomInput!) { createRoom(input: $input) { slug } }',
          variables: { input: { title: `Bench ${i}`, slug: `bench-${stamp}-${i}` } },
        });
        const res = await http.post('/graphql', body);
        const slug = (JSON.parse(res.text) as { data?: { createRoom: { slug: string } } }).data?.createRoom.slug;
        if (!slug) throw new Error(`createRoom failed: ${res.text}`);
        slugs[i] = slug;
      });
      return slugs;
    },
    join(slug) {
      return new Promise<Conn>((resolve, reject) => {
        const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
        const conn = new ParleyConn(ws);
        let welcomed = false;
        ws.on('open', () => ws.send('{"type":"connection_init","payload":{}}'));
        ws.on('error', (err) => !welcomed && reject(err));
        ws.on('close', (code) => !welcomed && reject(new Error(`socket closed ${code} before Welcome`)));
        ws.on('message', (data) => {
          const text = String(data);
          // Results of sendSignal (ids other than "j"): only errors matter.
          if (text.startsWith('{"type":"complete"')) return;
          const msg = JSON.parse(text) as { type: string; id?: string; payload?: { data?: { joinRoom: JoinEvent }; errors?: unknown } };
          if (msg.type === 'connection_ack') {
            ws.send(JSON.stringify({ id: 'j', type: 'subscribe', payload: { query: JOIN, variables: { slug, displayName: 'bench' } } }));
          } else if (msg.type === 'ping') {
            ws.send('{"type":"pong"}');
          } else if (msg.id !== 'j') {
            if (msg.type === 'error' || msg.payload?.errors) conn.errors++;
          } else if (msg.type === 'next' && msg.payload?.data) {
            const event = msg.payload.data.joinRoom;
            if (!welcomed && event.__typename === 'Welcome') {
              welcomed = true;
              conn.id = event.me!.id;
              conn.token = event.token!;
              conn.peers = event.room!.participants.map((p) => p.id).filter((id) => id !== conn.id);
              resolve(conn);
            } else conn.dispatch(event);
          } else if (!welcomed) {
            reject(new Error(`join failed: ${text}`));
            ws.close();
          }
        });
      });
    },
    async sendHttp(from, to, kind, payload) {
      const input = { token: (from as ParleyConn).token, to, kind, payload };
      const res = await http.post('/graphql', JSON.stringify({ query: SEND, variables: { input } }));
      return res.status === 200 && res.text.includes('"sendSignal":true');
    },
    dispose: () => http.dispose(),
  };
}
