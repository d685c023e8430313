import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '$lib/graphql/errors';
import { effectiveSlug, serverErrors, toInput, validate } from './create-room';

describe('effectiveSlug', () => {
  it('derives the slug from the title while none is typed', () => {
    expect(effectiveSlug({ title: 'Daily Standup', slug: '' })).toBe('daily-standup');
  });

  it('normalizes a typed slug the way the server does', () => {
    expect(effectiveSlug({ title: 'Anything', slug: '  Team  Sync! ' })).toBe('team-sync');
  });
});

describe('validate', () => {
  it('accepts a title alone', () => {
    expect(validate({ title: 'Daily Standup', slug: '' })).toEqual({});
  });

  it('reports an empty title once, not also as an empty derived slug', () => {
    expect(validate({ title: '   ', slug: '' })).toEqual({ title: 'The title cannot be empty.' });
  });

  it('reports a title with nothing to derive a slug from under Slug', () => {
    expect(validate({ title: '!!!', slug: '' })).toEqual({
      slug: 'The slug needs at least one letter or digit.',
    });
  });

  it('reports a typed slug that is too long', () => {
    expect(validate({ title: 'Ok', slug: 'a'.repeat(65) }).slug).toMatch(/at most 64/);
  });
});

describe('toInput', () => {
  it('omits the slug when none was typed, so the server derives it', () => {
    expect(toInput({ title: ' Daily Standup ', slug: ' ' })).toEqual({ title: 'Daily Standup' });
  });

  it('sends a typed slug normalized', () => {
    expect(toInput({ title: 'T', slug: 'My Room' })).toEqual({ title: 'T', slug: 'my-room' });
  });
});

describe('serverErrors', () => {
  const error = (code: string, message: string, field?: string) =>
    new GraphQLRequestError([{ message, extensions: field ? { code, field } : { code } }]);

  it('puts SLUG_TAKEN under Slug', () => {
    expect(serverErrors(error('SLUG_TAKEN', 'Taken.'))).toEqual({ slug: 'Taken.' });
  });

  it('follows extensions.field for BAD_USER_INPUT', () => {
    expect(serverErrors(error('BAD_USER_INPUT', 'Bad title.', 'title'))).toEqual({ title: 'Bad title.' });
    expect(serverErrors(error('BAD_USER_INPUT', 'Bad slug.', 'slug'))).toEqual({ slug: 'Bad slug.' });
  });

  it('keeps errors about no field at form level', () => {
    expect(serverErrors(error('RATE_LIMITED', 'Slow down.'))).toEqual({ form: 'Slow down.' });
    expect(serverErrors(error('BAD_USER_INPUT', 'Odd input.'))).toEqual({ form: 'Odd input.' });
  });
});
