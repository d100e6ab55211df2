/**
 * `buildServer(options)` assembles the whole server and returns the Fastify instance without
 * listening: main.ts calls `listen`, tests call `listen({ port: 0 })` or `inject`. Closing the
 * instance (`app.close()`) lets in-flight requests finish, then closes the database.
 */
import compress from '@fastify/compress';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { registerAppConfig } from './app-config.ts';
import { appPageExists } from './app-pages.ts';
import { ensureDbFolder, type LogLevel } from './config.ts';
import { registerBodyParsers } from './content-types.ts';
import { registerCors } from './cors.ts';
import { answerClientError, createErrorHandler } from './errors.ts';
import { ListCache } from './list-cache.ts';
import { LiveNotices } from './live-notices.ts';
import { registerWriteLimit } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';
import { changeRoutes } from './routes/changes.ts';
import { ratingRoutes } from './routes/ratings.ts';
import { isBatchReplay, reviewBatchRoutes } from './routes/review-batch.ts';
import { restaurantRoutes } from './routes/restaurants.ts';
import { isReviewReplay, reviewRoutes } from './routes/reviews.ts';
import { addFormats } from './schemas.ts';
import { registerSecurityHeaders } from './security.ts';
import { registerStaticApp } from './static.ts';
import { openStorage } from './storage/open-storage.ts';

export interface ServerOptions {
  /** SQLite file (created with its folder if missing), or `:memory:`; unused with databaseUrl. */
  dbFile: string;
  /** postgres:// URL: use PostgreSQL (several servers may share it) instead of the SQLite file. */
  databaseUrl?: string;
  /** PostgreSQL connections this server keeps at most (default 10). */
  pgPoolMax?: number;
  /** The built PWA; when absent or not built, only the API is served. */
  staticDir?: string;
  logLevel?: LogLevel;
  /** Writes per client per window (default 2000 per minute). */
  rateLimitMax?: number;
  rateLimitWindowMs?: number;
  /** Largest request body in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** The API the served app uses ('' or absent: this server); see config.ts. */
  apiBaseUrl?: string;
  /** Longest time a client may take to send a whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Longest time a client may take to send a request's headers (default 20 s, at most the above). */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection waits for the next request (default 72 s). */
  keepAliveTimeoutMs?: number;
  /** How long deleted reviews' tombstones are kept for the change feed (default 30 days). */
  tombstoneRetentionMs?: number;
  /** How often old tombstones are pruned (default hourly, and at start). */
  tombstonePruneIntervalMs?: number;
  /** Live notices: heartbeat period (default 15 s). */
  liveHeartbeatMs?: number;
  /** Live notices: open streams allowed at once (default 500). */
  liveMaxConnections?: number;
  /** Live notices: shortest gap between two broadcasts, in ms (default 50). */
  liveNoticeIntervalMs?: number;
  /**
   * Serve GET /restaurants and GET /reviews from answers made once per data change (default
   * true; list-cache.ts). False serializes every answer per request (the test of byte identity).
   */
  cacheListAnswers?: boolean;
}

/**
 * How often Node looks for requests past their deadline (its default is 30 s, which would let a
 * 20 s headers timeout run to 50 s). It walks only the connections with a request in progress.
 */
const DEADLINE_CHECK_INTERVAL_MS = 1000;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 64 * 1024;
  const handleError = createErrorHandler(bodyLimit);

  const requestTimeout = options.requestTimeoutMs ?? 30_000;

  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    logController: new RequestLog(),
    bodyLimit,
    // Timeouts bound how long a client may take to SEND its request, never how long the answer
    // may take or stream (a Server-Sent Events stream lasts as long as it likes):
    // - requestTimeout: the whole request, headers and body, from its first byte (from the
    //   connection's opening for its first request). A client that trickles its body (a byte a
    //   second) is cut off with a 408 and the connection closes. Once the request has arrived,
    //   it no longer applies.
    // - headersTimeout: the headers alone, counted the same way, so a connection that never
    //   sends anything is closed too.
    // - keepAliveTimeout: an idle connection between two requests.
    // Not connectionTimeout (a socket inactivity timeout): a trickle of one byte a second is
    // never inactive, and it would close a quiet event stream between two events.
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 72_000,
    http: {
      // Fastify sets requestTimeout after creating the server; Node checks headersTimeout
      // against it at creation, so it is given here too.
      requestTimeout,
      headersTimeout: options.headersTimeoutMs ?? Math.min(20_000, requestTimeout),
      connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS,
    },
    routerOptions: { ignoreTrailingSlash: true },
    ajv: {
      // No coercion: see schemas.ts. removeAdditional drops unknown body fields.
      customOptions: {
        coerceTypes: false,
        removeAdditional: true,
        useDefaults: true,
        allErrors: false,
        // "integer or numeric string" is written as type: ['integer', 'string'].
        allowUnionTypes: true,
      },
      onCreate: addFormats,
    },
    // Malformed URLs (bad percent-encoding) get the same error shape as everything else.
    frameworkErrors: (error: FastifyError, request, reply) => {
      void handleError(error, request, reply);
    },
    // …and so do requests that are not even valid HTTP.
    clientErrorHandler: answerClientError,
  });

  if (!options.databaseUrl) ensureDbFolder(options.dbFile);
  let storage;
  try {
    storage = await openStorage({
      dbFile: options.dbFile,
      databaseUrl: options.databaseUrl,
      pgPoolMax: options.pgPoolMax,
      tombstoneRetentionMs: options.tombstoneRetentionMs,
      tombstonePruneIntervalMs: options.tombstonePruneIntervalMs,
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const opened = storage;
  app.addHook('onClose', async () => opened.close());
  const live = new LiveNotices(await storage.changes.current(), {
    heartbeatMs: options.liveHeartbeatMs,
    maxConnections: options.liveMaxConnections,
    noticeIntervalMs: options.liveNoticeIntervalMs,
  });
  const unsubscribe = storage.changes.subscribe((cursor, remind) =>
    remind ? live.remind(cursor) : live.publish(cursor),
  );
  // preClose, before Fastify waits for answers in flight: a stream never ends by itself.
  app.addHook('preClose', (done) => {
    unsubscribe();
    live.close();
    done();
  });

  try {
    app.setErrorHandler(handleError);
    closeConnectionsOnShutdown(app);
    registerCors(app);
    registerSecurityHeaders(app, options.apiBaseUrl ?? '');
    await app.register(compress, {
      // The plugin's brotli quality (4) suits per-request JSON; 11 would cost far more CPU.
      encodings: ['br', 'gzip'],
      // Clients never send compressed bodies; decompressing them would only add a way to
      // smuggle a large body past a quick glance.
      globalDecompression: false,
    });
    registerBodyParsers(app);

    const writeLimit = await registerWriteLimit(app, {
      max: options.rateLimitMax ?? 2000,
      windowMs: options.rateLimitWindowMs ?? 60_000,
      isReplay: anyOf(isReviewReplay(storage), isBatchReplay(storage)),
    });
    const lists =
      options.cacheListAnswers === false
        ? undefined
        : new ListCache({ currentSequence: () => storage.changes.current() });
    await app.register(restaurantRoutes, { storage, writeLimit, lists });
    await app.register(reviewRoutes, { storage, writeLimit, lists });
    await app.register(reviewBatchRoutes, { storage, writeLimit });
    await app.register(changeRoutes, { storage, live });
    await app.register(ratingRoutes, { storage, lists });
    registerAppConfig(app, { apiBaseUrl: options.apiBaseUrl ?? '' });
    await registerStaticApp(app, options.staticDir, appPageExists(storage));
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}

function anyOf<A extends unknown[]>(...tests: Array<(...args: A) => Promise<boolean>>) {
  return async (...args: A): Promise<boolean> => {
    for (const test of tests) if (await test(...args)) return true;
    return false;
  };
}

/**
 * On shutdown Fastify stops accepting connections, closes idle ones, and answers requests that
 * arrive afterwards with `Connection: close`, but not the requests already in flight: their
 * keep-alive connections stay open after the answer, and `close()` waits until the client
 * drops them (seconds, or never). Ending them with the answer makes shutdown prompt.
 */
function closeConnectionsOnShutdown(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
    done(null, payload);
  });
}
