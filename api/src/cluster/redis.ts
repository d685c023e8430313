/**
 * The two Redis connections an instance keeps: one for commands and scripts (every
 * publish goes through it, in order), one in subscriber mode for its participants'
 * channels. Unreachable Redis at start is an error that says what to do.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisLinks {
  command: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

/** The URL with any password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

export async function connectRedis(url: string, name: string, onError: (err: Error) => void): Promise<RedisLinks> {
  const options: RedisOptions = { lazyConnect: true, connectionName: name, maxRetriesPerRequest: 3, connectTimeout: 5_000 };
  const command = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const close = async () => {
    await Promise.allSettled([command.quit(), subscriber.quit()]);
    command.disconnect();
    subscriber.disconnect();
  };
  command.on('error', onError);
  subscriber.on('error', onError);
  try {
    await Promise.all([command.connect(), subscriber.connect()]);
  } catch (err) {
    command.disconnect();
    subscriber.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Redis is not reachable at ${redactUrl(url)} (${reason}). Start it (redis-server) or unset REDIS_URL to run a single instance.`,
    );
  }
  // From here on ioredis reconnects (and resubscribes) by itself; errors are only logged.
  return { command, subscriber, close };
}
