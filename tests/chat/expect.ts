/** Assertions shared by the chat tests: what "one order per room" means for a client. */
import { expect } from 'vitest';
import type { Participant, RoomEventData } from '../support/participant.js';
import { eventually } from '../support/in-process.js';

/** Waits until `p` has seen `n` ChatMessage events; returns them in arrival order. */
export async function chatOf(p: Participant, n: number, ms = 30_000): Promise<RoomEventData[]> {
  const ok = await eventually(() => p.chatSeen().length >= n, ms);
  if (!ok) throw new Error(`saw ${p.chatSeen().length} chat messages of ${n}`);
  return p.chatSeen();
}

/** Arrival order is seq order, gapless from `first`, and every client got the same ids. */
export function expectOneOrder(streams: RoomEventData[][], first = 1): void {
  const reference = streams[0]!;
  expect(reference.map((m) => m.seq)).toEqual(reference.map((_, i) => first + i));
  for (const other of streams.slice(1)) expect(other.map((m) => m.id)).toEqual(reference.map((m) => m.id));
}
