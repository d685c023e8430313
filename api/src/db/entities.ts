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

/** The one explicit entity list, used by the ORM config. */
export const entities = [RoomSchema];
