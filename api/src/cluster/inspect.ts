/**
 * Looking at a deployment's Redis from outside an instance: is it reachable, which keys
 * and channels a prefix holds, and removing a prefix. For operators' scripts and for the
 * cluster tests (tests/cluster), which run each time under a prefix of their own.
 */
import { Redis } from 'ioredis';
import { redactUrl } from './redis.js';

export class RedisInspector {
  readonly #redis: Redis;
  constructor(readonly url: string) {
    this.#redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3_000, retryStrategy: () => null });
    this.#redis.on('error', () => undefined);
  }

  /** Connects; throws a sentence saying how to start Redis when it does not answer PING. */
  async connect(): Promise<this> {
    try {
      await this.#redis.connect();
      await this.#redis.ping();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `Redis is not reachable at ${redactUrl(this.url)} (${reason}). Start it with ` +
          '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""` (or run .ci/run, which starts it).',
      );
    }
    return this;
  }

  /** Keys under the prefix (SCAN, never KEYS). */
  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.#redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found.sort();
  }

  /** Pub/sub channels with at least one subscriber under the prefix. */
  channels(prefix: string): Promise<string[]> {
    return this.#redis.pubsub('CHANNELS', `${escapeGlob(prefix)}*`) as Promise<string[]>;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.keys(prefix);
    return keys.length ? this.#redis.del(...keys) : 0;
  }

  get redis(): Redis {
    return this.#redis;
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
