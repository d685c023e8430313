/**
 * The chat retention job: every ChatLimits.retentionEveryMs, deletes messages older than
 * the history window (nobody can see them any more). Its timer is unref'd and stopped on
 * close. Started by the GraphQL plugin with the chat service; a failed run is logged and
 * the next one tries again.
 */
import type { ChatRepository } from './chat-repository.js';
import { ChatLimits } from './model.js';

export interface RetentionJob {
  /** One run now; resolves to how many messages it deleted. */
  run(): Promise<number>;
  stop(): void;
}

export function startRetention(
  repository: ChatRepository,
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  options: { everyMs?: number; now?: () => Date } = {},
): RetentionJob {
  const now = options.now ?? (() => new Date());
  const run = async () => {
    const deleted = await repository.deleteOlderThan(new Date(now().getTime() - ChatLimits.historyWindowMs));
    if (deleted > 0) log.info({ deleted }, 'old chat messages deleted');
    return deleted;
  };
  const timer = setInterval(() => {
    run().catch((err: unknown) => log.warn({ err }, 'chat retention run failed; will retry'));
  }, options.everyMs ?? ChatLimits.retentionEveryMs);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
