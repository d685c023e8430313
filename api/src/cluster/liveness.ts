/**
 * Instance liveness: every instance refreshes `inst:<node>` ("up", TTL HEARTBEAT_TTL_MS)
 * every HEARTBEAT_MS, and every SWEEP_MS looks for registered instances whose key has
 * expired. A dead instance's members are removed room by room with the SWEEP script,
 * which announces each leave once however many survivors sweep at the same time.
 * Worst case from a SIGKILL to ParticipantLeft: TTL + one sweep period (8 s).
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { SWEEP } from './scripts.js';

export const HEARTBEAT_MS = 2_000;
/**
 * Long enough that a live instance cut off from Redis for a few seconds is not presumed
 * dead: it beats again the moment its link is back (see start()), so it survives a gap of
 * up to TTL - HEARTBEAT_MS - reconnect time (about 5 s); short enough that a SIGKILLed
 * instance's members go within TTL + SWEEP_MS (10 s).
 */
export const HEARTBEAT_TTL_MS = 8_000;
export const SWEEP_MS = 2_000;
/** How long a member swept from a dead instance may come back as itself. */
export const ORPHAN_RESUME_S = 60;

export interface LivenessOptions {
  redis: Redis;
  keys: Keys;
  node: string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Our own key was gone when we refreshed it: survivors may have swept our members. */
  onPresumedDead(): void;
}

export class Liveness {
  #timers: NodeJS.Timeout[] = [];
  #sweeping = false;
  constructor(private readonly o: LivenessOptions) {}

  async start(): Promise<void> {
    const { redis, keys, node } = this.o;
    await redis.multi().set(keys.instance(node), 'up', 'PX', HEARTBEAT_TTL_MS).sadd(keys.instances, node).exec();
    this.#timers.push(setInterval(() => void this.#beat(), HEARTBEAT_MS), setInterval(() => void this.sweep(), SWEEP_MS));
    for (const t of this.#timers) t.unref();
    // Back from a Redis gap: beat at once instead of at the next tick, so the gap costs
    // the heartbeat's TTL as little as possible.
    redis.on('ready', this.#onReady);
  }

  readonly #onReady = (): void => void this.#beat();

  /** Stops beating; the key says "closing" until it expires, so others don't wait for handoffs from us. */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.o.redis.off('ready', this.#onReady);
    await this.o.redis.set(this.o.keys.instance(this.o.node), 'closing', 'PX', HEARTBEAT_TTL_MS, 'XX').catch(() => null);
  }

  async #beat(): Promise<void> {
    const { redis, keys, node } = this.o;
    try {
      const ok = await redis.set(keys.instance(node), 'up', 'PX', HEARTBEAT_TTL_MS, 'XX');
      // Every beat: a sweeper that raced our re-registration may have removed us from the set.
      await redis.sadd(keys.instances, node);
      if (ok === null) {
        this.o.log.warn({ node }, 'cluster heartbeat lapsed: this instance was presumed dead; ending its members');
        await redis.multi().set(keys.instance(node), 'up', 'PX', HEARTBEAT_TTL_MS).sadd(keys.instances, node).exec();
        this.o.onPresumedDead();
      }
    } catch (err) {
      this.o.log.warn({ err }, 'cluster heartbeat failed');
    }
  }

  /** Removes the members of every registered instance whose heartbeat expired. */
  async sweep(): Promise<number> {
    if (this.#sweeping) return 0;
    this.#sweeping = true;
    const { redis, keys, node } = this.o;
    let removed = 0;
    try {
      for (const other of await redis.smembers(keys.instances)) {
        if (other === node || (await redis.exists(keys.instance(other)))) continue;
        for (const roomId of await redis.smembers(keys.instanceRooms(other))) {
          removed += Number(await redis.eval(SWEEP, 1, keys.room(roomId), keys.prefix, other, roomId, ORPHAN_RESUME_S));
        }
        await redis.multi().del(keys.instanceRooms(other)).srem(keys.instances, other).exec();
        this.o.log.info({ instance: other, removed }, 'swept a dead instance');
      }
    } catch (err) {
      this.o.log.warn({ err }, 'cluster sweep failed');
    } finally {
      this.#sweeping = false;
    }
    return removed;
  }
}
