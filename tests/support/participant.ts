/**
 * A call participant driven by nothing but graphql-ws over a real WebSocket: joins a
 * room, reads its event stream, sends signals on the same socket. The raw socket is
 * exposed so tests can cut it the way networks do.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const JOIN = /* GraphQL */ `
  subscription Join($slug: String!, $displayName: String, $resume: String) {
    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {
      __typename
      ... on Welcome {
        token resumeToken resumed
        me { id displayName joinedAt media { audio video screen screenStreamId } }
        room { id slug title participants { id displayName media { audio video screen screenStreamId } } }
      }
      ... on ParticipantJoined { participant { id displayName } }
      ... on ParticipantLeft { participant { id displayName } }
      ... on ParticipantUpdated { participant { id displayName media { audio video screen screenStreamId } } }
      ... on Signal { from kind payload }
      ... on ChatMessage { id seq fromId fromName text sentAt }
      ... on Welcome { chat { id seq fromId fromName text sentAt } }
    }
  }
`;
export const CHAT = /* GraphQL */ `
  mutation Chat($input: ChatMessageInput!) { sendChatMessage(input: $input) { id seq fromId fromName text sentAt } }
`;

/** A chat message as clients see it. */
export interface ChatData {
  id: string;
  seq: number;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: string;
}
export const SEND = /* GraphQL */ `
  mutation Send($input: SignalInput!) { sendSignal(input: $input) }
`;

export const SET_MEDIA = /* GraphQL */ `
  mutation SetMedia($input: MediaStateInput!) { setMediaState(input: $input) { id displayName media { audio video screen screenStreamId } } }
`;

export interface MediaData {
  audio: boolean;
  video: boolean;
  screen: boolean;
  screenStreamId: string | null;
}

export interface RoomEventData {
  __typename: 'Welcome' | 'ParticipantJoined' | 'ParticipantLeft' | 'ParticipantUpdated' | 'Signal' | 'ChatMessage';
  token?: string;
  resumeToken?: string;
  resumed?: boolean;
  me?: { id: string; displayName: string; joinedAt: string; media: MediaData };
  room?: { id: string; slug: string; title: string; participants: { id: string; displayName: string; media: MediaData }[] };
  participant?: { id: string; displayName: string; media?: MediaData };
  from?: string;
  kind?: string;
  payload?: string;
  /** Welcome: the room's recent chat. */
  chat?: ChatData[];
  /** ChatMessage events carry these. */
  id?: string;
  seq?: number;
  fromId?: string;
  fromName?: string;
  text?: string;
  sentAt?: string;
}

export interface GraphQLErrorData {
  message: string;
  extensions?: { code?: string; field?: string };
}

export class JoinError extends Error {
  constructor(readonly errors: GraphQLErrorData[]) {
    super(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export class Participant {
  readonly events: RoomEventData[] = [];
  #waiters: (() => void)[] = [];
  #read = 0;
  ended = false;
  error: JoinError | null = null;
  socket!: WebSocket;
  id = '';
  token = '';
  resumeToken = '';
  welcome!: RoomEventData;
  #client: Client;
  #unsubscribe: () => void = () => {};

  private constructor(wsUrl: string) {
    const self = this;
    this.#client = createClient({
      url: wsUrl,
      retryAttempts: 0,
      lazy: true,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols);
          self.socket = this;
        }
      },
    });
  }

  /** Joins and waits for Welcome; throws JoinError with the server's error codes. */
  static async join(wsUrl: string, slug: string, displayName?: string, resume?: string): Promise<Participant> {
    const p = new Participant(wsUrl);
    p.#unsubscribe = p.#client.subscribe<{ joinRoom: RoomEventData }>(
      { query: JOIN, variables: { slug, displayName, resume } },
      {
        next: (result) => {
          if (result.errors) p.error = new JoinError(result.errors as GraphQLErrorData[]);
          if (result.data) p.events.push(result.data.joinRoom);
          p.#wake();
        },
        error: (err) => {
          p.error = Array.isArray(err) ? new JoinError(err as GraphQLErrorData[]) : new JoinError([{ message: describeError(err) }]);
          p.ended = true;
          p.#wake();
        },
        complete: () => {
          p.ended = true;
          p.#wake();
        },
      },
    );
    const first = await p.next();
    if (!first || first.__typename !== 'Welcome') {
      p.close();
      throw p.error ?? new Error(`expected Welcome, got ${JSON.stringify(first)}`);
    }
    p.welcome = first;
    p.id = first.me!.id;
    p.token = first.token!;
    p.resumeToken = first.resumeToken!;
    return p;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** The next unread event, or null when the stream ends or `ms` pass. */
  async next(ms = 10_000): Promise<RoomEventData | null> {
    const until = Date.now() + ms;
    while (this.#read >= this.events.length) {
      if (this.ended || Date.now() >= until) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events[this.#read++] ?? null;
  }

  /** Reads until an event of this type arrives (skipping others); null on timeout. */
  async nextOf(type: RoomEventData['__typename'], ms = 10_000): Promise<RoomEventData | null> {
    const until = Date.now() + ms;
    for (;;) {
      const event = await this.next(Math.max(0, until - Date.now()));
      if (!event || event.__typename === type) return event;
    }
  }

  /** Unread events, consumed. */
  drain(): RoomEventData[] {
    const rest = this.events.slice(this.#read);
    this.#read = this.events.length;
    return rest;
  }

  /** sendSignal over this participant's socket; resolves to the result or the errors. */
  async send(to: string, kind: string, payload: string, token = this.token): Promise<{ ok: boolean; errors?: GraphQLErrorData[] }> {
    return new Promise((resolve) => {
      let done = false;
      this.#client.subscribe<{ sendSignal: boolean }>(
        { query: SEND, variables: { input: { token, to, kind, payload } } },
        {
          next: (r) => {
            done = true;
            resolve(r.errors ? { ok: false, errors: r.errors as GraphQLErrorData[] } : { ok: r.data?.sendSignal === true });
          },
          error: (err) => resolve({ ok: false, errors: Array.isArray(err) ? (err as GraphQLErrorData[]) : [{ message: describeError(err) }] }),
          complete: () => {
            if (!done) resolve({ ok: false });
          },
        },
      );
    });
  }

  /** sendChatMessage over this participant's socket: the stored message, or the errors. */
  async chat(text: string, token = this.token): Promise<{ message?: ChatData; errors?: GraphQLErrorData[] }> {
    return new Promise((resolve) => {
      let done = false;
      this.#client.subscribe<{ sendChatMessage: ChatData }>(
        { query: CHAT, variables: { input: { token, text } } },
        {
          next: (r) => {
            done = true;
            resolve(r.errors ? { errors: r.errors as GraphQLErrorData[] } : { message: r.data!.sendChatMessage });
          },
          error: (err) => resolve({ errors: Array.isArray(err) ? (err as GraphQLErrorData[]) : [{ message: describeError(err) }] }),
          complete: () => {
            if (!done) resolve({ errors: [{ message: 'completed without a result' }] });
          },
        },
      );
    });
  }

  /** The ChatMessage events that arrived so far (read or not), in arrival order. */
  chatSeen(): RoomEventData[] {
    return this.events.filter((e) => e.__typename === 'ChatMessage');
  }

  /** Ends the subscription politely (graphql-ws complete). */
  leave(): void {
    this.#unsubscribe();
  }

  /** Cuts the TCP connection with no close frame, as a network failure does. */
  cut(): void {
    (this.socket as unknown as { _socket: import('node:net').Socket })._socket.destroy();
    void this.#client.dispose();
  }

  /** Closes the client and its socket. */
  close(): void {
    this.#unsubscribe();
    void this.#client.dispose();
  }
}

/** setMediaState over HTTP POST (any instance), as the web client does. */
export async function setMediaOverHttp(
  url: string,
  input: { token: string } & Partial<MediaData>,
): Promise<{ data?: { setMediaState: { id: string; displayName: string; media: MediaData } }; errors?: GraphQLErrorData[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SET_MEDIA, variables: { input } }),
  });
  return (await res.json()) as { data?: { setMediaState: { id: string; displayName: string; media: MediaData } }; errors?: GraphQLErrorData[] };
}

/** sendSignal over HTTP POST, as a script would. */
export async function sendOverHttp(url: string, input: Record<string, string>): Promise<{ data?: unknown; errors?: GraphQLErrorData[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SEND, variables: { input } }),
  });
  return (await res.json()) as { data?: unknown; errors?: GraphQLErrorData[] };
}

export async function createRoom(url: string, title: string, slug?: string): Promise<{ id: string; slug: string }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: CreateRoomInput!) { createRoom(input: $input) { id slug } }',
      variables: { input: { title, slug } },
    }),
  });
  const body = (await res.json()) as { data?: { createRoom: { id: string; slug: string } }; errors?: unknown };
  if (!body.data) throw new Error(`createRoom failed: ${JSON.stringify(body.errors)}`);
  return body.data.createRoom;
}

/** A socket-level failure in words: a close event's code and reason, or an error's message. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) {
    const e = err as { code: number; reason: string };
    return `socket closed ${e.code}${e.reason ? ` (${e.reason})` : ''}`;
  }
  return String((err as Error)?.message ?? err);
}
