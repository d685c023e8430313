/**
 * Call setup in headless Chromium: runs benches/call-run.ts inside a private network
 * namespace that has only loopback (`unshare -n`), so no packet can leave the machine and
 * every ICE candidate is 127.0.0.1, then turns its timings into rows.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { BENCH_DIR, tempDir } from '../lib/proc.js';
import { compared, type Row } from '../lib/report.js';
import { summarize } from '../lib/stats.js';

interface Timing { connectedMs: number; firstFrameMs: number }

export async function callBench(ctx: BenchContext): Promise<void> {
  const out = join(tempDir('parley-call-'), 'call.json');
  const inner = `ip link set lo up && exec "${process.execPath}" --import tsx benches/call-run.ts "${out}"${ctx.quick ? ' --quick' : ''}`;
  const child = spawn('unshare', ['-n', 'sh', '-c', inner], { cwd: BENCH_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 8 * 60_000);
    child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
  });
  let result: { trials: number; sizes: number[]; timings: Record<string, Timing[]>; pending?: string; errors: string[] };
  try {
    result = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    throw new Error(`the browser run exited with ${code} and wrote no results`);
  }
  ctx.details.call = result;
  for (const e of result.errors) ctx.notes.push(`call: ${e}`);
  const median = (key: string, field: keyof Timing) => {
    const list = result.timings[key];
    return list?.length ? summarize(list.map((t) => t[field])).p50 : null;
  };
  const rows: Row[] = [];
  for (const size of result.sizes) {
    for (const [field, label] of [['connectedMs', 'every peer connected'], ['firstFrameMs', 'first remote frame from each']] as const) {
      const row = compared('call', `${size} peers: Join -> ${label}`, 'ms', median(`parley-${size}`, field), 'minimal page', median(`minimal-${size}`, field), 'lower', 1.2);
      if (result.pending) {
        row.met = null;
        row.note = 'pending';
      }
      rows.push(row);
    }
  }
  ctx.rows.push(...rows);
  ctx.notes.push(
    `call: medians of ${result.trials} trials after a warm-up round, timed in the joining page from the click on "Join call" (Parley's room page) or window.bench.join() ` +
      '(bench/browser/minimal.html) until its every RTCPeerConnection is connected / every remote <video> has videoWidth > 0; the others joined first, one by one. ' +
      'Chromium headless with a fake camera (VP8), one browser context per peer, inside `unshare -n` (loopback only). Parley runs with its STUN listener on; the minimal page uses iceServers: [].' +
      (result.pending ? ` Parley side PENDING: ${result.pending}.` : ''),
  );
}
