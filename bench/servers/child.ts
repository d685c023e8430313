/**
 * The IPC side of a benchmark server child (see lib/proc.ts): tells the parent its ports
 * and answers `memory` (after full GCs), `cpu` and `snapshot` (heap-profile.ts) questions.
 */
const gc = (globalThis as { gc?: () => void }).gc;

export function serveParent(ready: { port: number; stunPort?: number }): void {
  process.on('message', async (msg: { type: string; id: number }) => {
    if (msg.type === 'memory') {
      for (let i = 0; i < 4; i++) {
        gc?.();
        await new Promise((r) => setImmediate(r));
      }
      const m = process.memoryUsage();
      process.send!({ type: 'answer', id: msg.id, value: { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers } });
    } else if (msg.type === 'snapshot') {
      // Only heap-profile.ts asks: a full heap snapshot to a temporary file.
      for (let i = 0; i < 4; i++) {
        gc?.();
        await new Promise((r) => setImmediate(r));
      }
      const { writeHeapSnapshot } = await import('node:v8');
      const { tmpdir } = await import('node:os');
      process.send!({ type: 'answer', id: msg.id, value: writeHeapSnapshot(`${tmpdir()}/parley-${process.pid}-${msg.id}.heapsnapshot`) });
    } else if (msg.type === 'cpu') {
      const c = process.cpuUsage();
      process.send!({ type: 'answer', id: msg.id, value: c.user + c.system });
    }
  });
  process.send!({ type: 'ready', ...ready });
  // The parent going away must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
}
