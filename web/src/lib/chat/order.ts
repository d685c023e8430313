/**
 * The chat list's one order: messages sorted by the room's sequence number, each once.
 * The server delivers in that order already; merging by `seq` keeps the list right when
 * a history (Welcome.chat after a reconnect) overlaps what we already have. Pure; used
 * by ./chat.svelte.ts.
 */

/** A chat message as the client keeps it. */
export interface ChatEntry {
  id: string;
  seq: number;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: string;
}

/** At most this many messages are kept in the list (the oldest go first). */
export const KEEP_MESSAGES = 500;

/**
 * `current` with `incoming` merged in: sorted by seq, one entry per seq (a repeat is
 * ignored), trimmed to the newest `keep`. Returns `current` itself when nothing is new.
 */
export function mergeMessages(current: readonly ChatEntry[], incoming: readonly ChatEntry[], keep = KEEP_MESSAGES): readonly ChatEntry[] {
  const last = current.at(-1)?.seq ?? 0;
  const seen = new Set(current.map((m) => m.seq));
  const fresh = incoming.filter((m) => !seen.has(m.seq) && (seen.add(m.seq), true));
  if (fresh.length === 0) return current;
  // The common case: one new message after the last.
  const merged = fresh.every((m) => m.seq > last) && isSorted(fresh) ? [...current, ...fresh] : [...current, ...fresh].sort((a, b) => a.seq - b.seq);
  return merged.length > keep ? merged.slice(merged.length - keep) : merged;
}

/** How many of `messages` came after `seq` and were not sent by `me` (the unread count). */
export function countAfter(messages: readonly ChatEntry[], seq: number, me: string | null): number {
  let n = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > seq; i--) if (messages[i]!.fromId !== me) n++;
  return n;
}

function isSorted(list: readonly ChatEntry[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.seq >= list[i]!.seq) return false;
  return true;
}
