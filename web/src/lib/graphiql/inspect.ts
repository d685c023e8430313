/**
 * The "Inspect in GraphiQL" link of a room: /graphiql opened on the room's joinRoom
 * subscription, joining as "GraphiQL" and selecting every event a participant receives,
 * with signals' payloads parsed (payloadJSON) so GraphiQL pretty-prints them.
 */

export const INSPECT_OPERATION = 'InspectRoom';
export const INSPECT_DISPLAY_NAME = 'GraphiQL';

/** The subscription text for the room `slug` (a valid slug: [a-z0-9-]). */
export function inspectQuery(slug: string): string {
  // JSON string syntax is GraphQL string syntax for any slug (and escapes anything else).
  return `# Joins ${slug}'s call as "${INSPECT_DISPLAY_NAME}" for as long as this runs; press Stop to leave.
# The latest event is at the top, earlier ones (newest first) under extensions.
# Anyone who joins after GraphiQL offers to it: watch the OFFER and ICE_CANDIDATE signals.
subscription ${INSPECT_OPERATION} {
  joinRoom(slug: ${JSON.stringify(slug)}, displayName: ${JSON.stringify(INSPECT_DISPLAY_NAME)}) {
    __typename
    ... on Welcome {
      token
      resumeToken
      me { id displayName }
      room {
        title
        participants { id displayName joinedAt media { audio video screen } }
      }
      chat { fromName text sentAt }
    }
    ... on ParticipantJoined { participant { id displayName media { audio video screen } } }
    ... on ParticipantLeft { participant { id displayName } }
    ... on ParticipantUpdated { participant { id displayName media { audio video screen } } }
    ... on ChatMessage { fromName text sentAt }
    ... on Signal { from kind payloadJSON }
  }
}
`;
}

/** Where the link goes: GraphiQL's standard URL parameters, on this origin. */
export function inspectHref(slug: string): string {
  const params = new URLSearchParams({ query: inspectQuery(slug), operationName: INSPECT_OPERATION });
  return `/graphiql?${params}`;
}
