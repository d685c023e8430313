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

export async function createRoom(rooms: RoomRepository, input: CreateRoomInput): Promise<RoomView> {
  const { title, slug } = normalizeRoomInput(input);
  const room = await rooms.create(slug, title);
  if (!room) {
    throw new ParleyError(ErrorCode.SLUG_TAKEN, `A room with the slug "${slug}" already exists.`, 'slug');
  }
  return room;
}

/** Looks a room up by what a person typed or a link carried: normalized like a new slug. */
export async function findRoom(rooms: RoomRepository, slug: string): Promise<RoomView | null> {
  const normalized = slugify(slug);
  if (slugProblem(normalized)) return null;
  return rooms.findBySlug(normalized);
}
