/**
 * The contract's naming rules for rooms and people, shared by the API (validation) and
 * the web UI (the slug preview under the title field). Pure: no imports.
 */
export const SLUG_MAX = 64;
export const TITLE_MAX = 120;
export const DISPLAY_NAME_MAX = 40;

/**
 * "Daily Standup" -> "daily-standup": trimmed, lower-cased, white space runs to '-',
 * only [a-z0-9-] kept, repeated '-' collapsed, no leading or trailing '-'.
 * May return '' (nothing usable) or a string longer than SLUG_MAX; see slugProblem.
 */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Why a normalized slug is unusable, as a sentence for a person; null when it is fine. */
export function slugProblem(slug: string): string | null {
  if (slug.length === 0) return 'The slug needs at least one letter or digit.';
  if (slug.length > SLUG_MAX) return `The slug can be at most ${SLUG_MAX} characters.`;
  return null;
}

/** Why a title is unusable; null when it is fine. Checks the trimmed text. */
export function titleProblem(title: string): string | null {
  const t = title.trim();
  if (t.length === 0) return 'The title cannot be empty.';
  if (t.length > TITLE_MAX) return `The title can be at most ${TITLE_MAX} characters.`;
  return null;
}

/** Why a display name is unusable; null when it is fine. Checks the trimmed text. */
export function displayNameProblem(name: string): string | null {
  const t = name.trim();
  if (t.length === 0) return 'The name cannot be empty.';
  if (t.length > DISPLAY_NAME_MAX) return `The name can be at most ${DISPLAY_NAME_MAX} characters.`;
  return null;
}

/** The slug derived from a title: slugify, cut to SLUG_MAX without a trailing '-'. */
export function slugFromTitle(title: string): string {
  return slugify(title).slice(0, SLUG_MAX).replace(/-$/, '');
}
