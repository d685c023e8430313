/**
 * GraphiQL for Parley, bundled from npm packages by scripts/build-graphiql.mjs so it
 * works with no internet. Queries and mutations go over HTTP; subscriptions (joinRoom)
 * over our WebSocket with graphql-ws, the same protocol the web app speaks.
 * GraphiQL's URL parameters (`query`, `variables`, `operationName`) open an operation,
 * and the address bar follows the editors, so the operation on screen is a shareable link.
 */
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';
import { readOperation, writeOperation, type OperationParams } from './url-state.js';

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

/** Rewrites the address bar in place: editing is not navigation (no history entries). */
function follow(changes: OperationParams): void {
  const search = writeOperation(location.search, changes);
  if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
}

const opened = readOperation(location.search);

function Inspector() {
  // Given as a prop, GraphiQL runs this operation of the document; it follows the editor
  // (onEditOperationName) once the person changes the query or picks another operation.
  const [operationName, setOperationName] = useState(opened.operationName);
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery}
      // Set once from the link: a prop that changes would overwrite what the person typed.
      query={opened.query}
      variables={opened.variables}
      operationName={operationName}
      defaultEditorToolsVisibility={opened.variables ? 'variables' : undefined}
      onEditQuery={(query) => follow({ query })}
      onEditVariables={(variables) => follow({ variables })}
      onEditOperationName={(name) => {
        setOperationName(name || undefined);
        follow({ operationName: name });
      }}
      onTabChange={(tabs) => {
        const tab = tabs.tabs[tabs.activeTabIndex];
        if (tab) follow({ query: tab.query ?? '', variables: tab.variables ?? '', operationName: tab.operationName ?? '' });
      }}
    />
  );
}

const root = document.getElementById('graphiql');
if (root) createRoot(root).render(<Inspector />);
