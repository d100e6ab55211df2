/**
 * The server's settings, read from the environment once at startup.
 *
 * Every value is checked here so that a typo in a deployment fails at startup with a message
 * naming the variable, instead of surfacing later as a strange runtime behaviour.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeApiBaseUrl } from '../src/shared/app-config.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  port: number;
  host: string;
  /** Absolute path of the SQLite file, or `:memory:`. Unused when databaseUrl is set. */
  dbFile: string;
  /** postgres:// URL: PostgreSQL instead of SQLite, for several servers on one database. */
  databaseUrl: string | undefined;
  /** Connections each server keeps to PostgreSQL at most (PG_POOL_MAX). */
  pgPoolMax: number;
  logLevel: LogLevel;
  /** Absolute path of the built PWA. */
  staticDir: string;
  /** Writes (POST/PUT/DELETE) allowed per client per window. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /**
   * The API the served app talks to: '' for this server's own origin, else an absolute http(s)
   * URL without a trailing slash. Decided at run time, so one build fits any API.
   */
  apiBaseUrl: string;
  /** How long a client may take to send a whole request, headers and body (see app.ts). */
  requestTimeoutMs: number;
  /** How long a client may take to send a request's headers; at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open for the client's next request. */
  keepAliveTimeoutMs: number;
  /** How long deleted reviews' tombstones stay in the change feed (TOMBSTONE_RETENTION_DAYS). */
  tombstoneRetentionMs: number;
  /** Heartbeat period of the live notices (SSE), in ms. */
  liveHeartbeatMs: number;
  /** Live-notice streams allowed at once. */
  liveMaxConnections: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const HOUR_MS = 3_600_000;

/**
 * Where the built app lives when STATIC_DIR is not set: `dist/app`, found from this module's own
 * location so that the server works whatever the current directory is. Bundled, this code runs
 * from `dist/server/main.mjs`, whose folder's parent is `dist/`; run from source with tsx, it runs
 * from `server/config.ts`, whose folder's parent is the repository root.
 */
export function defaultStaticDir(moduleUrl: string = import.meta.url): string {
  const moduleDir = dirname(fileURLToPath(moduleUrl));
  const runFromSource = moduleUrl.endsWith('.ts');
  return runFromSource ? resolve(moduleDir, '..', 'dist', 'app') : resolve(moduleDir, '..', 'app');
}

/**
 * Reads and validates the configuration. Throws a `ConfigError` listing every bad variable at
 * once, so a broken deployment is fixed in one round trip. Has no side effects.
 */
export function readConfig(env: Env = process.env, cwd: string = process.cwd()): ServerConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const port = integer('PORT', 1337, 0, 65535);
  const rateLimitMax = integer('RATE_LIMIT_MAX', 2000, 1, 1_000_000_000);
  const rateLimitWindowMs = integer('RATE_LIMIT_WINDOW_MS', 60_000, 1, 86_400_000);
  // Below 1 KiB a legitimate review could not be sent; above 16 MiB is not a review any more.
  const bodyLimit = integer('BODY_LIMIT', 64 * 1024, 1024, 16 * 1024 * 1024);
  // Bounds on how long a client may take to SEND a request, never on how long an answer may
  // take or stream (app.ts says why). 30 s carries a 64 KiB body at 2.2 KB/s, a weak 2G link;
  // a request cut off gets a 408, which the app's outbox keeps and retries.
  const requestTimeoutMs = integer('REQUEST_TIMEOUT_MS', 30_000, 1000, HOUR_MS);
  // 20 s: well past Chromium's 10 s for keeping an unused preconnected socket, so the server
  // never closes one the browser is about to use. Unset, it follows a shorter request timeout
  // down, as Node's own default does.
  const headersTimeoutMs = integer('HEADERS_TIMEOUT_MS', Math.min(20_000, requestTimeoutMs), 1000, HOUR_MS);
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(
      `HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}): ` +
        'the headers are part of the request',
    );
  }
  // Fastify's default: longer than the 60 s idle timeout of common proxies and load balancers,
  // so that they, not this server, close an idle connection (no race on a reused one).
  const keepAliveTimeoutMs = integer('KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, HOUR_MS);
  // A client offline for longer than this gets "resync" (a full read) instead of a delta.
  const tombstoneRetentionDays = integer('TOMBSTONE_RETENTION_DAYS', 30, 1, 36_500);
  // Under 1 s is a busy loop; over 5 min, idle proxies cut the stream between two heartbeats.
  const liveHeartbeatMs = integer('LIVE_HEARTBEAT_MS', 15_000, 1_000, 300_000);
  // Each stream holds a socket (a file descriptor) for as long as the page is open.
  const liveMaxConnections = integer('LIVE_MAX_CONNECTIONS', 500, 0, 100_000);

  // `localhost` keeps the server private to the machine; Fastify binds every address it resolves
  // to (127.0.0.1 and ::1), so http://localhost:1337 works whichever one the client picks.
  const host = (env['HOST'] ?? '').trim() || 'localhost';
  if (/\s/.test(host)) {
    problems.push(`HOST must be a host name or an IP address (got "${env['HOST']}")`);
  }

  const rawLevel = (env['LOG_LEVEL'] ?? '').trim() || 'info';
  const logLevel = LOG_LEVELS.find((level) => level === rawLevel);
  if (!logLevel) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${rawLevel}")`);
  }

  const rawDbFile = (env['DB_FILE'] ?? '').trim() || 'data/restaurant-reviews.sqlite';
  const dbFile = rawDbFile === ':memory:' ? rawDbFile : resolve(cwd, rawDbFile);

  // Each server holds up to PG_POOL_MAX connections plus one for LISTEN; PostgreSQL's default
  // max_connections (100) therefore fits several servers at the default of 10.
  const pgPoolMax = integer('PG_POOL_MAX', 10, 1, 1000);
  const databaseUrl = readDatabaseUrl(env['DATABASE_URL'], problems);

  const rawStaticDir = (env['STATIC_DIR'] ?? '').trim();
  const staticDir = rawStaticDir ? resolve(cwd, rawStaticDir) : defaultStaticDir();

  const apiSetting = normalizeApiBaseUrl(env['API_BASE_URL'] ?? '');
  if ('error' in apiSetting) problems.push(`API_BASE_URL ${apiSetting.error}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    dbFile,
    databaseUrl,
    pgPoolMax,
    logLevel: logLevel ?? 'info',
    staticDir,
    rateLimitMax,
    rateLimitWindowMs,
    bodyLimit,
    apiBaseUrl: 'value' in apiSetting ? apiSetting.value : '',
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs,
    tombstoneRetentionMs: tombstoneRetentionDays * 24 * 60 * 60 * 1000,
    liveHeartbeatMs,
    liveMaxConnections,
  };
}

/**
 * DATABASE_URL: unset or empty means SQLite. Otherwise a postgres:// (or postgresql://) URL with a
 * host; the message never repeats the password.
 */
function readDatabaseUrl(raw: string | undefined, problems: string[]): string | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || url.hostname === '') {
    const shown = value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
    problems.push(
      `DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database (got "${shown}")`,
    );
    return undefined;
  }
  return value;
}

/** Creates the database's folder; apart from `readConfig`, so reading has no side effects. */
export function ensureDbFolder(dbFile: string): void {
  if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
}
