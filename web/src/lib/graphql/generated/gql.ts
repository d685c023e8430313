/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      slug\n      title\n      createdAt\n    }\n  }\n": typeof types.CreateRoomDocument,
    "\n  fragment ParticipantFields on Participant {\n    id\n    displayName\n    joinedAt\n    media {\n      audio\n      video\n      screen\n      screenStreamId\n    }\n  }\n": typeof types.ParticipantFieldsFragmentDoc,
    "\n  fragment ChatMessageFields on ChatMessage {\n    id\n    seq\n    fromId\n    fromName\n    text\n    sentAt\n  }\n": typeof types.ChatMessageFieldsFragmentDoc,
    "\n  query Room($slug: String!) {\n    room(slug: $slug) {\n      id\n      slug\n      title\n      createdAt\n      participants {\n        ...ParticipantFields\n      }\n    }\n  }\n": typeof types.RoomDocument,
    "\n  query IceServers {\n    iceServers {\n      urls\n      username\n      credential\n    }\n  }\n": typeof types.IceServersDocument,
    "\n  subscription JoinRoom($slug: String!, $displayName: String, $resume: String) {\n    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {\n      __typename\n      ... on Welcome {\n        token\n        resumeToken\n        resumed\n        me {\n          ...ParticipantFields\n        }\n        room {\n          id\n          participants {\n            ...ParticipantFields\n          }\n        }\n      }\n      ... on ParticipantJoined {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantLeft {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantUpdated {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on Signal {\n        from\n        kind\n        payload\n      }\n      ... on Welcome {\n        chat {\n          ...ChatMessageFields\n        }\n      }\n      ... on ChatMessage {\n        ...ChatMessageFields\n      }\n    }\n  }\n": typeof types.JoinRoomDocument,
    "\n  mutation SendChatMessage($input: ChatMessageInput!) {\n    sendChatMessage(input: $input) {\n      id\n      seq\n    }\n  }\n": typeof types.SendChatMessageDocument,
    "\n  mutation SendSignal($input: SignalInput!) {\n    sendSignal(input: $input)\n  }\n": typeof types.SendSignalDocument,
    "\n  mutation SetMediaState($input: MediaStateInput!) {\n    setMediaState(input: $input) {\n      id\n      media {\n        audio\n        video\n        screen\n        screenStreamId\n      }\n    }\n  }\n": typeof types.SetMediaStateDocument,
};
const documents: Documents = {
    "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      slug\n      title\n      createdAt\n    }\n  }\n": types.CreateRoomDocument,
    "\n  fragment ParticipantFields on Participant {\n    id\n    displayName\n    joinedAt\n    media {\n      audio\n      video\n      screen\n      screenStreamId\n    }\n  }\n": types.ParticipantFieldsFragmentDoc,
    "\n  fragment ChatMessageFields on ChatMessage {\n    id\n    seq\n    fromId\n    fromName\n    text\n    sentAt\n  }\n": types.ChatMessageFieldsFragmentDoc,
    "\n  query Room($slug: String!) {\n    room(slug: $slug) {\n      id\n      slug\n      title\n      createdAt\n      participants {\n        ...ParticipantFields\n      }\n    }\n  }\n": types.RoomDocument,
    "\n  query IceServers {\n    iceServers {\n      urls\n      username\n      credential\n    }\n  }\n": types.IceServersDocument,
    "\n  subscription JoinRoom($slug: String!, $displayName: String, $resume: String) {\n    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {\n      __typename\n      ... on Welcome {\n        token\n        resumeToken\n        resumed\n        me {\n          ...ParticipantFields\n        }\n        room {\n          id\n          participants {\n            ...ParticipantFields\n          }\n        }\n      }\n      ... on ParticipantJoined {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantLeft {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantUpdated {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on Signal {\n        from\n        kind\n        payload\n      }\n      ... on Welcome {\n        chat {\n          ...ChatMessageFields\n        }\n      }\n      ... on ChatMessage {\n        ...ChatMessageFields\n      }\n    }\n  }\n": types.JoinRoomDocument,
    "\n  mutation SendChatMessage($input: ChatMessageInput!) {\n    sendChatMessage(input: $input) {\n      id\n      seq\n    }\n  }\n": types.SendChatMessageDocument,
    "\n  mutation SendSignal($input: SignalInput!) {\n    sendSignal(input: $input)\n  }\n": types.SendSignalDocument,
    "\n  mutation SetMediaState($input: MediaStateInput!) {\n    setMediaState(input: $input) {\n      id\n      media {\n        audio\n        video\n        screen\n        screenStreamId\n      }\n    }\n  }\n": types.SetMediaStateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      slug\n      title\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      slug\n      title\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ParticipantFields on Participant {\n    id\n    displayName\n    joinedAt\n    media {\n      audio\n      video\n      screen\n      screenStreamId\n    }\n  }\n"): (typeof documents)["\n  fragment ParticipantFields on Participant {\n    id\n    displayName\n    joinedAt\n    media {\n      audio\n      video\n      screen\n      screenStreamId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatMessageFields on ChatMessage {\n    id\n    seq\n    fromId\n    fromName\n    text\n    sentAt\n  }\n"): (typeof documents)["\n  fragment ChatMessageFields on ChatMessage {\n    id\n    seq\n    fromId\n    fromName\n    text\n    sentAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Room($slug: String!) {\n    room(slug: $slug) {\n      id\n      slug\n      title\n      createdAt\n      participants {\n        ...ParticipantFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Room($slug: String!) {\n    room(slug: $slug) {\n      id\n      slug\n      title\n      createdAt\n      participants {\n        ...ParticipantFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IceServers {\n    iceServers {\n      urls\n      username\n      credential\n    }\n  }\n"): (typeof documents)["\n  query IceServers {\n    iceServers {\n      urls\n      username\n      credential\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JoinRoom($slug: String!, $displayName: String, $resume: String) {\n    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {\n      __typename\n      ... on Welcome {\n        token\n        resumeToken\n        resumed\n        me {\n          ...ParticipantFields\n        }\n        room {\n          id\n          participants {\n            ...ParticipantFields\n          }\n        }\n      }\n      ... on ParticipantJoined {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantLeft {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantUpdated {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on Signal {\n        from\n        kind\n        payload\n      }\n      ... on Welcome {\n        chat {\n          ...ChatMessageFields\n        }\n      }\n      ... on ChatMessage {\n        ...ChatMessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription JoinRoom($slug: String!, $displayName: String, $resume: String) {\n    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {\n      __typename\n      ... on Welcome {\n        token\n        resumeToken\n        resumed\n        me {\n          ...ParticipantFields\n        }\n        room {\n          id\n          participants {\n            ...ParticipantFields\n          }\n        }\n      }\n      ... on ParticipantJoined {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantLeft {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on ParticipantUpdated {\n        participant {\n          ...ParticipantFields\n        }\n      }\n      ... on Signal {\n        from\n        kind\n        payload\n      }\n      ... on Welcome {\n        chat {\n          ...ChatMessageFields\n        }\n      }\n      ... on ChatMessage {\n        ...ChatMessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendChatMessage($input: ChatMessageInput!) {\n    sendChatMessage(input: $input) {\n      id\n      seq\n    }\n  }\n"): (typeof documents)["\n  mutation SendChatMessage($input: ChatMessageInput!) {\n    sendChatMessage(input: $input) {\n      id\n      seq\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendSignal($input: SignalInput!) {\n    sendSignal(input: $input)\n  }\n"): (typeof documents)["\n  mutation SendSignal($input: SignalInput!) {\n    sendSignal(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMediaState($input: MediaStateInput!) {\n    setMediaState(input: $input) {\n      id\n      media {\n        audio\n        video\n        screen\n        screenStreamId\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetMediaState($input: MediaStateInput!) {\n    setMediaState(input: $input) {\n      id\n      media {\n        audio\n        video\n        screen\n        screenStreamId\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;