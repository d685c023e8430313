/**
 * The process configuration: read from the environment and validated once, at start.
 * server.ts calls loadConfig(process.env); tests build a Config with configFor().
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** UDP port of the STUN listener; 0 turns STUN off. */
  stunPort: number;
  /** What clients are told to use for STUN; null derives it from the request host. */
  publicStunUrl: string | null;
  /** Binding requests per second allowed per source address (token bucket refill rate). */
  stunRateLimit: number;
  /**
   * Test-only, never read from the environment: answer STUN with the mapped port shifted
   * by this much (0 = truthful). Only in-process tests set it, through configFor().
   */
  stunTestPortShift: number;
  /** A PostgreSQL URL; null selects the embedded PGlite database under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  maxParticipants: number;
  /** How long a participant whose connection was lost stays in the call, able to resume. */
  resumeGraceMs: number;
  /** Request budgets per client (createRoom, joinRoom: per IP) and per participant (sendSignal). */
  rateLimits: RateLimits;
  /** Cluster mode: several API processes share calls through this Redis; null keeps all in-process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel Parley uses (several deployments or test runs can share one Redis). */
  redisPrefix: string;
  /** A readable name for this process in Redis and logs; each start adds a random suffix. */
  instanceId: string;
  /** TURN: coturn's static-auth-secret (use-auth-secret); null offers no TURN server. */
  turnSecret: string | null;
  /** TURN URLs given to clients with time-limited credentials, e.g. turn:turn.example.com:3478?transport=udp. */
  turnUrls: string[];
  /** How long minted TURN credentials stay valid, in seconds. */
  turnTtlSeconds: number;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify's trustProxy): false (none, the
   * default), true (any), or a comma list of addresses/CIDRs such as `127.0.0.1,10.0.0.0/8`.
   */
  trustProxy: boolean | string;
  logLevel: string;
  /**
   * Directory of the built SvelteKit app (adapter-node output); null serves web/build.
   * Production never sets it; tests point it at the test build (web/build-test).
   */
  webBuildDir: string | null;
  production: boolean;
}

export interface RateLimits {
  /** createRoom per minute per client address. */
  createRoomPerMinute: number;
  /** joinRoom per minute per client address. */
  joinPerMinute: number;
  /** sendSignal per second per participant (the burst is 10 seconds' worth). */
  signalsPerSecond: number;
  /** sendChatMessage per minute per participant (a minute's worth may come at once); default 30. */
  chatPerMinute?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function str(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function trustProxy(raw: string | null): boolean | string {
  if (raw === null || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const publicStunUrl = str(env, 'PUBLIC_STUN_URL');
  if (publicStunUrl && !/^stuns?:/.test(publicStunUrl)) {
    throw new ConfigError('PUBLIC_STUN_URL must start with stun: or stuns:');
  }
  const redisUrl = str(env, 'REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const turnSecret = str(env, 'TURN_SECRET');
  const turnUrls = (str(env, 'TURN_URLS') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const url of turnUrls) {
    if (!/^turns?:[^\s]+$/.test(url)) throw new ConfigError(`TURN_URLS entries must start with turn: or turns:, got "${url}"`);
  }
  if (turnUrls.length > 0 && !turnSecret) throw new ConfigError('TURN_URLS is set but TURN_SECRET is not: set both');
  if (turnSecret && turnUrls.length === 0) throw new ConfigError('TURN_SECRET is set but TURN_URLS is not: set both');
  const instanceId = str(env, 'INSTANCE_ID') ?? (hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'parley');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(instanceId)) {
    throw new ConfigError('INSTANCE_ID must be 1 to 64 characters of letters, digits, ".", "_" or "-"');
  }
  return {
    host: str(env, 'HOST') ?? '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    stunPort: int(env, 'STUN_PORT', 3478, 0, 65535),
    publicStunUrl,
    stunRateLimit: int(env, 'STUN_RATE_LIMIT', 50, 1, 1_000_000),
    stunTestPortShift: 0,
    databaseUrl,
    dataDir: resolve(cwd, str(env, 'DATA_DIR') ?? '.data'),
    maxParticipants: int(env, 'MAX_PARTICIPANTS', 8, 1, 1000),
    resumeGraceMs: int(env, 'RESUME_GRACE_MS', 5_000, 0, 60_000),
    rateLimits: {
      createRoomPerMinute: int(env, 'RATE_LIMIT_CREATE_ROOM', 30, 1, 1_000_000),
      joinPerMinute: int(env, 'RATE_LIMIT_JOIN', 120, 1, 1_000_000),
      signalsPerSecond: int(env, 'RATE_LIMIT_SIGNALS', 200, 1, 1_000_000),
      chatPerMinute: int(env, 'RATE_LIMIT_CHAT', 30, 1, 1_000_000),
    },
    redisUrl,
    redisPrefix: str(env, 'REDIS_PREFIX') ?? 'parley:',
    instanceId,
    turnSecret,
    turnUrls,
    turnTtlSeconds: int(env, 'TURN_TTL', 3600, 1, 7 * 24 * 3600),
    trustProxy: trustProxy(str(env, 'TRUST_PROXY')),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    webBuildDir: str(env, 'WEB_BUILD_DIR') ? resolve(cwd, env.WEB_BUILD_DIR!) : null,
    production: env.NODE_ENV === 'production',
  };
}

/** A config for tests: embedded defaults with the given overrides. */
export function configFor(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), port: 0, stunPort: 0, logLevel: 'warn', ...overrides };
}
