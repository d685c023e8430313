/**
 * The process configuration: read from the environment and validated once, at start.
 * server.ts calls loadConfig(process.env); tests build a Config with configFor().
 */
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
  /** Test-only: answer STUN with the mapped port shifted by this much (0 = truthful). */
  stunTestPortShift: number;
  /** A PostgreSQL URL; null selects the embedded PGlite database under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  maxParticipants: number;
  /** How long a participant whose connection was lost stays in the call, able to resume. */
  resumeGraceMs: number;
  /** Request budgets per client (createRoom, joinRoom: per IP) and per participant (sendSignal). */
  rateLimits: RateLimits;
  logLevel: string;
  /** Directory of the built SvelteKit app (adapter-node output); null serves no UI. */
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

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const publicStunUrl = str(env, 'PUBLIC_STUN_URL');
  if (publicStunUrl && !/^stuns?:/.test(publicStunUrl)) {
    throw new ConfigError('PUBLIC_STUN_URL must start with stun: or stuns:');
  }
  return {
    host: str(env, 'HOST') ?? '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    stunPort: int(env, 'STUN_PORT', 3478, 0, 65535),
    publicStunUrl,
    stunRateLimit: int(env, 'STUN_RATE_LIMIT', 50, 1, 1_000_000),
    stunTestPortShift: int(env, 'STUN_TEST_PORT_SHIFT', 0, 0, 1000),
    databaseUrl,
    dataDir: resolve(cwd, str(env, 'DATA_DIR') ?? '.data'),
    maxParticipants: int(env, 'MAX_PARTICIPANTS', 8, 1, 1000),
    resumeGraceMs: int(env, 'RESUME_GRACE_MS', 5_000, 0, 60_000),
    rateLimits: {
      createRoomPerMinute: int(env, 'RATE_LIMIT_CREATE_ROOM', 30, 1, 1_000_000),
      joinPerMinute: int(env, 'RATE_LIMIT_JOIN', 120, 1, 1_000_000),
      signalsPerSecond: int(env, 'RATE_LIMIT_SIGNALS', 200, 1, 1_000_000),
    },
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    webBuildDir: str(env, 'WEB_BUILD_DIR') ? resolve(cwd, env.WEB_BUILD_DIR!) : null,
    production: env.NODE_ENV === 'production',
  };
}

/** A config for tests: embedded defaults with the given overrides. */
export function configFor(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), port: 0, stunPort: 0, logLevel: 'warn', ...overrides };
}
