/**
 * Creating and finding rooms: the contract's naming rules applied, then the repository.
 * Called by the GraphQL resolvers and, for joins, by the signaling adapter.
 */
import { badInput, ErrorCode, ParleyError } from './errors.js';
import type { RoomView } from './model.js';
import type { RoomRepository } from './room-repository.js';
import { slugFromTitle, slugify, slugProblem, titleProblem } from './slug.js';

export interface CreateRoomInput {
  title: string;
  slug?: string | null;
}

/** Validates and normalizes the input: the title trimmed, the slug given or derived. */
export function normalizeRoomInput(input: CreateRoomInput): { title: string; slug: string } {
  const problem = titleProblem(input.title);
  if (problem) throw badInput('title', problem);
  const title = input.title.trim();
  const given = input.slug != null && input.slug.trim() !== '';
  const slug = given ? slugify(input.slug!) : slugFromTitle(title);
  const slugIssue = slugProblem(slug);
  if (slugIssue) {
    throw given
      ? badInput('slug', slugIssue)
      : badInput('title', 'The title needs a letter or digit to make a slug from; give a slug.');
  }
  return { title, slug };
}

export async function createRoom(rooms: RoomRepository, input: CreateRoomInput, known?: KnownRooms): Promise<RoomView> {
  const { title, slug } = normalizeRoomInput(input);
  const room = await orUnavailable(rooms.create(slug, title));
  if (!room) {
    throw new ParleyError(ErrorCode.SLUG_TAKEN, `A room with the slug "${slug}" already exists.`, 'slug');
  }
  known?.remember(room);
  return room;
}

/**
 * Looks a room up by what a person typed or a link carried: normalized like a new slug.
 * With `known` (joins use it), a room seen before is answered from memory: rooms are
 * never renamed or deleted, so a join costs no query, and people keep joining calls of
 * rooms already known while the database is unreachable.
 */
export async function findRoom(rooms: RoomRepository, slug: string, known?: KnownRooms): Promise<RoomView | null> {
  const normalized = slugify(slug);
  if (slugProblem(normalized)) return null;
  const remembered = known?.recall(normalized);
  if (remembered) return remembered;
  const room = await orUnavailable(rooms.findBySlug(normalized));
  if (room) known?.remember(room);
  return room;
}

/** Rooms seen recently, by slug, bounded: the least recently used is forgotten first. */
export class KnownRooms {
  readonly #rooms = new Map<string, RoomView>();
  constructor(private readonly capacity = 10_000) {}

  remember(room: RoomView): void {
    this.#rooms.delete(room.slug);
    this.#rooms.set(room.slug, room);
    if (this.#rooms.size > this.capacity) this.#rooms.delete(this.#rooms.keys().next().value!);
  }

  recall(slug: string): RoomView | undefined {
    const room = this.#rooms.get(slug);
    if (room) this.remember(room);
    return room;
  }
}

/** Database failures become DATABASE_UNAVAILABLE; the driver's message stays in `cause`. */
async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new ParleyError(
      ErrorCode.DATABASE_UNAVAILABLE,
      'Rooms cannot be reached right now (the database is unavailable). Calls in progress continue; try again in a moment.',
      undefined,
      { cause: err },
    );
  }
}
