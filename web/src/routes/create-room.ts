/**
 * The create-room form's rules, apart from its markup: what slug a room will get, which
 * client-side problems block the request, and which field a server error belongs to.
 * Used by CreateRoomForm.svelte; the naming rules themselves come from the API package.
 */
import { slugFromTitle, slugify, slugProblem, titleProblem } from '@parley/api/slug';
import type { GraphQLRequestError } from '$lib/graphql/errors';
import type { CreateRoomInput } from '$lib/graphql/generated/graphql';

export interface CreateRoomFields {
  title: string;
  /** As typed; empty means "derive it from the title". */
  slug: string;
}

/** A sentence per field, and `form` for problems that belong to no field. */
export interface FieldErrors {
  title?: string;
  slug?: string;
  form?: string;
}

/** The slug the room will get: the typed one normalized, else the one derived from the title. */
export function effectiveSlug(fields: CreateRoomFields): string {
  return fields.slug.trim() === '' ? slugFromTitle(fields.title) : slugify(fields.slug);
}

/** The problems found before asking the server; an empty object when there are none. */
export function validate(fields: CreateRoomFields): FieldErrors {
  const errors: FieldErrors = {};
  const title = titleProblem(fields.title);
  if (title) errors.title = title;
  // With no title there is no derived slug to complain about: one message is enough.
  const slug = title && fields.slug.trim() === '' ? null : slugProblem(effectiveSlug(fields));
  if (slug) errors.slug = slug;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Boolean(errors.title || errors.slug || errors.form);
}

/** The mutation's input: the slug is sent only when the person chose one. */
export function toInput(fields: CreateRoomFields): CreateRoomInput {
  const input: CreateRoomInput = { title: fields.title.trim() };
  if (fields.slug.trim() !== '') input.slug = slugify(fields.slug);
  return input;
}

/** Puts each server error beside the field it concerns (extensions.code and .field). */
export function serverErrors(err: GraphQLRequestError): FieldErrors {
  const errors: FieldErrors = {};
  for (const entry of err.errors) {
    const code = entry.extensions?.code;
    const field = entry.extensions?.field;
    if (code === 'SLUG_TAKEN' || (code === 'BAD_USER_INPUT' && field === 'slug')) {
      errors.slug ??= entry.message;
    } else if (code === 'BAD_USER_INPUT' && field === 'title') {
      errors.title ??= entry.message;
    } else {
      errors.form ??= entry.message;
    }
  }
  return errors;
}
