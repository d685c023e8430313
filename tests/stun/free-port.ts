/**
 * A UDP port that was free a moment ago: bind port 0, read the port, close. For STUN
 * tests, since STUN_PORT=0 means "off" rather than "any port".
 */
import { createSocket } from 'node:dgram';

export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
