/**
 * Keeps Redis and an instance's own members in agreement after a Redis blip. Two things
 * can drift: a leave whose script never reached Redis (its member stays: a ghost, its
 * token and its room slot with it), and a join whose reply was lost after the script ran
 * (the same). Every RECONCILE_MS the instance reads the rooms it has members in and
 * removes, with the LEAVE script (announced once, as any leave), every member Redis
 * says is ours that this instance does not hold; and it ends the streams of members it
 * holds that Redis no longer has (their clients come back and resume or join afresh).
 * ClusterHub runs it; leave() also retries its own script (retryLeave).
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import type { StoredMember } from './wire.js';

export const RECONCILE_MS = 3_000;
/** Delays between a failed leave's retries; after the last, reconcile() still catches it. */
export const LEAVE_RETRY_MS = [250, 500, 1_000, 2_000, 4_000];

export interface ReconcileOptions {
  redis: Redis;
  keys: Keys;
  node: string;
  /** Whether this instance holds (or is setting up) the participant's stream now. */
  holds(participantId: string): boolean;
  /** Participants this instance holds as joined (Welcome delivered), by room. */
  held(): Map<string, Set<string>>;
  /** Removes a member of ours from Redis and announces it (the LEAVE script). */
  remove(roomId: string, member: StoredMember): Promise<unknown>;
  /** Ends a local member Redis no longer has (a no-op if it is gone already). */
  drop(participantId: string): void;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export class Reconciler {
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  constructor(private readonly o: ReconcileOptions) {}

  start(): void {
    this.#timer = setInterval(() => void this.run(), RECONCILE_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One pass; returns how many ghosts it removed and how many local members it ended. */
  async run(): Promise<{ removed: number; dropped: number }> {
    if (this.#running) return { removed: 0, dropped: 0 };
    this.#running = true;
    let removed = 0;
    let dropped = 0;
    const { redis, keys, node } = this.o;
    try {
      const held = this.o.held();
      const rooms = new Set([...(await redis.smembers(keys.instanceRooms(node))), ...held.keys()]);
      for (const roomId of rooms) {
        const inRedis = new Set<string>();
        for (const json of await redis.hvals(keys.room(roomId))) {
          const member = JSON.parse(json) as StoredMember;
          inRedis.add(member.id);
          // Checked right before the script is issued: a resume issues its own script after it took the stream.
          if (member.instance === node && !this.o.holds(member.id)) {
            await this.o.remove(roomId, member);
            removed++;
          }
        }
        // `held` was taken before the read: each of those joins had completed in Redis by then.
        for (const id of held.get(roomId) ?? []) {
          if (!inRedis.has(id)) {
            this.o.drop(id);
            dropped++;
          }
        }
      }
      if (removed || dropped) this.o.log.info({ removed, dropped }, 'cluster reconcile: fixed members after a Redis gap');
    } catch (err) {
      this.o.log.warn({ err }, 'cluster reconcile failed (Redis unreachable?); next pass retries');
    } finally {
      this.#running = false;
    }
    return { removed, dropped };
  }
}

/** Runs `attempt` until it succeeds or the retries run out; the reconciler catches anything left. */
export async function retryLeave(attempt: () => Promise<unknown>, onFail: (err: unknown, last: boolean) => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await attempt();
      return;
    } catch (err) {
      const last = i >= LEAVE_RETRY_MS.length;
      onFail(err, last);
      if (last) return;
      await new Promise((r) => setTimeout(r, LEAVE_RETRY_MS[i]).unref());
    }
  }
}
