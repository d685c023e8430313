import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ChatPanel from './ChatPanel.svelte';
import { ChatState } from './chat.svelte';
import type { ChatEntry } from './order';

const entry = (seq: number, text: string, fromId = 'other'): ChatEntry => ({
  id: `m${seq}`,
  seq,
  fromId,
  fromName: fromId === 'me' ? 'Me' : 'Ada',
  text,
  sentAt: '2026-12-01T14:05:00.000Z',
});

function setup(send = vi.fn(async () => {})) {
  const chat = new ChatState({ send, me: () => 'me' });
  chat.setOpen(true);
  render(ChatPanel, { chat });
  return { chat, send, user: userEvent.setup() };
}

describe('ChatPanel', () => {
  it('shows sender, time and text in a log; HTML stays text; links open safely; newlines kept', async () => {
    const { chat } = setup();
    chat.receive([entry(1, '<img src=x onerror=alert(1)> hi\nsee https://example.com.')]);
    const log = await screen.findByRole('log');
    expect(log.querySelector('img')).toBeNull();
    expect(log.textContent).toContain('<img src=x onerror=alert(1)> hi');
    expect(log.textContent).toContain('Ada');
    expect(log.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-01T14:05:00.000Z');
    const link = screen.getByRole('link', { name: 'https://example.com' });
    expect(link.getAttribute('href')).toBe('https://example.com');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(log.querySelector('.chat-text')?.textContent).toContain('hi\nsee');
  });

  it('Enter sends and clears the box; Shift+Enter is a new line', async () => {
    const { send, user } = setup();
    const box = screen.getByLabelText('Message');
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(send).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(send).toHaveBeenCalledWith('line one\nline two');
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('the Send button sends too', async () => {
    const { send, user } = setup();
    await user.type(screen.getByLabelText('Message'), 'hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(send).toHaveBeenCalledWith('hello');
  });

  it('refuses 2,001 characters with a sentence, keeping the text', async () => {
    const { send, user } = setup();
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    await user.click(box);
    await user.paste('x'.repeat(2001));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(send).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/at most 2,000 characters \(this one has 2,001\)/);
    expect(box.value).toHaveLength(2001);
  });

  it("shows the server's refusal and keeps the draft", async () => {
    const { user } = setup(vi.fn(async () => Promise.reject(new Error('Too many sendChatMessage requests from you.'))));
    await user.type(screen.getByLabelText('Message'), 'spam{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/Too many/);
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('spam');
  });
});

describe('ChatState', () => {
  it('counts unread messages from others while closed, none once opened', () => {
    const chat = new ChatState({ send: async () => {}, me: () => 'me' });
    chat.receive([entry(1, 'a'), entry(2, 'mine', 'me'), entry(3, 'b')]);
    expect(chat.unread).toBe(2);
    chat.setOpen(true);
    expect(chat.unread).toBe(0);
    chat.setOpen(false);
    chat.receive([entry(4, 'c')]);
    expect(chat.unread).toBe(1);
  });
});
