/**
 * GraphQL over HTTP POST, the way curl or any script would call Parley: no client library,
 * the response body returned verbatim so tests can assert on errors[].extensions.
 */

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: GraphQLError[];
}

/** `url` is the server's base URL or its /graphql endpoint. */
export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const endpoint = /\/graphql\/?$/.test(url) ? url : `${url.replace(/\/$/, '')}/graphql`;
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`POST ${endpoint} answered ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
}

/** The codes of a response's errors, in order (undefined for an error without one). */
export function errorCodes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
