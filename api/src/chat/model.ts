/**
 * Room chat's shapes and rules, named once: what a message is, how long text may be,
 * how much history a join gets. Used by the repository, the service and the hubs.
 */
import { badInput } from '../rooms/errors.js';

/** A stored chat message as the API hands it out (the ChatMessage type's parent value). */
export interface ChatMessageView {
  id: string;
  /** Its place in the room's one order: 1, 2, 3, ... */
  seq: number;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: Date;
}

export const ChatLimits = {
  /** Characters (code points) after trimming. */
  maxChars: 2000,
  /** Messages in Welcome.chat. */
  historyCount: 50,
  /** How far back Welcome.chat reaches; older messages are deleted by the retention job. */
  historyWindowMs: 24 * 60 * 60 * 1000,
  /** How often the retention job runs. */
  retentionEveryMs: 10 * 60 * 1000,
} as const;

/** The text trimmed and checked: BAD_USER_INPUT (field `text`) unless 1 to 2,000 characters remain. */
export function normalizeChatText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw badInput('text', 'A message needs some text.');
  // Code points, as PostgreSQL's varchar(2000) counts them (an emoji is one character).
  const length = [...trimmed].length;
  if (length > ChatLimits.maxChars) {
    throw badInput('text', `A message can be at most ${ChatLimits.maxChars.toLocaleString('en')} characters (this one has ${length.toLocaleString('en')}).`);
  }
  return trimmed;
}
