/**
 * The STUN URL clients are told to use. Pure; the GraphQL `iceServers` resolver calls it
 * with app.config, app.stun.port and the request's Host header.
 */
import { isIPv6 } from 'node:net';
import type { Config } from '../config.js';

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i;

/**
 * config.publicStunUrl when set; null when STUN is off; otherwise
 * `stun:<host the client reached us by>:<bound port>`. The Host header's port is the HTTP
 * port, so it is dropped; IPv6 literals get brackets; a missing or odd header (it is
 * client-supplied) falls back to config.host.
 */
export function stunUrl(config: Config, boundPort: number | null, requestHost: string | undefined): string | null {
  if (config.publicStunUrl) return config.publicStunUrl;
  if (boundPort === null) return null;
  const host = hostOf(requestHost ?? '') ?? hostOf(config.host) ?? config.host;
  return `stun:${host}:${boundPort}`;
}

/** The host part of a Host header value, IPv6 in brackets; null if it is not a plain host. */
function hostOf(value: string): string | null {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(text);
  if (bracketed?.[1]) return isIPv6(bracketed[1]) ? `[${bracketed[1].toLowerCase()}]` : null;
  if (isIPv6(text)) return `[${text.toLowerCase()}]`;
  const name = text.replace(/:\d+$/, '');
  return HOSTNAME.test(name) ? name.toLowerCase() : null;
}
