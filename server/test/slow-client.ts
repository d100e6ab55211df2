/**
 * A client on a raw socket that sends its request slowly, the way a slow-loris attack or a very
 * bad link does: some bytes at once, then a few bytes per tick. Not a test file itself.
 */
import { connect } from 'node:net';

export interface Trickle {
  /** The request's bytes as sent, head and body. */
  request: string;
  /** Sent at once when the connection opens (e.g. the head); the rest trickles. */
  upfrontBytes: number;
  /** Bytes sent per tick, and the time between ticks. */
  chunkBytes: number;
  intervalMs: number;
}

export interface TrickleOutcome {
  /** Everything the server wrote back, as text. */
  answer: string;
  /** The answer's status code, if any answer came. */
  status: number | undefined;
  /** How much of the request went out before the server closed the connection. */
  sentBytes: number;
  totalBytes: number;
  /** From the connection's opening to its closing. */
  elapsedMs: number;
}

/** Resolves when the server closes the connection (send `Connection: close` to end it after an answer). */
export function trickle(base: string, plan: Trickle): Promise<TrickleOutcome> {
  const { hostname, port } = new URL(base);
  const bytes = Buffer.from(plan.request, 'utf8');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const send = (count: number) => {
      if (sent >= bytes.length || !socket.writable) return;
      socket.write(bytes.subarray(sent, sent + count));
      sent = Math.min(bytes.length, sent + count);
    };
    socket.on('connect', () => {
      send(plan.upfrontBytes);
      timer = setInterval(() => {
        send(plan.chunkBytes);
        if (sent >= bytes.length) clearInterval(timer);
      }, plan.intervalMs);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may reset a connection it cut off while bytes were still arriving.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearInterval(timer);
      const answer = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve({
        answer,
        status: status === undefined ? undefined : Number(status),
        sentBytes: sent,
        totalBytes: bytes.length,
        elapsedMs: performance.now() - started,
      });
    });
  });
}

/** A complete POST /reviews/ with a JSON body; `head` is where the body starts. */
export function reviewPost(body: object, headers: Record<string, string> = {}): { request: string; head: number } {
  const json = JSON.stringify(body);
  const lines = [
    'POST /reviews/ HTTP/1.1',
    'Host: localhost',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(json)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  const head = `${lines.join('\r\n')}\r\n\r\n`;
  return { request: head + json, head: Buffer.byteLength(head) };
}

/** The JSON body of an HTTP/1.1 answer with a Content-Length. */
export function answerBody(answer: string): unknown {
  const start = answer.indexOf('\r\n\r\n');
  return JSON.parse(answer.slice(start + 4));
}
