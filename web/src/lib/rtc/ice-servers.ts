/**
 * The RTCPeerConnection `iceServers` the server recommends (its STUN listener, say).
 * Called once per join by the page's call state. On loopback or a LAN an empty list
 * still connects, so a failed query is not a reason to refuse the call.
 */
import { request } from '$lib/graphql/client';
import { IceServersDocument } from '$lib/graphql/operations';

export async function fetchIceServers(): Promise<RTCIceServer[]> {
  try {
    const { iceServers } = await request(IceServersDocument);
    return iceServers.map(({ urls, username, credential }) => ({
      urls,
      ...(username != null ? { username } : {}),
      ...(credential != null ? { credential } : {}),
    }));
  } catch {
    return [];
  }
}
