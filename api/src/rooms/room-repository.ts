/** Rooms in the database. One instance per request, over a forked EntityManager. */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { RoomSchema, type RoomEntity } from '../db/entities.js';
import type { RoomView } from './model.js';

export class RoomRepository {
  constructor(private readonly em: EntityManager) {}

  async findBySlug(slug: string): Promise<RoomView | null> {
    const room = await this.em.findOne(RoomSchema, { slug });
    return room ? toView(room) : null;
  }

  /** Inserts a room; null when the slug is taken (the unique index decides, not a read). */
  async create(slug: string, title: string): Promise<RoomView | null> {
    const room = this.em.create(RoomSchema, { id: randomUUID(), slug, title, createdAt: new Date() });
    try {
      await this.em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        this.em.clear();
        return null;
      }
      throw err;
    }
    return toView(room);
  }
}

function toView(room: RoomEntity): RoomView {
  return { id: room.id, slug: room.slug, title: room.title, createdAt: room.createdAt };
}
