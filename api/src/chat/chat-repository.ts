/**
 * Chat messages in the database. Each call runs on its own forked EntityManager. The
 * room row is the lock that gives one order: append() bumps `room.chat_seq` (an
 * exclusive row lock until commit) and recent() reads under a share lock on it, so a
 * join never reads between a message's number and its commit.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatMessageSchema, type ChatMessageEntity } from '../db/entities.js';
import type { ParticipantView } from '../signaling/types.js';
import { ChatLimits, type ChatMessageView } from './model.js';

export class ChatRepository {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Stores a message with the room's next number, then runs `deliver` inside the same
   * transaction, before commit, while the room row is still locked: deliveries of one
   * room happen in number order, whichever instance made them. A failed delivery rolls
   * the message back (the sender gets the error; nobody got it).
   */
  async append(
    roomId: string,
    from: ParticipantView,
    text: string,
    sentAt: Date,
    deliver: (message: ChatMessageView) => void | Promise<void>,
  ): Promise<ChatMessageView> {
    return this.orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<{ chat_seq: number }[]>(
        'update "room" set "chat_seq" = "chat_seq" + 1 where "id" = ? returning "chat_seq"',
        [roomId],
      );
      const seq = rows[0]?.chat_seq;
      if (seq === undefined) throw new Error(`room ${roomId} is not in the database`);
      const row = tx.create(ChatMessageSchema, {
        id: randomUUID(),
        roomId,
        seq: Number(seq),
        fromId: from.id,
        fromName: from.displayName,
        text,
        sentAt,
      });
      await tx.flush();
      const message = toView(row);
      await deliver(message);
      return message;
    });
  }

  /** Welcome.chat: the last 50 messages of the last 24 hours, oldest first. */
  async recent(roomId: string, now: Date): Promise<ChatMessageView[]> {
    const since = new Date(now.getTime() - ChatLimits.historyWindowMs);
    return this.orm.em.fork().transactional(async (tx) => {
      // Waits for senders holding the room row: their messages are in, or not yet numbered.
      await tx.execute('select 1 from "room" where "id" = ? for share', [roomId]);
      const rows = await tx.find(
        ChatMessageSchema,
        { roomId, sentAt: { $gt: since } },
        { orderBy: { seq: 'desc' }, limit: ChatLimits.historyCount },
      );
      return rows.reverse().map(toView);
    });
  }

  /** The retention job: deletes messages sent before `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(ChatMessageSchema, { sentAt: { $lt: cutoff } });
  }
}

function toView(row: ChatMessageEntity): ChatMessageView {
  return { id: row.id, seq: row.seq, fromId: row.fromId, fromName: row.fromName, text: row.text, sentAt: row.sentAt };
}
