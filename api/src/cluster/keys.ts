/**
 * Every Redis key and pub/sub channel the cluster uses, named once here. All start with
 * REDIS_PREFIX so deployments and test runs can share one Redis (channels ignore the
 * database index, so the prefix is what keeps them apart).
 *
 *   room:<roomId>          hash  participant id -> member JSON (seq, instance, id, displayName, joinedAt, token)
 *   media:<roomId>         hash  participant id -> media state JSON (absent: the default state)
 *   tok:<token>            string {p: participant id, r: room id}: sendSignal on any instance
 *   orphan:<participantId> string room id, 60 s: a member swept from a dead instance may resume as itself
 *   seq                    counter for join order
 *   instances              set   every instance that registered
 *   inst:<node>            string "up" (or "closing"), PX heartbeat TTL: the instance is alive
 *   inst:<node>:rooms      set   rooms where the instance has (or had) members: what a sweep visits
 *   channel p:<participantId>  every event for that participant (one ordered stream), read by its instance
 *   channel i:<node>       instance-to-instance messages (a takeover's handed-over events)
 */
export class Keys {
  constructor(readonly prefix: string) {}
  room = (roomId: string) => `${this.prefix}room:${roomId}`;
  media = (roomId: string) => `${this.prefix}media:${roomId}`;
  token = (token: string) => `${this.prefix}tok:${token}`;
  orphan = (participantId: string) => `${this.prefix}orphan:${participantId}`;
  get seq() {
    return `${this.prefix}seq`;
  }
  get instances() {
    return `${this.prefix}instances`;
  }
  instance = (node: string) => `${this.prefix}inst:${node}`;
  instanceRooms = (node: string) => `${this.prefix}inst:${node}:rooms`;
  participantChannel = (participantId: string) => `${this.prefix}p:${participantId}`;
  instanceChannel = (node: string) => `${this.prefix}i:${node}`;
}
