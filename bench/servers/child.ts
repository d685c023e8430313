/**
 * The IPC side of a benchmark server child (see lib/proc.ts): tells the parent its ports
 * and answers `memory` (after full GCs), `cpu` and `snapshot` (heap-profile.ts) questions.
 */
const gc = (globalThis as { gc?: () => void }).gc;
let profiler: import('node:inspector').Session | null = null;

/** Stops the running profiler session, writes its profile to a temporary file and answers with its path ('' on failure). */
async function stopProfiler(method: 'Profiler.stop' | 'HeapProfiler.stopSampling', extension: string, id: number): Promise<void> {
  const session = profiler!;
  profiler = null;
  const { writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  session.post(method, (err, r: { profile: unknown }) => {
    const file = `${tmpdir()}/parley-${process.pid}-${id}.${extension}`;
    if (!err) writeFileSync(file, JSON.stringify(r.profile));
    session.disconnect();
    process.send!({ type: 'answer', id, value: err ? '' : file });
  });
}

export function serveParent(ready: { port: number; stunPort?: number }): void {
  process.on('message', async (msg: { type: string; id: number }) => {
    if (msg.type === 'memory') {
      for (let i = 0; i < 4; i++) {
        gc?.();
        await new Promise((r) => setImmediate(r));
      }
      const m = process.memoryUsage();
      const { getHeapSpaceStatistics } = await import('node:v8');
      // Committed bytes per V8 space: what of the RSS is V8's heap, used or not.
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
      process.send!({ type: 'answer', id: msg.id, value: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, spaces } });
    } else if (msg.type === 'snapshot') {
      // Only heap-profile.ts asks: a full heap snapshot to a temporary file.
      for (let i = 0; i < 4; i++) {
        gc?.();
        await new Promise((r) => setImmediate(r));
      }
      const { writeHeapSnapshot } = await import('node:v8');
      const { tmpdir } = await import('node:os');
      process.send!({ type: 'answer', id: msg.id, value: writeHeapSnapshot(`${tmpdir()}/parley-${process.pid}-${msg.id}.heapsnapshot`) });
    } else if (msg.type === 'profile-start') {
      // Only profile-relay.ts asks: V8's sampling CPU profiler, until profile-stop.
      const { Session } = await import('node:inspector');
      profiler = new Session();
      profiler.connect();
      const post = (method: string, params?: object) => new Promise((res, rej) => profiler!.post(method, params ?? {}, (err, r) => (err ? rej(err) : res(r))));
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
      process.send!({ type: 'answer', id: msg.id, value: true });
    } else if (msg.type === 'profile-stop') {
      await stopProfiler('Profiler.stop', 'cpuprofile', msg.id);
    } else if (msg.type === 'alloc-start') {
      // Only alloc-probe.ts asks: V8's sampling heap profiler, counting what minor and major
      // GCs collect too (every allocation sampled, not only what survives), until alloc-stop.
      const { Session } = await import('node:inspector');
      profiler = new Session();
      profiler.connect();
      profiler.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true } as object, (err) =>
        process.send!({ type: 'answer', id: msg.id, value: !err }),
      );
    } else if (msg.type === 'alloc-stop') {
      await stopProfiler('HeapProfiler.stopSampling', 'heapprofile', msg.id);
    } else if (msg.type === 'uptime') {
      // Milliseconds since the process started: the clock of --trace-gc's lines.
      process.send!({ type: 'answer', id: msg.id, value: performance.now() });
    } else if (msg.type === 'cpu') {
      const c = process.cpuUsage();
      process.send!({ type: 'answer', id: msg.id, value: c.user + c.system });
    }
  });
  process.send!({ type: 'ready', ...ready });
  // The parent going away must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
}
