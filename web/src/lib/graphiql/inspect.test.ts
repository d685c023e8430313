import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import schemaText from '../../../../schema.graphql?raw';
import { INSPECT_OPERATION, inspectHref, inspectQuery } from './inspect';

const schema = buildSchema(schemaText);

describe('inspectQuery', () => {
  it('is a valid subscription against the schema', () => {
    const document = parse(inspectQuery('daily-standup'));
    expect(validate(schema, document)).toEqual([]);
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(operation.operation).toBe('subscription');
    expect(operation.name?.value).toBe(INSPECT_OPERATION);
  });

  it('joins the room as GraphiQL', () => {
    const query = inspectQuery('daily-standup');
    expect(query).toContain('joinRoom(slug: "daily-standup", displayName: "GraphiQL")');
  });

  it('selects every member of RoomEvent, each with its fields', () => {
    const query = inspectQuery('x');
    const members = schema.getPossibleTypes(schema.getType('RoomEvent') as never).map((t) => t.name);
    for (const member of members) expect(query).toContain(`... on ${member} {`);
    expect(query).toMatch(/\.\.\. on Welcome \{[\s\S]*token[\s\S]*resumeToken[\s\S]*participants \{[^}]*media \{ audio video screen \}[\s\S]*chat \{ fromName text sentAt \}/);
    expect(query).toMatch(/\.\.\. on ParticipantJoined \{.*media \{ audio video screen \}/);
    expect(query).toMatch(/\.\.\. on ParticipantUpdated \{.*media \{ audio video screen \}/);
    expect(query).toContain('... on ChatMessage { fromName text sentAt }');
    expect(query).toContain('... on Signal { from kind payloadJSON }');
  });
});

describe('inspectHref', () => {
  it('opens /graphiql with the query and operation name as URL parameters', () => {
    const url = new URL(inspectHref('team-sync'), 'http://parley.test');
    expect(url.pathname).toBe('/graphiql');
    expect(url.searchParams.get('query')).toBe(inspectQuery('team-sync'));
    expect(url.searchParams.get('operationName')).toBe(INSPECT_OPERATION);
  });
});
