/**
 * The RTCPeerConnection `iceServers` the server recommends (its STUN listener, say).
 * Asked by the room page when it loads, on the call's socket: that opens the socket
 * before "Join call" (see WARM_SOCKET_MS). On loopback or a LAN an empty list still
 * connects, so a failed query is not a reason to refuse the call.
 */
import { mutate } from '$lib/graphql/client';
import { IceServersDocument } from '$lib/graphql/operations';

export async function fetchIceServers(): Promise<RTCIceServer[]> {
  try {
    const { iceServers } = await mutate(IceServersDocument, {});
    return iceServers.map(({ urls, username, credential }) => ({
      urls,
      ...(username != null ? { username } : {}),
      ...(credential != null ? { credential } : {}),
    }));
  } catch {
    return [];
  }
}
