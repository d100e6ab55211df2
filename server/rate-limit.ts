/**
 * Rate limiting of writes (POST, PUT, DELETE), per client address. Reads are never limited.
 *
 * The product rule: protection must never block a legitimate replay. A device that comes back
 * online may drain hundreds of queued writes at once, so
 * - the default allowance is generous (RATE_LIMIT_MAX = 2000 writes per minute), and
 * - a POST whose client_id is already stored is not counted at all (`allowList` below). It
 *   creates nothing and costs one indexed read, the same as a GET, which is never limited
 *   either; refusing it could only make a client that lost its first answer retry for longer.
 *
 * Counted per server, in this process's memory: with several servers on PostgreSQL behind a load
 * balancer, a client may send up to (servers × max) writes per window. The limit guards against
 * a runaway client and must never refuse a legitimate replay, so a looser bound costs nothing that
 * matters, while counting across servers would cost a database round trip per write.
 *
 * The limiter runs as a `preValidation` hook of the write routes, i.e. after the body has been
 * parsed (it needs client_id) but before it is validated. A body that fails to parse or is too
 * large is refused before it reaches the limiter, and costs no write either.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { HttpError } from './errors.ts';

export interface WriteLimitOptions {
  max: number;
  windowMs: number;
  /** True when the request repeats a write the server already holds. */
  isReplay: (request: FastifyRequest) => Promise<boolean>;
}

/** Registers the limiter and returns the hook that write routes put in `preValidation`. */
export async function registerWriteLimit(
  app: FastifyInstance,
  options: WriteLimitOptions,
): Promise<preValidationAsyncHookHandler> {
  await app.register(rateLimit, {
    // Not global: only the routes that install the returned hook are limited, and they all
    // share one counter per client (a per-route counter would multiply the allowance).
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    allowList: (request) => options.isReplay(request),
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        `Too many changes from this client: at most ${context.max} per ` +
          `${formatWindow(options.windowMs)}. Retry in ${context.after}.`,
      ),
  });
  return app.rateLimit() as preValidationAsyncHookHandler;
}

function formatWindow(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  if (ms % 1_000 === 0) return ms === 1_000 ? 'second' : `${ms / 1_000} seconds`;
  return `${ms} ms`;
}
