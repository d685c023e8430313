/**
 * Reference: a Socket.IO relay in the way MiroTalk P2P relays signaling (a map of
 * sockets, emit straight to the recipient's socket). Same shapes as the ws relay:
 * hello / joined / left, and 'signal' {to, kind, payload} -> {from, kind, payload}.
 * WebSocket transport only, so no long-polling handshake is measured.
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { serveParent } from './child.js';

const rooms = new Map<string, Map<string, Socket>>();
const sockets = new Map<string, { socket: Socket; room: string }>();

const server = createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  const room = String(socket.handshake.auth.room ?? 'default');
  const id = socket.id;
  const members = rooms.get(room) ?? new Map<string, Socket>();
  rooms.set(room, members);
  socket.emit('hello', { id, peers: [...members.keys()] });
  for (const other of members.values()) other.emit('joined', { id });
  members.set(id, socket);
  sockets.set(id, { socket, room });
  socket.on('signal', (msg: { to: string; kind: string; payload: string }) => {
    const target = sockets.get(msg.to);
    if (target && target.room === room) target.socket.emit('signal', { from: id, kind: msg.kind, payload: msg.payload });
  });
  socket.on('disconnect', () => {
    sockets.delete(id);
    members.delete(id);
    if (members.size === 0) rooms.delete(room);
    for (const other of members.values()) other.emit('left', { id });
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  serveParent({ port: typeof a === 'object' && a ? a.port : 0 });
});
