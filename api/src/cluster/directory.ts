/**
 * The shared state of a cluster, as calls on Redis: membership, signal tokens and the
 * publishes that go with each change, each one atomic script (./scripts.ts). Issued on
 * one command connection per instance, in call order, which is what keeps signals from
 * one sender to one recipient in order. ClusterHub is its only caller.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_MEDIA, mediaOf, type MediaPatch } from '../signaling/media.js';
import type { ParticipantView } from '../signaling/types.js';
import type { Keys } from './keys.js';
import { BROADCAST, CHAT_SENDER, JOIN, LEAVE, MEDIA, SEND, TAKEOVER } from './scripts.js';
import { eventMessage, memberBody, viewOf, type InstanceMessage, type ParticipantMessage, type StoredMember } from './wire.js';

export type JoinResult = { ok: true; roster: ParticipantView[] } | { ok: false; reason: 'FULL' | 'EXISTS' | 'GONE' };
export interface TakeoverResult {
  member: StoredMember;
  /** The instance that held the participant. */
  from: string;
  /** Whether that instance is up (and so will hand over what it held). */
  fromUp: boolean;
}

export class Directory {
  constructor(
    private readonly redis: Redis,
    readonly keys: Keys,
    private readonly node: string,
    private readonly maxParticipants: number,
  ) {}

  /** Adds a participant (capacity checked) and tells everyone already there. `readmit` needs the orphan mark. */
  async join(roomId: string, participant: ParticipantView, token: string, readmit: boolean): Promise<JoinResult> {
    const k = this.keys;
    const reply = (await this.redis.eval(
      JOIN,
      4,
      k.room(roomId),
      k.token(token),
      k.instanceRooms(this.node),
      k.seq,
      k.prefix,
      participant.id,
      memberBody(this.node, participant, token),
      this.maxParticipants,
      JSON.stringify({ p: participant.id, r: roomId }),
      eventMessage({ __typename: 'ParticipantJoined', participant }),
      roomId,
      readmit ? '1' : '0',
    )) as string[];
    // Media read after the join: a change in between also reaches the joiner as an event after Welcome.
    if (reply[0] === 'OK') return { ok: true, roster: withMedia(sortedViews(reply.slice(1)), await this.redis.hgetall(k.media(roomId))) };
    return { ok: false, reason: reply[0] as 'FULL' | 'EXISTS' | 'GONE' };
  }

  /** Removes a participant this instance holds and tells the others; false if it was not ours (any more). */
  async leave(roomId: string, participant: ParticipantView): Promise<boolean> {
    const k = this.keys;
    const left = eventMessage({ __typename: 'ParticipantLeft', participant });
    const removed = await this.redis.eval(LEAVE, 2, k.room(roomId), k.instanceRooms(this.node), k.prefix, participant.id, this.node, left, roomId);
    return Number(removed) === 1;
  }

  /**
   * Relays a signal: 'OK', or the first problem in the in-process hub's order
   * (UNAUTHENTICATED, then `localProblem`, SELF, NOT_IN_ROOM). Issued before any await.
   */
  async send(token: string, to: string, localProblem: string | null, kind: string, payload: string): Promise<string> {
    const tail = localProblem ? '' : `${JSON.stringify({ kind, payload }).slice(1)}}`;
    const k = this.keys;
    return String(await this.redis.eval(SEND, 1, k.token(token), k.prefix, to, localProblem ?? '', tail));
  }

  /** Moves a participant to this instance and marks the point in its stream; null if it is not in the room. */
  async takeOver(roomId: string, participantId: string): Promise<TakeoverResult | null> {
    const k = this.keys;
    const marker = JSON.stringify({ t: 'h', to: this.node } satisfies ParticipantMessage);
    const reply = (await this.redis.eval(TAKEOVER, 1, k.room(roomId), k.prefix, participantId, this.node, marker, roomId)) as
      | [string, string, number]
      | null;
    if (!reply) return null;
    return { member: JSON.parse(reply[0]) as StoredMember, from: reply[1], fromUp: Number(reply[2]) === 1 };
  }

  /** Gives the instance that took a participant over what we held for it. */
  async handOff(to: string, message: InstanceMessage): Promise<void> {
    await this.redis.publish(this.keys.instanceChannel(to), JSON.stringify(message));
  }

  /** Chat: the token's owner and room, or null when it is not (any more) in a call. */
  async chatSender(token: string): Promise<{ participant: ParticipantView; roomId: string } | null> {
    const reply = (await this.redis.eval(CHAT_SENDER, 1, this.keys.token(token), this.keys.prefix)) as [string, string] | null;
    if (!reply) return null;
    return { roomId: reply[0], participant: viewOf(JSON.parse(reply[1]) as StoredMember) };
  }

  /** Publishes one event message to everyone in the room, in one step. */
  async broadcast(roomId: string, message: string): Promise<void> {
    await this.redis.eval(BROADCAST, 1, this.keys.room(roomId), this.keys.prefix, message);
  }

  /** Everyone in the room's call on every instance, in join order, with their media state. */
  async roster(roomId: string): Promise<ParticipantView[]> {
    const replies = await this.redis.multi().hvals(this.keys.room(roomId)).hgetall(this.keys.media(roomId)).exec();
    const [members, media] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    }) as [string[], Record<string, string>];
    return withMedia(sortedViews(members), media);
  }

  /** Applies a media patch to the token's owner and tells the room; null for an unknown token. */
  async setMedia(token: string, patch: MediaPatch): Promise<ParticipantView | null> {
    const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null));
    const reply = await this.redis.eval(MEDIA, 1, this.keys.token(token), this.keys.prefix, JSON.stringify(DEFAULT_MEDIA), JSON.stringify(given));
    return reply ? viewOf(JSON.parse(String(reply)) as Parameters<typeof viewOf>[0]) : null;
  }
}

function withMedia(views: ParticipantView[], media: Record<string, string>): ParticipantView[] {
  for (const v of views) {
    const stored = media[v.id];
    if (stored) v.media = mediaOf(JSON.parse(stored) as object);
  }
  return views;
}

function sortedViews(values: string[]): ParticipantView[] {
  return values
    .map((v) => JSON.parse(v) as StoredMember)
    .sort((a, b) => a.seq - b.seq)
    .map(viewOf);
}
