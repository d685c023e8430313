/**
 * Room chat: sending (who may, how much, what text), storing in order and delivering to
 * everyone in the room, and the history a Welcome carries. Called by the GraphQL
 * resolvers; talks to the signaling hub only through the Signaling port, so it works the
 * same in-process and across instances.
 */
import { ErrorCode, ParleyError } from '../rooms/errors.js';
import type { Member } from '../signaling/hub.js';
import type { Signaling } from '../signaling/signaling.js';
import type { RoomEvent } from '../signaling/types.js';
import type { ChatRepository } from './chat-repository.js';
import { normalizeChatText, type ChatMessageView } from './model.js';

/** How long a join waits for its history before going on without it (database trouble). */
export const HISTORY_WAIT_MS = 3_000;

export interface ChatServiceOptions {
  repository: ChatRepository;
  hub: Signaling;
  /** Spends one unit of the sender's chat budget or throws RATE_LIMITED. */
  spend: (participantId: string) => void;
  log: { warn(obj: object, msg: string): void };
  now?: () => Date;
}

export class ChatService {
  readonly #o: ChatServiceOptions;
  readonly #now: () => Date;
  readonly #bySender = new Map<string, Promise<void>>();

  constructor(options: ChatServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Posts a message: UNAUTHENTICATED unless the token's owner is in a call, RATE_LIMITED
   * over budget, BAD_USER_INPUT (field `text`) unless 1 to 2,000 characters; then stored
   * and delivered (sender included) in the room's order. DATABASE_UNAVAILABLE when it
   * could not be stored: then nobody got it.
   */
  send(token: string, text: string): Promise<ChatMessageView> {
    // One sender's messages are stored in the order they came, even when sent without
    // waiting for each answer: each waits for the one before it from the same token.
    const before = this.#bySender.get(token) ?? Promise.resolve();
    const mine = before.then(() => this.#send(token, text));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#bySender.set(token, settled);
    void settled.then(() => {
      if (this.#bySender.get(token) === settled) this.#bySender.delete(token);
    });
    return mine;
  }

  async #send(token: string, text: string): Promise<ChatMessageView> {
    const { participant, roomId } = await this.#o.hub.chatSender(token);
    this.#o.spend(participant.id);
    const clean = normalizeChatText(text);
    let delivering = false;
    try {
      return await this.#o.repository.append(roomId, participant, clean, this.#now(), (message) => {
        delivering = true;
        return this.#o.hub.deliverChat(roomId, message);
      });
    } catch (err) {
      if (err instanceof ParleyError || delivering) throw err;
      throw new ParleyError(
        ErrorCode.DATABASE_UNAVAILABLE,
        'Chat cannot be reached right now (the database is unavailable): your message was not sent. Try again in a moment.',
        undefined,
        { cause: err },
      );
    }
  }

  /**
   * Puts the room's recent chat into the Welcome waiting in a just-joined (or resumed)
   * member's mailbox. The member is already in the room, so every message numbered from
   * now on reaches it live; recent() waits for messages being numbered, so nothing falls
   * between. A message both in the history and already queued live is dropped from the
   * queue. If the database does not answer in time the Welcome goes with no history.
   */
  async attachHistory(member: Member): Promise<void> {
    let history: ChatMessageView[] | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      history = await Promise.race([
        this.#o.repository.recent(member.roomId, this.#now()),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), HISTORY_WAIT_MS))),
      ]);
    } catch (err) {
      this.#o.log.warn({ err, room: member.roomId }, 'chat history unavailable; joining without it');
    } finally {
      clearTimeout(timer);
    }
    if (!history) return;
    const last = history.at(-1)?.seq ?? 0;
    // Synchronous from here: no event can slip in between taking and putting back.
    const queued = member.events.takeAll();
    for (const event of queued) {
      if (event.__typename === 'Welcome') event.chat = history;
      if (!isChatUpTo(event, last)) member.events.push(event);
    }
  }
}

function isChatUpTo(event: RoomEvent, seq: number): boolean {
  return event.__typename === 'ChatMessage' && event.seq <= seq;
}
