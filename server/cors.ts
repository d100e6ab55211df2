/**
 * CORS exactly as the classic stage-3 server answered it, so that clients written for it (which
 * may be served from any origin) keep working: the request's Origin is echoed, and preflights
 * allow the six methods and the `content-type` header only. Clients therefore cannot rely on
 * custom request headers, which is why edit tokens travel in the body or the query string.
 *
 * Written by hand rather than with @fastify/cors: it is a dozen lines and not a dependency.
 */
import type { FastifyInstance } from 'fastify';
import { DELTA_HEADER } from '../src/shared/api.ts';
import { FAVORITE_WISH_HEADER, LIVE_PATH } from '../src/shared/change-feed.ts';

export const CORS_ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS, HEAD';
export const CORS_ALLOWED_HEADERS = 'content-type';
export const CORS_EXPOSED_HEADERS = `retry-after, ${DELTA_HEADER}, ${FAVORITE_WISH_HEADER}`;
/**
 * EventSource sends Last-Event-ID when it reconnects. Chromium sends it without a preflight
 * (e2e/change-feed.spec.ts), but the header is not on Fetch's CORS-safelisted list, so a browser
 * may preflight it; the live route allows it. Only there, so the classic preflight answers stay
 * exactly as they were.
 */
export const CORS_LIVE_ALLOWED_HEADERS = `${CORS_ALLOWED_HEADERS}, last-event-id`;

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      // Not CORS-safelisted: without this, a client on another origin could not read them.
      reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
    }
    // Always, not only when Origin is present: a shared cache must not hand the answer for one
    // origin (or for none) to another.
    reply.header('vary', 'Origin');
    done();
  });

  // One route answers every preflight; without it Fastify would 404 them.
  app.options('*', (request, reply) => {
    const path = request.url.split('?', 1)[0]?.replace(/\/+$/, '');
    reply
      .code(204)
      .header('access-control-allow-methods', CORS_ALLOWED_METHODS)
      .header(
        'access-control-allow-headers',
        path === LIVE_PATH ? CORS_LIVE_ALLOWED_HEADERS : CORS_ALLOWED_HEADERS,
      )
      .header('access-control-max-age', '600')
      .send();
  });
}
