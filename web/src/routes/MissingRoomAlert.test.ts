import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import MissingRoomAlert from './MissingRoomAlert.svelte';

describe('MissingRoomAlert', () => {
  it('says which room does not exist', () => {
    render(MissingRoomAlert, { slug: 'daily-standup' });
    expect(screen.getByRole('alert')).toHaveTextContent('The room “daily-standup” does not exist.');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers the missing slug for a new room', async () => {
    const onuse = vi.fn();
    render(MissingRoomAlert, { slug: 'team-sync', onuse });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Use “team-sync” as the slug' }));
    expect(onuse).toHaveBeenCalledWith('team-sync');
  });
});
