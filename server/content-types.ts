/**
 * Request body parsers. Besides JSON, the classic API accepts:
 * - `text/plain` holding JSON: that is what `fetch(url, { body: JSON.stringify(x) })` sends when
 *   the caller sets no content type, and the original server parsed it as JSON;
 * - `application/x-www-form-urlencoded`: a plain HTML form, whose values are all strings (the
 *   schemas accept numeric strings for ids and ratings for that reason).
 * Any other content type is refused with 415 by Fastify.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser, with its protection against __proto__ / constructor poisoning.
  const parseJson = app.getDefaultJsonParser('error', 'error');

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string' },
    (request, body, done) => {
      const text = String(body);
      // `fetch(url, { method: 'PUT', body: '' })` still sends a content type. An empty body
      // means "no body" (then the schema says what was missing), not "invalid JSON".
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, text, done);
    },
  );

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      // fromEntries defines own properties, so a "__proto__" key cannot reach the prototype.
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
}

/**
 * For routes whose body is optional (PUT /restaurants/{id}, PUT and DELETE /reviews/{id}): a
 * request without a body is validated as an empty object. Fastify would otherwise validate
 * `undefined` against the body schema and refuse what the classic client sends.
 */
export async function absentBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
