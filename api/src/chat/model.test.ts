import { describe, expect, it } from 'vitest';
import { ParleyError } from '../rooms/errors.js';
import { ChatLimits, normalizeChatText } from './model.js';

function problem(text: string): ParleyError {
  try {
    normalizeChatText(text);
  } catch (err) {
    return err as ParleyError;
  }
  throw new Error('expected a refusal');
}

describe('normalizeChatText', () => {
  it('trims and keeps inner newlines', () => {
    expect(normalizeChatText('  hello\nthere  \n')).toBe('hello\nthere');
  });

  it('refuses empty and blank text with field text', () => {
    for (const text of ['', '   ', '\n\t ']) {
      expect(problem(text).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
    }
  });

  it('accepts exactly 2,000 characters and refuses 2,001, saying so', () => {
    expect(normalizeChatText('x'.repeat(ChatLimits.maxChars))).toHaveLength(2000);
    const err = problem('x'.repeat(2001));
    expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(err.message).toMatch(/at most 2,000 characters \(this one has 2,001\)/);
  });

  it('counts an emoji as one character, as the database does', () => {
    expect(normalizeChatText('😀'.repeat(2000))).toHaveLength(4000);
    expect(problem('😀'.repeat(2001)).extensions.field).toBe('text');
  });

  it('counts after trimming', () => {
    expect(normalizeChatText(`   ${'y'.repeat(2000)}   `)).toHaveLength(2000);
  });
});
