import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GraphQLRequestError } from '$lib/graphql/errors';
import CreateRoomForm from './CreateRoomForm.svelte';

const room = { id: '1', slug: 'daily-standup', title: 'Daily Standup', createdAt: '2026-01-01T00:00:00.000Z' };

function setup(createRoom = vi.fn().mockResolvedValue(room)) {
  const oncreated = vi.fn();
  render(CreateRoomForm, { createRoom, oncreated });
  return {
    user: userEvent.setup(),
    createRoom,
    oncreated,
    title: screen.getByLabelText('Title'),
    slug: screen.getByLabelText('Slug'),
    submit: screen.getByRole('button', { name: 'Create room' }),
  };
}

function rejectWith(code: string, message: string, field?: string) {
  return vi.fn().mockRejectedValue(new GraphQLRequestError([{ message, extensions: field ? { code, field } : { code } }]));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CreateRoomForm', () => {
  it('previews the slug from the title as it is typed', async () => {
    const { user, title, slug } = setup();
    await user.type(title, 'Daily');
    expect(slug).toHaveAttribute('placeholder', 'daily');
    await user.type(title, ' Standup');
    expect(slug).toHaveAttribute('placeholder', 'daily-standup');
    expect(screen.getByTestId('slug-preview')).toHaveTextContent('/room/daily-standup');
  });

  it('previews a typed slug instead of the derived one', async () => {
    const { user, title, slug } = setup();
    await user.type(title, 'Daily Standup');
    await user.type(slug, 'Team Sync');
    expect(screen.getByTestId('slug-preview')).toHaveTextContent('/room/team-sync');
  });

  it('refuses an empty title without calling the server', async () => {
    const { user, title, submit, createRoom } = setup();
    await user.click(submit);
    expect(createRoom).not.toHaveBeenCalled();
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription('The title cannot be empty.');
    expect(title).toHaveFocus();
  });

  it('creates the room and reports it', async () => {
    const { user, title, submit, createRoom, oncreated } = setup();
    await user.type(title, 'Daily Standup');
    await user.click(submit);
    expect(createRoom).toHaveBeenCalledWith({ title: 'Daily Standup' });
    expect(oncreated).toHaveBeenCalledWith(room);
  });

  it('shows SLUG_TAKEN under Slug', async () => {
    const { user, title, slug, submit, oncreated } = setup(rejectWith('SLUG_TAKEN', 'That slug is taken.'));
    await user.type(title, 'Daily Standup');
    await user.click(submit);
    expect(slug).toHaveAccessibleDescription(expect.stringContaining('That slug is taken.'));
    expect(title).not.toHaveAttribute('aria-invalid');
    expect(oncreated).not.toHaveBeenCalled();
  });

  it('shows BAD_USER_INPUT about the title under Title', async () => {
    const { user, title, slug, submit } = setup(rejectWith('BAD_USER_INPUT', 'Title rejected.', 'title'));
    await user.type(title, 'Daily Standup');
    await user.click(submit);
    expect(title).toHaveAccessibleDescription('Title rejected.');
    expect(slug).not.toHaveAttribute('aria-invalid');
  });

  it('maps a real server response when only fetch is stubbed', async () => {
    const fetch = vi.fn().mockResolvedValue(
      new Response(
        JSON.stringify({
          data: null,
          errors: [{ message: 'The slug can be at most 64 characters.', extensions: { code: 'BAD_USER_INPUT', field: 'slug' } }],
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      ),
    );
    vi.stubGlobal('fetch', fetch);
    const oncreated = vi.fn();
    render(CreateRoomForm, { oncreated });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Title'), 'Daily Standup');
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(fetch).toHaveBeenCalledWith('/graphql', expect.objectContaining({ method: 'POST' }));
    expect(screen.getByLabelText('Slug')).toHaveAccessibleDescription(
      expect.stringContaining('The slug can be at most 64 characters.'),
    );
  });

  it('shows a network failure at form level', async () => {
    const { user, title, submit } = setup(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await user.type(title, 'Daily Standup');
    await user.click(submit);
    expect(screen.getByRole('alert')).toHaveTextContent('Could not reach the Parley server');
  });
});
