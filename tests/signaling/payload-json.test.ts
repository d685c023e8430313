/**
 * Signal.payloadJSON over the WebSocket (graphql-ws, as GraphiQL and the web app speak
 * it): the payload arrives parsed as JSON next to `payload`, which stays the exact text
 * the sender sent, for signals sent over the socket and over HTTP POST.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom, sendOverHttp } from '../support/participant.js';

const INSPECT = /* GraphQL */ `
  subscription Inspect($slug: String!) {
    joinRoom(slug: $slug, displayName: "Inspector") {
      __typename
      ... on Welcome { token me { id } }
      ... on Signal { from kind payload payloadJSON }
    }
  }
`;

interface InspectEvent {
  __typename: string;
  me?: { id: string };
  from?: string;
  kind?: string;
  payload?: string;
  payloadJSON?: unknown;
}

let server: InProcessServer;
let slug: string;
let client: Client;
const events: { data?: { joinRoom: InspectEvent } | null; errors?: unknown }[] = [];

beforeAll(async () => {
  server = await startInProcess();
  slug = (await createRoom(server.url, 'Payload JSON')).slug;
  client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  client.subscribe<{ joinRoom: InspectEvent }>({ query: INSPECT, variables: { slug } }, { next: (r) => void events.push(r), error: () => {}, complete: () => {} });
});
afterAll(async () => {
  await client?.dispose();
  await server?.close();
});

async function nextSignal(after: number): Promise<InspectEvent> {
  await expect.poll(() => events.slice(after).find((e) => e.data?.joinRoom.__typename === 'Signal'), { timeout: 10_000 }).toBeTruthy();
  const event = events.slice(after).find((e) => e.data?.joinRoom.__typename === 'Signal')!;
  expect(event.errors).toBeUndefined();
  return event.data!.joinRoom;
}

it('gives each signal its payload parsed, and the text untouched', async () => {
  await expect.poll(() => events[0]?.data?.joinRoom.__typename, { timeout: 10_000 }).toBe('Welcome');
  const inspectorId = events[0]!.data!.joinRoom.me!.id;
  const bob = await Participant.join(server.wsUrl, slug, 'Bob');
  try {
    // Over the socket: an offer, its SDP's CRLFs kept.
    const offer = '{"type":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"}';
    let seen = events.length;
    expect((await bob.send(inspectorId, 'OFFER', offer)).ok).toBe(true);
    const first = await nextSignal(seen);
    expect(first).toMatchObject({ from: bob.id, kind: 'OFFER', payload: offer });
    expect(first.payloadJSON).toEqual({ type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' });

    // Over HTTP: the end-of-candidates null is JSON null, not the text "null".
    seen = events.length;
    expect((await sendOverHttp(server.url, { token: bob.token, to: inspectorId, kind: 'ICE_CANDIDATE', payload: 'null' })).errors).toBeUndefined();
    const second = await nextSignal(seen);
    expect(second).toMatchObject({ kind: 'ICE_CANDIDATE', payload: 'null', payloadJSON: null });
  } finally {
    bob.close();
  }
});
