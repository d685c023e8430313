/**
 * Custom scalars. DateTime: an ISO 8601 string on the wire, a Date inside the API.
 * JSON: any JSON value, carried as itself (GraphiQL pretty-prints it).
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC, e.g. 2026-11-25T17:03:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date.');
    return date.toISOString();
  },
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO 8601 string.');
    return parseDate(ast.value);
  },
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string.');
  return date;
}

export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value: an object, a list, a string, a number, a boolean or null.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalValue(ast, variables ?? undefined),
});

/** A literal in a document (`{a: [1, "x", $v]}`) as the JSON value it spells. */
function literalValue(ast: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literalValue(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value] ?? null;
    case Kind.ENUM:
      throw new GraphQLError(`JSON cannot represent the enum value ${ast.value}; quote it as a string.`);
  }
}

/**
 * JSON text as the value it encodes, for reading (Signal.payloadJSON). Text that is not
 * JSON comes back as the raw string, so nothing the sender sent is hidden; sendSignal
 * accepts only JSON text, so today that does not happen.
 */
export function readableJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
