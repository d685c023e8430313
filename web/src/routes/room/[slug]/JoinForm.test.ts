import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import JoinForm from './JoinForm.svelte';

beforeEach(() => localStorage.clear());

describe('JoinForm', () => {
  it('joins with the trimmed name', async () => {
    const onjoin = vi.fn();
    render(JoinForm, { onjoin });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Your name'), '  Ada  ');
    await user.click(screen.getByRole('button', { name: 'Join call' }));
    expect(onjoin).toHaveBeenCalledWith('Ada');
  });

  it('joins as a guest without a name', async () => {
    const onjoin = vi.fn();
    render(JoinForm, { onjoin });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Join call' }));
    expect(onjoin).toHaveBeenCalledWith(undefined);
  });

  it('refuses a name over 40 characters', async () => {
    const onjoin = vi.fn();
    render(JoinForm, { onjoin });
    const user = userEvent.setup();
    const name = screen.getByLabelText('Your name');
    await user.type(name, 'x'.repeat(41));
    await user.click(screen.getByRole('button', { name: 'Join call' }));
    expect(onjoin).not.toHaveBeenCalled();
    expect(name).toHaveAccessibleDescription(expect.stringContaining('at most 40'));
  });

  it('remembers the name for next time', async () => {
    const first = render(JoinForm, { onjoin: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Your name'), 'Grace');
    await user.click(screen.getByRole('button', { name: 'Join call' }));
    first.unmount();

    const onjoin = vi.fn();
    render(JoinForm, { onjoin });
    expect(screen.getByLabelText('Your name')).toHaveValue('Grace');
    await user.click(screen.getByRole('button', { name: 'Join call' }));
    expect(onjoin).toHaveBeenCalledWith('Grace');
  });
});
