/**
 * A STUN flood in its own process (forked by benches/stun.ts): Binding requests to
 * 127.0.0.1:PORT at RATE per second, open loop, replies read and dropped, for at most
 * SECONDS. Exits when done or when the parent disconnects.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { bindingRequest } from '../lib/stun-load.js';

const port = Number(process.env.FLOOD_PORT);
const rate = Number(process.env.FLOOD_RATE);
const seconds = Number(process.env.FLOOD_SECONDS ?? 60);
const socket = createSocket('udp4');
const salt = randomBytes(8);
let counter = 0;
let answered = 0;
socket.on('message', () => answered++);
socket.bind(0, '127.0.0.1', () => {
  const started = performance.now();
  const tick = 5;
  const timer = setInterval(() => {
    const elapsed = performance.now() - started;
    if (elapsed > seconds * 1000) return stop();
    const due = Math.floor((elapsed / 1000) * rate);
    while (counter < due) socket.send(bindingRequest(counter++, salt), port, '127.0.0.1');
  }, tick);
  const stop = () => {
    clearInterval(timer);
    process.send?.({ type: 'done', sent: counter, answered, seconds: (performance.now() - started) / 1000 });
    setTimeout(() => process.exit(0), 50);
  };
  process.on('message', (m: { type: string }) => m.type === 'stop' && stop());
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
});
