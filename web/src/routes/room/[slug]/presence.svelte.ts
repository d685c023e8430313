/** Who is in the room's call before we join: the page's load, refreshed by polling. */
import { request } from '$lib/graphql/client';
import { RoomDocument } from '$lib/graphql/operations';
import type { RoomMember } from '$lib/rtc/signaling-channel';

const POLL_MS = 4000;

export class RoomPresence {
  #participants = $state.raw<readonly RoomMember[]>([]);

  constructor(initial: readonly RoomMember[]) {
    this.#participants = initial;
  }

  get participants(): readonly RoomMember[] {
    return this.#participants;
  }

  /** Refreshes every few seconds until the returned function is called. */
  poll(slug: string): () => void {
    let stopped = false;
    const refresh = async () => {
      try {
        const { room } = await request(RoomDocument, { slug });
        if (!stopped && room) this.#participants = room.participants;
      } catch {
        // Offline for a moment: keep the last list; the next poll tries again.
      }
    };
    void refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }
}
