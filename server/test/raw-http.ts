/**
 * One HTTP request with exact control over the bytes, for hostile-input tests. fetch cannot send
 * invalid UTF-8, a lying content type, `..` in a path or a body on GET; node:http can.
 *
 * Each request gets its own connection (`agent: false`): the server closes the socket after a
 * protocol error, and a shared keep-alive socket would turn that into a failure of the *next*
 * request. The body's Content-Length is always set: without it node:http sends a DELETE body
 * unframed, and the server reads the stray bytes as a second, broken request.
 */
import { type IncomingHttpHeaders, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encoding, `..` and Latin-1 bytes included. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function sendRaw(base: string, req: RawRequest, timeoutMs = 5_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string | number> = { ...req.headers };
  if (req.body !== undefined && !hasHeader(headers, 'content-length')) {
    headers['content-length'] = req.body.length;
  }
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname, port, path: req.path, method: req.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    // A server that never answers is a failure of its own kind, not a slow test.
    outgoing.setTimeout(timeoutMs, () => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms: ${req.method} ${req.path.slice(0, 120)}`));
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Why an answer is not `{ error, message, field? }` as JSON, or undefined when it is. */
export function errorShapeProblem(answer: RawAnswer): string | undefined {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) return `content-type is "${type}"`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `body is not JSON: ${answer.text.slice(0, 200)}`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not an object';
  const fields = body as Record<string, unknown>;
  const extra = Object.keys(fields).filter((key) => !['error', 'message', 'field'].includes(key));
  if (extra.length > 0) return `unexpected fields ${extra.join(', ')}: ${answer.text.slice(0, 200)}`;
  if (typeof fields['error'] !== 'string' || fields['error'] === '') return 'error is not a string';
  if (typeof fields['message'] !== 'string' || fields['message'] === '') return 'message is not a string';
  if ('field' in fields && typeof fields['field'] !== 'string') return 'field is not a string';
  return undefined;
}
