/**
 * Presence after a resume: the mesh had Peers, the new Welcome lists who the server knows
 * now. After a server restart the others come back one by one, so a participant missing
 * from the list is not gone yet; one listed without a Peer joined while we were away.
 * Pure; used by mesh.ts.
 */

/** How long a participant missing from a resumed Welcome keeps its Peer. */
export const MISSING_GRACE_MS = 15_000;
/** How long to wait for an unknown participant's offer before offering ourselves. */
export const ADOPT_AFTER_MS = 2_000;

export interface ResumePlan {
  /** Listed and already connected to: nothing to do. */
  keep: string[];
  /** We have a Peer but the server does not list them (yet): wait MISSING_GRACE_MS. */
  missing: string[];
  /** Listed, but we have no Peer: make one. */
  adopt: string[];
}

export function reconcileResume(meId: string, peerIds: Iterable<string>, listed: readonly { id: string }[]): ResumePlan {
  const present = new Set(listed.map((p) => p.id).filter((id) => id !== meId));
  const peers = new Set([...peerIds].filter((id) => id !== meId));
  return {
    keep: [...peers].filter((id) => present.has(id)),
    missing: [...peers].filter((id) => !present.has(id)),
    adopt: [...present].filter((id) => !peers.has(id)),
  };
}
