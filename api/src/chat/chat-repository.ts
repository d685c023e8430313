/**
 * Chat messages in the database. Each call runs on its own forked EntityManager. The
 * room row is the lock that gives one order: append() bumps `room.chat_seq` (an
 * exclusive row lock until commit) and recent() first waits for a share lock on it, so a
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

  /**
   * Welcome.chat: the last 50 messages of the last 24 hours, oldest first. It is on the
   * path of every join (before the Welcome), so it is two plain statements, no
   * transaction and no entities: about a third of the time on the embedded database.
   * The first waits for any sender holding the room row (its message committed, or not
   * yet numbered); the second, a statement later, sees every message committed by then
   * (read committed: each statement its own snapshot). Messages numbered after that
   * reach the joiner live (ChatService.attachHistory).
   */
  async recent(roomId: string, now: Date): Promise<ChatMessageView[]> {
    const since = new Date(now.getTime() - ChatLimits.historyWindowMs);
    const db = this.orm.em.fork().getConnection();
    await db.execute('select 1 from "room" where "id" = ? for share', [roomId]);
    const rows = await db.execute<MessageRow[]>(
      'select "id", "seq", "from_id", "from_name", "text", "sent_at" from "chat_message" ' +
        'where "room_id" = ? and "sent_at" > ? order by "seq" desc limit ?',
      [roomId, since, ChatLimits.historyCount],
    );
    return rows.reverse().map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      fromId: r.from_id,
      fromName: r.from_name,
      text: r.text,
      sentAt: new Date(r.sent_at),
    }));
  }

  /** The retention job: deletes messages sent before `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(ChatMessageSchema, { sentAt: { $lt: cutoff } });
  }
}

interface MessageRow {
  id: string;
  seq: number | string;
  from_id: string;
  from_name: string;
  text: string;
  sent_at: Date | string;
}

function toView(row: ChatMessageEntity): ChatMessageView {
  return { id: row.id, seq: row.seq, fromId: row.fromId, fromName: row.fromName, text: row.text, sentAt: row.sentAt };
}
