/**
 * GraphiQL for Parley, bundled from npm packages by scripts/build-graphiql.mjs so it
 * works with no internet. Queries and mutations go over HTTP; subscriptions (joinRoom)
 * over our WebSocket with graphql-ws, the same protocol the web app speaks.
 */
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';

const httpUrl = new URL('/graphql', location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');

const fetcher = createGraphiQLFetcher({
  url: httpUrl,
  wsClient: createClient({ url: wsUrl, lazy: true, retryAttempts: 3 }),
});

const defaultQuery = `# Parley's GraphQL API. Create a room, then open its link or join it here:
#   subscription { joinRoom(slug: "daily-standup", displayName: "GraphiQL") { __typename } }
# See the README section "Inspect signals in GraphiQL".
query IceServers {
  iceServers { urls }
}
`;

const root = document.getElementById('graphiql');
if (root) createRoot(root).render(<GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />);
