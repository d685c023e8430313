import { describe, expect, it } from 'vitest';
import { buildSchema, graphql } from 'graphql';
import { JSONScalar, readableJson } from './scalars.js';

describe('readableJson', () => {
  it('parses JSON text into the value it encodes', () => {
    expect(readableJson('{"type":"offer","sdp":"v=0\\r\\n"}')).toEqual({ type: 'offer', sdp: 'v=0\r\n' });
    expect(readableJson('{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0"}')).toMatchObject({ sdpMid: '0' });
  });

  it('keeps an end-of-candidates null as null', () => {
    expect(readableJson('null')).toBeNull();
  });

  it('gives text that is not JSON back as it is', () => {
    expect(readableJson('{"type":')).toBe('{"type":');
    expect(readableJson('')).toBe('');
  });
});

describe('JSON scalar', () => {
  const schema = buildSchema(`
    scalar JSON
    type Query { echo(value: JSON): JSON, payload: JSON }
  `);
  Object.assign(schema.getType('JSON')!, {
    serialize: JSONScalar.serialize,
    parseValue: JSONScalar.parseValue,
    parseLiteral: JSONScalar.parseLiteral,
  });
  const rootValue = {
    echo: ({ value }: { value: unknown }) => value,
    payload: () => readableJson('{"type":"offer","sdp":"v=0","n":[1,2.5,true,null]}'),
  };

  it('returns a resolved value as a JSON object, not as text', async () => {
    const result = await graphql({ schema, rootValue, source: '{ payload }' });
    expect(result).toEqual({ data: { payload: { type: 'offer', sdp: 'v=0', n: [1, 2.5, true, null] } } });
  });

  it('reads literals of every kind, variables inside them included', async () => {
    const result = await graphql({
      schema,
      rootValue,
      source: 'query ($v: JSON) { echo(value: {a: [1, 2.5, "x", true, null], b: {c: $v}}) }',
      variableValues: { v: { deep: [1] } },
    });
    expect(result).toEqual({ data: { echo: { a: [1, 2.5, 'x', true, null], b: { c: { deep: [1] } } } } });
  });

  it('takes a variable value as it is', async () => {
    const result = await graphql({ schema, rootValue, source: 'query ($v: JSON) { echo(value: $v) }', variableValues: { v: ['a', { b: 1 }] } });
    expect(result).toEqual({ data: { echo: ['a', { b: 1 }] } });
  });

  it('refuses an enum literal with a clear message', async () => {
    const result = await graphql({ schema, rootValue, source: '{ echo(value: OFFER) }' });
    expect(result.errors?.[0]?.message).toMatch(/JSON cannot represent the enum value OFFER/);
  });
});
