/**
 * Request body parsers. Besides JSON, the classic API accepts:
 * - `text/plain` holding JSON: that is what `fetch(url, { body: JSON.stringify(x) })` sends when
 *   the caller sets no content type, and the original server parsed it as JSON;
 * - `application/x-www-form-urlencoded`: a plain HTML form, whose values are all strings (the
 *   schemas accept numeric strings for ids and ratings for that reason).
 * Any other content type is refused with 415 by Fastify.
 *
 * Bodies must be UTF-8 (JSON requires it, and forms are sent in the page's encoding, UTF-8).
 * Bytes that are not are refused with 400: decoded as they come, they would turn into U+FFFD
 * and the server would store, and acknowledge, text the client never sent.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

const NOT_UTF8_MESSAGE = 'Request body is not valid UTF-8';

export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser, with its protection against __proto__ / constructor poisoning.
  const parseJson = app.getDefaultJsonParser('error', 'error');

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'buffer' },
    (request, body, done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) {
        done(new HttpError(400, NOT_UTF8_MESSAGE), undefined);
        return;
      }
      const text = bytes.toString('utf8');
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
    { parseAs: 'buffer' },
    (_request, body, done) => {
      const bytes = body as Buffer;
      // URLSearchParams decodes %XX escapes that are not UTF-8 (name=%FF) into U+FFFD: check first.
      if (!isUtf8(percentDecoded(bytes))) {
        done(new HttpError(400, NOT_UTF8_MESSAGE), undefined);
        return;
      }
      // fromEntries defines own properties, so a "__proto__" key cannot reach the prototype.
      done(null, Object.fromEntries(new URLSearchParams(bytes.toString('utf8'))));
    },
  );
}

/**
 * The bytes a form body stands for, its %XX escapes decoded the way URLSearchParams decodes them
 * (a `%` not followed by two hex digits stays as it is). Decoding the whole body at once is
 * enough: the separators `&`, `=` and `+` are ASCII and never part of a multi-byte character.
 */
export function percentDecoded(raw: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    const high = byte === 0x25 ? hexValue(raw[i + 1]) : undefined;
    const low = high === undefined ? undefined : hexValue(raw[i + 2]);
    if (high !== undefined && low !== undefined) {
      bytes[length++] = high * 16 + low;
      i += 2;
    } else {
      bytes[length++] = byte;
    }
  }
  return bytes.subarray(0, length);
}

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : undefined;
}

/**
 * For routes whose body is optional (PUT /restaurants/{id}, PUT and DELETE /reviews/{id}): a
 * request without a body is validated as an empty object. Fastify would otherwise validate
 * `undefined` against the body schema and refuse what the classic client sends.
 */
export async function absentBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
