/** Argument checks shared by the in-process hub and the cluster hub (api/src/cluster). */
import { randomInt } from 'node:crypto';
import { ErrorCode, ParleyError, badInput } from '../rooms/errors.js';
import { displayNameProblem } from '../rooms/slug.js';
import { Limits } from './types.js';

/** A display name trimmed and checked; absent means a generated "Guest 1234". */
export function normalizeDisplayName(name: string | null | undefined): string {
  if (name == null) return `Guest ${randomInt(1000, 10000)}`;
  const problem = displayNameProblem(name);
  if (problem) throw badInput('displayName', problem);
  return name.trim();
}

/** What is wrong with a payload on its own (size, then JSON), or null. */
export function payloadProblem(payload: string): ParleyError | null {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long payload needs counting.
  if (payload.length * 3 > Limits.maxPayloadBytes && Buffer.byteLength(payload, 'utf8') > Limits.maxPayloadBytes) {
    return new ParleyError(ErrorCode.PAYLOAD_TOO_LARGE, `A signal payload can be at most ${Limits.maxPayloadBytes} bytes.`);
  }
  if (!isJson(payload)) return badInput('payload', 'The payload must be JSON text.');
  return null;
}

export const unauthenticated = () =>
  new ParleyError(ErrorCode.UNAUTHENTICATED, 'This token is unknown or its participant has left the call. Join again.');
export const signalSelf = () => badInput('to', 'A participant cannot signal itself.');
export const notInRoom = () =>
  new ParleyError(ErrorCode.NOT_IN_ROOM, 'The recipient is not in your call (it may just have left).');
export const roomFull = (max: number) =>
  new ParleyError(ErrorCode.ROOM_FULL, `This call is full: it holds at most ${max} people. Try again when someone leaves.`);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
