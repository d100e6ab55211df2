/**
 * Two-way sync routes, used by our client only (the classic routes are unchanged):
 *
 * GET /changes?after=N[&limit=L]   everything committed after cursor N (src/shared/change-feed.ts)
 * GET /changes/live[?after=N]      Server-Sent Events: a notice after every commit (live-notices.ts)
 *
 * The live stream takes the client's cursor from Last-Event-ID (sent by EventSource when it
 * reconnects) or else from `?after=` (EventSource cannot set a header on its first connect); the
 * header wins because it is the newer of the two on a reconnect to the same URL.
 */
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import {
  CHANGE_PAGE_LIMITS,
  CHANGES_PATH,
  LIVE_PATH,
} from '../../src/shared/change-feed.ts';
import { HttpError, apiError } from '../errors.ts';
import type { LiveNotices } from '../live-notices.ts';
import { CURSOR_PATTERN, changePageSchema, changesQuery, errorResponses, liveQuery } from '../schemas.ts';
import type { Storage } from '../storage/storage.ts';

export interface ChangeRouteOptions {
  storage: Storage;
  live: LiveNotices;
}

const CURSOR = new RegExp(CURSOR_PATTERN);

/** Request and reply types come from the routes' JSON schemas (schemas.ts), as in restaurants.ts. */
export const changeRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ChangeRouteOptions }> = async (
  app,
  { storage, live },
) => {
  app.get(
    CHANGES_PATH,
    { schema: { querystring: changesQuery, response: { 200: changePageSchema, ...errorResponses } } },
    async (request, reply) => {
      const { after, limit } = request.query;
      const pageLimit = limit === undefined ? CHANGE_PAGE_LIMITS.default : Number(limit);
      if (pageLimit < 1 || pageLimit > CHANGE_PAGE_LIMITS.max) {
        throw new HttpError(400, `limit must be an integer from 1 to ${CHANGE_PAGE_LIMITS.max}`, 'limit');
      }
      // A pull is a question about now: no cache (the browser's, ngsw's or a proxy's) may answer it.
      reply.header('cache-control', 'no-store');
      return storage.changes.changesAfter(Number(after), pageLimit);
    },
  );

  app.get(
    LIVE_PATH,
    {
      // A stream must reach the client as it is written: never compressed (the compressor holds
      // bytes back until its buffer fills). HEAD would open a stream that never ends.
      compress: false,
      exposeHeadRoute: false,
      schema: { querystring: liveQuery, response: errorResponses },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      if (header !== undefined && (typeof header !== 'string' || !CURSOR.test(header.trim()))) {
        throw new HttpError(400, 'Last-Event-ID must be a cursor sent by this server', 'last-event-id');
      }
      const cursor = Number(header?.trim() || request.query.after || 0);
      if (live.full) {
        // Not an error of ours: logged as a refusal, not as a 500. The client falls back to
        // pulling on reconnect and visibility, and may try the stream again later.
        return reply
          .code(503)
          .header('retry-after', '30')
          .send({
            ...apiError(
              503,
              `Too many live connections (at most ${live.maxConnections}); ` +
                `pull ${CHANGES_PATH} instead, or retry in 30 seconds`,
            ),
          });
      }
      live.open(request, reply, cursor);
      return reply;
    },
  );
};
