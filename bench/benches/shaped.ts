/**
 * The mesh bandwidth policy under a narrow uplink: runs benches/shaped-run.ts inside a
 * private network namespace (`unshare -n`; it makes a child namespace behind a 500 kbit/s
 * tbf veth for one participant) and turns what the others received from that participant
 * into rows: with Parley's policy vs without it (`?bandwidth=off`), same shaping, same run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { BENCH_DIR, tempDir } from '../lib/proc.js';
import { compared } from '../lib/report.js';
import type { Mode, Reception } from './shaped-run.js';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export async function shapedBench(ctx: BenchContext): Promise<void> {
  const out = join(tempDir('parley-shaped-'), 'shaped.json');
  const inner = `ip link set lo up && exec "${process.execPath}" --import tsx benches/shaped-run.ts "${out}"${ctx.quick ? ' --quick' : ''}`;
  const child = spawn('unshare', ['-n', 'sh', '-c', inner], { cwd: BENCH_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 12 * 60_000);
    child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
  });
  let result: { trials: number; settleMs: number; measureMs: number; results: Record<Mode, Reception[]>; errors: string[] };
  try {
    result = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    throw new Error(`the shaped browser run exited with ${code} and wrote no results`);
  }
  ctx.details.shaped = result;
  for (const e of result.errors) ctx.notes.push(`shaped: ${e}`);
  const all = (mode: Mode, key: keyof Reception) => mean(result.results[mode].flatMap((r) => r[key]));
  const ref = 'no policy (?bandwidth=off)';
  ctx.rows.push(
    compared('shaped', "500 kbit/s uplink: the shaped person's video at the others, frames/s", 'fps', all('policy', 'fps'), ref, all('off', 'fps'), 'higher', 1),
    compared('shaped', "500 kbit/s uplink: freezes of the shaped person's video, per receiver", 'freezes', all('policy', 'freezes'), ref, all('off', 'freezes'), 'lower', 1),
    compared('shaped', "500 kbit/s uplink: the shaped person's audio concealed", 'fraction', all('policy', 'concealment'), ref, all('off', 'concealment'), 'lower', 1),
    compared('shaped', "500 kbit/s uplink: the shaped person's audio packets/s received", 'pps', all('policy', 'audioPps'), ref, all('off', 'audioPps'), 'higher', 0.95),
  );
  ctx.notes.push(
    `shaped: four people at 320x240, one behind a veth into a child network namespace whose uplink is \`tc tbf rate 500kbit burst 32kbit latency 400ms\` (three camera sends want ~700 kbps); ` +
      `after everyone decodes everyone the shaping starts, ${result.settleMs / 1000} s to settle, then ${result.measureMs / 1000} s measured at each of the three others ` +
      `(inbound-rtp framesDecoded, freezeCount, concealedSamples/totalSamplesReceived, packetsReceived); ${result.trials} trial(s) per mode, alternating. Means over receivers and trials.`,
  );
}
