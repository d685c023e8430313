/**
 * Every GraphQL operation the browser sends. `pnpm codegen` (at the workspace root) reads
 * this file and writes typed documents to ./generated; import the constants from here.
 */
import { graphql } from './generated/gql';

export const CreateRoomDocument = graphql(`
  mutation CreateRoom($input: CreateRoomInput!) {
    createRoom(input: $input) {
      id
      slug
      title
      createdAt
    }
  }
`);

/** What the UI shows of a participant: who they are and what they send. */
export const ParticipantFieldsFragment = graphql(`
  fragment ParticipantFields on Participant {
    id
    displayName
    joinedAt
    media {
      audio
      video
      screen
      screenStreamId
    }
  }
`);

/** A chat message as the chat panel shows and orders it. */
export const ChatMessageFieldsFragment = graphql(`
  fragment ChatMessageFields on ChatMessage {
    id
    seq
    fromId
    fromName
    text
    sentAt
  }
`);

export const RoomDocument = graphql(`
  query Room($slug: String!) {
    room(slug: $slug) {
      id
      slug
      title
      createdAt
      participants {
        ...ParticipantFields
      }
    }
  }
`);

export const IceServersDocument = graphql(`
  query IceServers {
    iceServers {
      urls
      username
      credential
    }
  }
`);

/**
 * Being in a room's call: lives as long as the subscription. The first event is Welcome
 * (with the token that signs sendSignal, and the resumeToken that brings us back as the
 * same participant after a lost connection); then presence changes and signals for us.
 */
export const JoinRoomDocument = graphql(`
  subscription JoinRoom($slug: String!, $displayName: String, $resume: String) {
    joinRoom(slug: $slug, displayName: $displayName, resume: $resume) {
      __typename
      ... on Welcome {
        token
        resumeToken
        resumed
        me {
          ...ParticipantFields
        }
        room {
          id
          participants {
            ...ParticipantFields
          }
        }
      }
      ... on ParticipantJoined {
        participant {
          ...ParticipantFields
        }
      }
      ... on ParticipantLeft {
        participant {
          ...ParticipantFields
        }
      }
      ... on ParticipantUpdated {
        participant {
          ...ParticipantFields
        }
      }
      ... on Signal {
        from
        kind
        payload
      }
      ... on Welcome {
        chat {
          ...ChatMessageFields
        }
      }
      ... on ChatMessage {
        ...ChatMessageFields
      }
    }
  }
`);

/** Posts to the room's chat; the message comes back to everyone (us too) as a ChatMessage event. */
export const SendChatMessageDocument = graphql(`
  mutation SendChatMessage($input: ChatMessageInput!) {
    sendChatMessage(input: $input) {
      id
      seq
    }
  }
`);

/** Relays an offer, answer or ICE candidate; sent over the joinRoom socket to keep order. */
export const SendSignalDocument = graphql(`
  mutation SendSignal($input: SignalInput!) {
    sendSignal(input: $input)
  }
`);

/** Tells the others what we send (mute, camera, screen); sent over the joinRoom socket. */
export const SetMediaStateDocument = graphql(`
  mutation SetMediaState($input: MediaStateInput!) {
    setMediaState(input: $input) {
      id
      media {
        audio
        video
        screen
        screenStreamId
      }
    }
  }
`);
