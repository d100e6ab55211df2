/**
 * A small Server-Sent Events reader over node:http for the live-notice tests: it parses the
 * stream as the EventSource algorithm does (fields, comments, blank-line dispatch) and lets a
 * test wait for the next event or comment. Raw http rather than fetch, so that a test controls
 * every header (Last-Event-ID, Origin, Accept-Encoding) and sees the bytes uncompressed.
 */
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of a refused request (not a stream). */
  body: string;
  events: SseEvent[];
  comments: string[];
  retry?: number;
  /** Resolves with the first event (from index `from`) matching `predicate`. */
  nextEvent(predicate?: (event: SseEvent) => boolean, timeoutMs?: number, from?: number): Promise<SseEvent>;
  nextComment(timeoutMs?: number): Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      const wake = () => {
        for (const waiter of [...waiters]) waiter();
      };
      let body = '';
      let buffer = '';
      let pending: { id?: string; event?: string; data: string[] } = { data: [] };
      let endedResolve: () => void = () => {};
      const ended = new Promise<void>((done) => (endedResolve = done));
      res.setEncoding('utf8');
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        get body() {
          return body;
        },
        events,
        comments,
        nextEvent(predicate = () => true, timeoutMs = 5_000, from = events.length) {
          return waitFor(() => events.slice(from).find(predicate), timeoutMs, 'an event');
        },
        nextComment(timeoutMs = 5_000) {
          const from = comments.length;
          return waitFor(() => comments[from], timeoutMs, 'a comment');
        },
        ended,
        close() {
          req.destroy();
        },
      };
      function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
        return new Promise((done, fail) => {
          const check = () => {
            const found = find();
            if (found === undefined) return;
            cleanup();
            done(found);
          };
          const timer = setTimeout(() => {
            cleanup();
            fail(new Error(`no ${what} within ${timeoutMs} ms (events: ${JSON.stringify(events)})`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      }
      const isStream = (res.headers['content-type'] ?? '').startsWith('text/event-stream');
      res.on('data', (chunk: string) => {
        if (!isStream) {
          body += chunk;
          return;
        }
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (pending.data.length > 0) {
              events.push({ id: pending.id, event: pending.event ?? 'message', data: pending.data.join('\n') });
            }
            pending = { data: [] };
            continue;
          }
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') pending.data.push(value);
          else if (field === 'id') pending.id = value;
          else if (field === 'event') pending.event = value;
          else if (field === 'retry') stream.retry = Number(value);
        }
        wake();
      });
      res.on('end', () => {
        endedResolve();
        wake();
      });
      res.on('close', () => endedResolve());
      res.on('error', () => endedResolve());
      if (isStream) resolve(stream);
      else res.on('end', () => resolve(stream));
    });
    req.on('error', reject);
    req.end();
  });
}
