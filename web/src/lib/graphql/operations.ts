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

export const RoomDocument = graphql(`
  query Room($slug: String!) {
    room(slug: $slug) {
      id
      slug
      title
      createdAt
      participants {
        id
        displayName
        joinedAt
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
