/**
 * Parley under benchmark: the same app and configuration path as api/src/server.ts
 * (loadConfig(process.env) -> buildApp -> listen, SIGTERM -> app.close), plus the IPC
 * channel of child.ts so the load generator can read its memory and CPU.
 */
import { buildApp } from '../../api/src/app.js';
import { loadConfig } from '../../api/src/config.js';
import { serveParent } from './child.js';

const config = loadConfig(process.env);
const app = await buildApp(config);
const stop = () => app.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
serveParent({ port: typeof address === 'object' && address ? address.port : 0, stunPort: app.stun.port ?? 0 });
