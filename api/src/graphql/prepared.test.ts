import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphql } from './graphql-cjs.js';
import { MAX_DEPTH } from './limits.js';
import { PreparedOperations } from './prepared.js';

const schema = graphql.buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const codes = (result: unknown) => (result as { extensions: { code?: string } }[]).map((e) => e.extensions.code);

describe('PreparedOperations', () => {
  it('prepares a document once and hands the same operation back', () => {
    const ops = new PreparedOperations(schema);
    const a = ops.get('{ iceServers { urls } }');
    expect('kind' in a && a.kind).toBe('query');
    expect(ops.get('{ iceServers { urls } }')).toBe(a);
    // The document keeps no locations: nothing per character of query text.
    expect('kind' in a && a.document.loc).toBeUndefined();
  });

  it('keys by operation name as well as text', () => {
    const ops = new PreparedOperations(schema);
    const text = 'query A { iceServers { urls } } query B { room(slug: "x") { id } }';
    const a = ops.get(text, 'A');
    const b = ops.get(text, 'B');
    expect(a).not.toBe(b);
    expect(codes(ops.get(text))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(ops.get(text, 'C'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('forgets the least recently used beyond its capacity', () => {
    const ops = new PreparedOperations(schema, 2);
    const q = (n: number) => `{ a${n}: iceServers { urls } }`;
    const first = ops.get(q(1));
    ops.get(q(2));
    ops.get(q(1)); // 1 is now the most recent
    ops.get(q(3)); // 2 goes
    expect(ops.size).toBe(2);
    expect(ops.get(q(1))).toBe(first);
  });

  it('refuses invalid, deep, wide, long and unparsable documents, with codes and locations, and caches none', () => {
    const ops = new PreparedOperations(schema);
    const unknown = ops.get('{ room(slug: "x") { nope } }') as unknown as { locations?: unknown[] }[];
    expect(codes(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknown[0]!.locations).toEqual([{ line: 1, column: 21 }]);
    const deep = `subscription { joinRoom(slug: "x") { ${'... on Welcome { '.repeat(MAX_DEPTH)}token${' }'.repeat(MAX_DEPTH)} } }`;
    expect(codes(ops.get(deep))).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codes(ops.get(`{ ${'__typename '.repeat(501)}}`))).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codes(ops.get(`{ ${'__typename '.repeat(7000)}}`))).toEqual(['QUERY_TOO_LARGE']);
    expect(codes(ops.get(`{ ${'a '.repeat(11_000)}}`))).toEqual(['QUERY_TOO_LARGE']);
    expect(codes(ops.get('{ room(slug: '))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(ops.size).toBe(0);
  });

  it('allows the depth limit itself (GraphiQL introspection is 13 deep)', () => {
    const ops = new PreparedOperations(schema);
    const atLimit = `subscription { joinRoom(slug: "x") { ${'... on Welcome { '.repeat(MAX_DEPTH - 2)}token${' }'.repeat(MAX_DEPTH - 2)} } }`;
    expect('kind' in ops.get(atLimit)).toBe(true);
    expect('kind' in ops.get(graphql.getIntrospectionQuery())).toBe(true);
  });
});
