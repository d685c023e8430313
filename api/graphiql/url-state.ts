/**
 * GraphiQL's standard URL parameters (`query`, `variables`, `operationName`): read on
 * load, and rewritten as the person edits so the address bar always shares the operation
 * on screen. Pure functions of the search string; main.tsx wires them to `history`.
 */

/** The parameters GraphiQL links carry. Absent ones are undefined, never "". */
export interface OperationParams {
  query?: string;
  variables?: string;
  operationName?: string;
}

const KEYS = ['query', 'variables', 'operationName'] as const;

/** The operation a link opens with (`?query=...&variables=...&operationName=...`). */
export function readOperation(search: string): OperationParams {
  const params = new URLSearchParams(search);
  const op: OperationParams = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) op[key] = value;
  }
  return op;
}

/**
 * The search string after `changes`: changed keys are set, or dropped when empty (a blank
 * variables editor is no variables); other parameters, GraphiQL's or anyone's, are kept.
 */
export function writeOperation(search: string, changes: OperationParams): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value && value.trim() !== '') params.set(key, value);
    else params.delete(key);
  }
  const next = params.toString();
  return next ? `?${next}` : '';
}
