/**
 * The room chat as the call page sees it: the messages in the room's order, whether the
 * panel is open, how many arrived unseen while it was closed, and sending. Fed by the
 * mesh's chat handler (routes/room/[slug]/call.svelte.ts); rendered by ChatPanel.svelte.
 */
import { countAfter, mergeMessages, type ChatEntry } from './order';

/** The server's rule, checked here too so a long paste gets its sentence at once. */
export const MAX_CHARS = 2000;

export interface ChatOptions {
  /** Posts a message; rejects with an Error whose message a person can act on. */
  send(text: string): Promise<void>;
  /** Our participant id (our own messages never count as unread). */
  me(): string | null;
}

/** The sentence for text the server would refuse, or null. */
export function textProblem(text: string): string | null {
  const length = [...text.trim()].length;
  if (length === 0) return null;
  if (length > MAX_CHARS) {
    return `A message can be at most ${MAX_CHARS.toLocaleString('en')} characters (this one has ${length.toLocaleString('en')}).`;
  }
  return null;
}

export class ChatState {
  readonly #options: ChatOptions;
  #messages = $state.raw<readonly ChatEntry[]>([]);
  #open = $state(false);
  /** The seq of the newest message seen with the panel open. */
  #seenUpTo = $state(0);
  #sending = $state(false);
  #error = $state<string | null>(null);

  constructor(options: ChatOptions) {
    this.#options = options;
  }

  /** Messages from others that came while the panel was closed. */
  get unread(): number {
    return this.#open ? 0 : countAfter(this.#messages, this.#seenUpTo, this.#options.me());
  }
  get messages(): readonly ChatEntry[] {
    return this.#messages;
  }
  get open(): boolean {
    return this.#open;
  }
  get sending(): boolean {
    return this.#sending;
  }
  /** Why the last send failed, worded for the person; null after a success. */
  get error(): string | null {
    return this.#error;
  }
  me(): string | null {
    return this.#options.me();
  }

  /** History from a Welcome, or new messages as they come. */
  receive(messages: readonly ChatEntry[]): void {
    this.#messages = mergeMessages(this.#messages, messages);
    if (this.#open) this.#markSeen();
  }

  toggle(): void {
    this.setOpen(!this.#open);
  }

  setOpen(open: boolean): void {
    this.#open = open;
    if (open) this.#markSeen();
  }

  /** Sends `text` (trimmed); true when the server took it. Blank text is ignored. */
  async send(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (trimmed === '' || this.#sending) return false;
    const problem = textProblem(trimmed);
    if (problem) {
      this.#error = problem;
      return false;
    }
    this.#sending = true;
    try {
      await this.#options.send(trimmed);
      this.#error = null;
      return true;
    } catch (err) {
      this.#error = err instanceof Error ? err.message : 'The message could not be sent. Try again.';
      return false;
    } finally {
      this.#sending = false;
    }
  }

  clearError(): void {
    this.#error = null;
  }

  #markSeen(): void {
    this.#seenUpTo = this.#messages.at(-1)?.seq ?? this.#seenUpTo;
  }
}
