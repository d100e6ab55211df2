/**
 * One error shape everywhere, `{ error, message, field? }` (ApiError in src/shared/api.ts),
 * whatever produced the error: a route, schema validation, a body parser, the rate limiter, the
 * router, or a bug. Only 4xx messages describe the cause; a 5xx never reveals internals.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../src/shared/api.ts';
import { FIELD_RULES } from './schemas.ts';

/** An error a route throws on purpose; its message is meant for the client. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function apiError(statusCode: number, message: string, field?: string): ApiError {
  const body: ApiError = { error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (field !== undefined) body.field = field;
  return body;
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Fastify's messages for its own client errors, reworded for people calling the API. */
function describeFrameworkError(error: FastifyError, bodyLimit: number): string | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `Request body is larger than ${bodyLimit} bytes`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send JSON (application/json or text/plain) or a form';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Request body size does not match its Content-Length header';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty: send a JSON object';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_BAD_URL':
      return 'The URL is malformed (bad percent-encoding?)';
    default:
      // The JSON parser's SyntaxError (also raised for __proto__ poisoning) says where it failed.
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return `Request body is not valid JSON: ${error.message}`;
      }
      return undefined;
  }
}

/** The message and field of a schema validation failure (also used per item of a batch). */
export function describeValidation(
  issues: readonly ValidationIssue[],
  context: string | undefined,
): { message: string; field?: string } {
  const issue = issues[0];
  if (!issue) return { message: 'The request is invalid' };
  if (issue.keyword === 'required' && typeof issue.params['missingProperty'] === 'string') {
    const field = issue.params['missingProperty'];
    return { field, message: `${field} is required` };
  }
  // Our schemas are flat, so the first path segment is the field ("/rating" → "rating").
  const field = issue.instancePath.split('/')[1];
  if (!field) {
    return {
      message:
        context === 'body'
          ? 'Request body must be a JSON object'
          : `The ${context ?? 'request'} is invalid`,
    };
  }
  return { field, message: FIELD_RULES[field] ?? `${field} is invalid` };
}

/** Maps any error to a status and an ApiError body; unknown errors become a bare 500. */
export function toApiError(
  error: FastifyError,
  bodyLimit: number,
): { statusCode: number; body: ApiError } {
  if (error instanceof HttpError) {
    const body = apiError(error.statusCode, error.message, error.field);
    return { statusCode: error.statusCode, body };
  }
  if (error.validation) {
    const { message, field } = describeValidation(error.validation, error.validationContext);
    return { statusCode: 400, body: apiError(400, message, field) };
  }
  const statusCode = error.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    const message = describeFrameworkError(error, bodyLimit) ?? error.message;
    return { statusCode, body: apiError(statusCode, message) };
  }
  return {
    statusCode: 500,
    body: apiError(500, 'Something went wrong on the server; the request may be retried'),
  };
}

export function createErrorHandler(bodyLimit: number) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const { statusCode, body } = toApiError(error, bodyLimit);
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.debug({ statusCode, reason: body.message }, 'request refused');
    }
    // Headers set before the error (CORS, Retry-After, rate-limit counters) are kept.
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  };
}

/**
 * Requests that Node's HTTP parser refuses before Fastify sees them: a request line and headers
 * over 16 KiB (a very long URL), an unknown method, Content-Length together with
 * Transfer-Encoding, a body that does not match its framing. Fastify's default answer to these
 * adds a `statusCode` field; this one keeps the error shape. The socket cannot be reused (the
 * parser lost track of where the next request starts), so it is closed after the answer.
 * The same goes for a request that takes longer to arrive than the timeouts allow (app.ts).
 * Fastify calls this with the server instance as `this`.
 */
export function answerClientError(
  this: FastifyInstance,
  // Fastify types rawPacket as a JSON-serialized Buffer; Node passes the Buffer itself.
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The URL and headers are larger than the server accepts (16 KiB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive']
        : [400, 'The request is not valid HTTP/1.1'];
  // The one line a request cut off gets: it never reaches the request log, which logs answers.
  if (statusCode === 408) this.log.info({ statusCode }, 'request cut off: the client took too long to send it');
  const body = JSON.stringify(apiError(statusCode, message));
  // An answer to HEAD has no body: a client would read one as the start of the next answer.
  const packet = error.rawPacket;
  const head = Buffer.isBuffer(packet) && packet.subarray(0, 5).toString('latin1') === 'HEAD ';
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        (head ? '' : body),
    );
  }
  socket.destroy(error);
}
