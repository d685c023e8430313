import { describe, expect, it } from 'vitest';
import { readOperation, writeOperation } from './url-state.js';

describe('readOperation', () => {
  it('reads query, variables and operationName, decoded', () => {
    const search = '?query=subscription%20Inspect%20%7B%20a%20%7D&variables=%7B%22x%22%3A1%7D&operationName=Inspect';
    expect(readOperation(search)).toEqual({ query: 'subscription Inspect { a }', variables: '{"x":1}', operationName: 'Inspect' });
  });

  it('leaves out what is absent or empty', () => {
    expect(readOperation('')).toEqual({});
    expect(readOperation('?query=&variables=&other=1')).toEqual({});
  });

  it('takes "+" as a space, as forms and GraphiQL links write it', () => {
    expect(readOperation('?query={+a+}').query).toBe('{ a }');
  });
});

describe('writeOperation', () => {
  it('round-trips any text, newlines, quotes, & and # included', () => {
    const op = { query: 'query Q($a: String) {\n  room(slug: "a&b#c") { id }\n}', variables: '{\n  "a": "100%"\n}', operationName: 'Q' };
    expect(readOperation(writeOperation('', op))).toEqual(op);
  });

  it('sets only the keys it is given and keeps other parameters', () => {
    const search = writeOperation('?query=%7Ba%7D&headers=x&operationName=A', { query: '{ b }' });
    const params = new URLSearchParams(search);
    expect(params.get('query')).toBe('{ b }');
    expect(params.get('operationName')).toBe('A');
    expect(params.get('headers')).toBe('x');
  });

  it('drops a parameter whose editor was cleared', () => {
    expect(writeOperation('?query=%7Ba%7D&variables=%7B%7D', { variables: '  \n' })).toBe('?query=%7Ba%7D');
    expect(writeOperation('?query=%7Ba%7D', { query: '' })).toBe('');
  });
});
