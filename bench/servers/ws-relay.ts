/**
 * Reference: the bare `ws` relay, the floor for any WebSocket signaling relay in Node.
 * Same message shape as Parley's Signal: {to, kind, payload} in, {from, kind, payload}
 * out, with rooms and presence (hello / joined / left) and no tokens, no validation
 * beyond JSON, no heartbeat. Also serves, for the browser benchmark, the minimal call
 * page and POST /signal (the bare node:http reference for Parley's HTTP sendSignal).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveParent } from './child.js';

interface Peer { ws: WebSocket; room: string }
const rooms = new Map<string, Map<string, WebSocket>>();
const peers = new Map<string, Peer>();
const page = readFileSync(new URL('../browser/minimal.html', import.meta.url));

function relay(from: string, msg: { to: string; kind: string; payload: string }): boolean {
  const target = peers.get(msg.to);
  if (!target || target.room !== peers.get(from)?.room) return false;
  target.ws.send(JSON.stringify({ from, kind: msg.kind, payload: msg.payload }));
  return true;
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/signal') {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const msg = JSON.parse(body) as { from: string; to: string; kind: string; payload: string };
      const ok = relay(msg.from, msg);
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(String(ok));
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});

const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws, req) => {
  const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? 'default';
  const id = randomUUID();
  const members = rooms.get(room) ?? new Map<string, WebSocket>();
  rooms.set(room, members);
  ws.send(JSON.stringify({ type: 'hello', id, peers: [...members.keys()] }));
  const joined = JSON.stringify({ type: 'joined', id });
  for (const other of members.values()) other.send(joined);
  members.set(id, ws);
  peers.set(id, { ws, room });
  ws.on('message', (data) => relay(id, JSON.parse(String(data))));
  ws.on('close', () => {
    peers.delete(id);
    members.delete(id);
    if (members.size === 0) rooms.delete(room);
    const left = JSON.stringify({ type: 'left', id });
    for (const other of members.values()) other.send(left);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  serveParent({ port: typeof a === 'object' && a ? a.port : 0 });
});
