/**
 * The cluster's Lua scripts. Each runs atomically in Redis, so a membership change and
 * the events announcing it are one step: a join sees a consistent room and everyone in
 * it hears of the join; a sweep of a dead instance removes and announces each member
 * exactly once even when every survivor runs it at the same moment. Sent with EVAL (not
 * EVALSHA): a NOSCRIPT retry could reorder two sends, and order is the contract.
 * ARGV[1] is always the key prefix.
 */

/**
 * KEYS: room hash, token key, instance rooms set, seq counter.
 * ARGV: prefix, participant id, member body (JSON without `{"seq":N,`), max, token record,
 * joined message, room id, orphan ('1': a re-admission that needs the orphan mark),
 * the presented resume nonce (a re-admission: the mark must name it; it is then spent).
 * Returns {'OK', member JSON...} or {'FULL'} / {'EXISTS'} / {'GONE'}.
 */
export const JOIN = `
local prefix, pid = ARGV[1], ARGV[2]
if redis.call('HEXISTS', KEYS[1], pid) == 1 then return {'EXISTS'} end
if ARGV[8] == '1' and redis.call('GET', prefix .. 'orphan:' .. pid) ~= ARGV[7] .. '|' .. ARGV[9] then return {'GONE'} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {'FULL'} end
if ARGV[8] == '1' then redis.call('DEL', prefix .. 'orphan:' .. pid) end
local seq = redis.call('INCR', KEYS[4])
for _, other in ipairs(redis.call('HKEYS', KEYS[1])) do
  redis.call('PUBLISH', prefix .. 'p:' .. other, ARGV[6])
end
redis.call('HSET', KEYS[1], pid, '{"seq":' .. seq .. ',' .. ARGV[3])
redis.call('SET', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[7])
local out = {'OK'}
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do table.insert(out, v) end
return out
`;

/**
 * KEYS: room hash, instance rooms set. ARGV: prefix, participant id, instance, left
 * message, room id. Removes the member only if this instance still holds it (a takeover
 * may have moved it); 1 if removed.
 */
export const LEAVE = `
local cur = redis.call('HGET', KEYS[1], ARGV[2])
if not cur then return 0 end
local m = cjson.decode(cur)
if m.instance ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[2])
redis.call('HDEL', ARGV[1] .. 'media:' .. ARGV[5], ARGV[2])
redis.call('DEL', ARGV[1] .. 'tok:' .. m.token)
local mine = false
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  redis.call('PUBLISH', ARGV[1] .. 'p:' .. all[i], ARGV[4])
  if cjson.decode(all[i + 1]).instance == ARGV[3] then mine = true end
end
if not mine then redis.call('SREM', KEYS[2], ARGV[5]) end
return 1
`;

/**
 * KEYS: token key. ARGV: prefix, recipient id, a problem found locally ('' or a code),
 * message tail (`"kind":..,"payload":..}}`). Checks in the hub's order, then publishes
 * the signal stamped with the token owner's id. Returns 'OK' or an error code;
 * 'UNHEARD' when no instance listens on the recipient's channel right now (its instance
 * is re-subscribing after a Redis blip, or died and is not swept yet): nothing was
 * delivered, so the signal must not be acknowledged.
 */
export const SEND = `
local rec = redis.call('GET', KEYS[1])
if not rec then return 'UNAUTHENTICATED' end
if ARGV[3] ~= '' then return ARGV[3] end
local r = cjson.decode(rec)
if r.p == ARGV[2] then return 'SELF' end
if redis.call('HEXISTS', ARGV[1] .. 'room:' .. r.r, ARGV[2]) == 0 then return 'NOT_IN_ROOM' end
local heard = redis.call('PUBLISH', ARGV[1] .. 'p:' .. ARGV[2], '{"t":"e","e":{"__typename":"Signal","from":"' .. r.p .. '",' .. ARGV[4])
if heard == 0 then return 'UNHEARD' end
return 'OK'
`;

/**
 * KEYS: room hash. ARGV: prefix, participant id, new instance, marker message, room id,
 * presented resume nonce, new signal token, new resume nonce, new token record.
 * A resume: only with the member's current resume nonce (a token works once). Swaps in
 * the new signal token and nonce (the old token stops working at once), moves the member
 * to the new instance and, if it moved, puts the marker in its event stream. Returns
 * false if it is not in the room or the nonce is not its current one, else
 * {member JSON, old instance, 1 if the old one is up}.
 */
export const TAKEOVER = `
local cur = redis.call('HGET', KEYS[1], ARGV[2])
if not cur then return false end
local m = cjson.decode(cur)
if m.rt ~= ARGV[6] then return false end
local old = m.instance
redis.call('DEL', ARGV[1] .. 'tok:' .. m.token)
redis.call('SET', ARGV[1] .. 'tok:' .. ARGV[7], ARGV[9])
m.token, m.rt, m.instance = ARGV[7], ARGV[8], ARGV[3]
local updated = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[2], updated)
if old == ARGV[3] then return {updated, old, 1} end
redis.call('SADD', ARGV[1] .. 'inst:' .. ARGV[3] .. ':rooms', ARGV[5])
redis.call('PUBLISH', ARGV[1] .. 'p:' .. ARGV[2], ARGV[4])
local up = redis.call('GET', ARGV[1] .. 'inst:' .. old) == 'up' and 1 or 0
return {updated, old, up}
`;

/**
 * KEYS: room hash. ARGV: prefix, dead instance, room id, orphan TTL seconds. Removes the
 * dead instance's members, tells each remaining member, marks the removed resumable
 * (the mark names the room and the member's current resume nonce).
 * Returns how many were removed.
 */
export const SWEEP = `
local all = redis.call('HGETALL', KEYS[1])
local gone, stay = {}, {}
for i = 1, #all, 2 do
  local m = cjson.decode(all[i + 1])
  if m.instance == ARGV[2] then table.insert(gone, m) else table.insert(stay, all[i]) end
end
for _, m in ipairs(gone) do
  redis.call('HDEL', KEYS[1], m.id)
  redis.call('HDEL', ARGV[1] .. 'media:' .. ARGV[3], m.id)
  redis.call('DEL', ARGV[1] .. 'tok:' .. m.token)
  redis.call('SET', ARGV[1] .. 'orphan:' .. m.id, ARGV[3] .. '|' .. (m.rt or ''), 'EX', tonumber(ARGV[4]))
  local msg = cjson.encode({t = 'e', e = {__typename = 'ParticipantLeft', participant = {id = m.id, displayName = m.displayName, joinedAt = m.joinedAt}}})
  for _, pid in ipairs(stay) do redis.call('PUBLISH', ARGV[1] .. 'p:' .. pid, msg) end
end
return #gone
`;

/**
 * KEYS: token key. ARGV: prefix, default media JSON, patch JSON (only the fields given).
 * Merges the patch into the token owner's media state like mergeMedia
 * (../signaling/media.ts: stopping a screen share clears its stream id), stores it and
 * tells everyone else in the room. Returns the owner's participant JSON with its media,
 * or false for an unknown token or a participant no longer in the room.
 */
export const MEDIA = `
local rec = redis.call('GET', KEYS[1])
if not rec then return false end
local r = cjson.decode(rec)
local room = ARGV[1] .. 'room:' .. r.r
local cur = redis.call('HGET', room, r.p)
if not cur then return false end
local m = cjson.decode(cur)
local mediaKey = ARGV[1] .. 'media:' .. r.r
local media = cjson.decode(redis.call('HGET', mediaKey, r.p) or ARGV[2])
for k, v in pairs(cjson.decode(ARGV[3])) do media[k] = v end
if not media.screen then media.screenStreamId = cjson.null end
redis.call('HSET', mediaKey, r.p, cjson.encode(media))
local p = {id = m.id, displayName = m.displayName, joinedAt = m.joinedAt, media = media}
local msg = cjson.encode({t = 'e', e = {__typename = 'ParticipantUpdated', participant = p}})
for _, other in ipairs(redis.call('HKEYS', room)) do
  if other ~= r.p then redis.call('PUBLISH', ARGV[1] .. 'p:' .. other, msg) end
end
return cjson.encode(p)
`;

/**
 * KEYS: token key. ARGV: prefix. Chat's sender check: the token's room id and its
 * member JSON, or false when the token is unknown or its owner is no longer in the room.
 */
export const CHAT_SENDER = `
local rec = redis.call('GET', KEYS[1])
if not rec then return false end
local r = cjson.decode(rec)
local m = redis.call('HGET', ARGV[1] .. 'room:' .. r.r, r.p)
if not m then return false end
return {r.r, m}
`;

/** KEYS: room hash. ARGV: prefix, event message. Publishes the message to everyone in the room. */
export const BROADCAST = `
for _, pid in ipairs(redis.call('HKEYS', KEYS[1])) do
  redis.call('PUBLISH', ARGV[1] .. 'p:' .. pid, ARGV[2])
end
return 1
`;
