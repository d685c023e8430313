/** The node flags of api/package.json's `start` script (start-flags.mjs). */
export function startFlags(): string[];
