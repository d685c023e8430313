/** MikroORM entity schemas (defineEntity: no decorators, since tsx emits no metadata). */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RoomSchema = defineEntity({
  name: 'Room',
  tableName: 'room',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().length(64).unique(),
    title: p.string().length(120),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type RoomEntity = InferEntity<typeof RoomSchema>;

/**
 * One message of a room's chat. `seq` is its place in the room's one order, allocated
 * from `room.chat_seq` in the inserting transaction (chat/chat-repository.ts); the
 * sender's name is stored so it stays on the message after they leave.
 */
export const ChatMessageSchema = defineEntity({
  name: 'ChatMessage',
  tableName: 'chat_message',
  properties: {
    id: p.uuid().primary(),
    roomId: p.uuid(),
    seq: p.integer(),
    fromId: p.string().length(64),
    fromName: p.string().length(40),
    text: p.string().length(2000),
    sentAt: p.datetime(),
  },
});

export type ChatMessageEntity = InferEntity<typeof ChatMessageSchema>;

/** The one explicit entity list, used by the ORM config. */
export const entities = [RoomSchema, ChatMessageSchema];
