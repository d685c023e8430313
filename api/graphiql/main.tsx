/**
 * GraphiQL for Parley, bundled from npm packages by scripts/build-graphiql.mjs so it
 * works with no internet. Queries and mutations go over HTTP; subscriptions (joinRoom)
 * over our WebSocket with graphql-ws, the same protocol the web app speaks; a
 * subscription's result pane keeps its earlier events (event-log.ts).
 * GraphiQL's URL parameters (`query`, `variables`, `operationName`) open an operation,
 * and the address bar follows the editors, so the operation on screen is a shareable link.
 */
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';
import { withEventLog } from './event-log.js';
import { readOperation, writeOperation, type OperationParams } from './url-state.js';

const httpUrl = new URL('/graphql', location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');

const baseFetcher = createGraphiQLFetcher({
  url: httpUrl,
  wsClient: createClient({ url: wsUrl, lazy: true, retryAttempts: 3 }),
});

/** Subscriptions keep their earlier events on screen (event-log.ts); the rest is as is. */
const fetcher: Fetcher = async (params, opts) => {
  const result = await baseFetcher(params, opts);
  const operation = opts?.documentAST ? getOperationAST(opts.documentAST, params.operationName || undefined) : null;
  if (operation?.operation !== 'subscription' || !isAsyncIterable(result)) return result;
  return withEventLog(result);
};

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

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
