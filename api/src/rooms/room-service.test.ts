import { describe, expect, it } from 'vitest';
import { normalizeRoomInput } from './room-service.js';
import { slugFromTitle, slugify } from './slug.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return `${(err as { code: string }).code}:${(err as { field: string }).field}`;
  }
  return 'ok';
};

describe('room naming rules', () => {
  it('normalizes slugs per the contract', () => {
    expect(slugify('Daily Standup')).toBe('daily-standup');
    expect(slugify('  Héllo   Wörld!! ')).toBe('hllo-wrld');
    expect(slugify('--a--b--')).toBe('a-b');
    expect(slugify('a \t\n b')).toBe('a-b');
    expect(slugify('!!!')).toBe('');
    expect(slugFromTitle('x'.repeat(63) + ' yz')).toBe('x'.repeat(63));
  });

  it('derives the slug from the title or takes the given one', () => {
    expect(normalizeRoomInput({ title: ' Daily Standup ' })).toEqual({ title: 'Daily Standup', slug: 'daily-standup' });
    expect(normalizeRoomInput({ title: 'T', slug: 'Daily Standup' })).toEqual({ title: 'T', slug: 'daily-standup' });
    expect(normalizeRoomInput({ title: 'Long', slug: 'a'.repeat(64) }).slug).toHaveLength(64);
  });

  it('refuses bad titles and slugs with BAD_USER_INPUT on the right field', () => {
    expect(code(() => normalizeRoomInput({ title: '   ' }))).toBe('BAD_USER_INPUT:title');
    expect(code(() => normalizeRoomInput({ title: 'x'.repeat(121) }))).toBe('BAD_USER_INPUT:title');
    expect(code(() => normalizeRoomInput({ title: 'x'.repeat(120) }))).toBe('ok');
    expect(code(() => normalizeRoomInput({ title: '!!!' }))).toBe('BAD_USER_INPUT:title');
    expect(code(() => normalizeRoomInput({ title: 'ok', slug: '!!!' }))).toBe('BAD_USER_INPUT:slug');
    expect(code(() => normalizeRoomInput({ title: 'ok', slug: 'a'.repeat(65) }))).toBe('BAD_USER_INPUT:slug');
  });
});

describe('findRoom with known rooms (the join path)', () => {
  it('asks the database once per room, then answers from memory, also while it is down', async () => {
    const { findRoom, KnownRooms } = await import('./room-service.js');
    let queries = 0;
    let down = false;
    const repo = {
      findBySlug: async (slug: string) => {
        queries++;
        if (down) throw new Error('connect ECONNREFUSED');
        return slug === 'daily-standup' ? { id: 'r1', slug, title: 'Daily Standup', createdAt: new Date(0) } : null;
      },
    } as unknown as import('./room-repository.js').RoomRepository;
    const known = new KnownRooms(2);
    expect((await findRoom(repo, 'Daily Standup', known))?.id).toBe('r1');
    expect((await findRoom(repo, 'daily-standup', known))?.id).toBe('r1');
    expect(queries).toBe(1);
    expect(await findRoom(repo, 'nowhere', known)).toBeNull(); // misses are not remembered
    expect(queries).toBe(2);
    down = true;
    expect((await findRoom(repo, 'daily-standup', known))?.id).toBe('r1');
    await expect(findRoom(repo, 'other-room', known)).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await expect(findRoom(repo, 'daily-standup')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' }); // the room query path
  });
});
