import { error, redirect } from '@sveltejs/kit';
import { request } from '$lib/graphql/client';
import { toRequestError } from '$lib/graphql/errors';
import { RoomDocument } from '$lib/graphql/operations';
import type { PageLoad } from './$types';

/** Loads the room in the browser; an unknown slug goes back to / with a message. */
export const load: PageLoad = async ({ params }) => {
  let room;
  try {
    ({ room } = await request(RoomDocument, { slug: params.slug }));
  } catch (err) {
    const failure = toRequestError(err);
    error(503, { message: failure.message, code: failure.code });
  }
  if (!room) redirect(307, `/?missing=${encodeURIComponent(params.slug)}`);
  return { room };
};
