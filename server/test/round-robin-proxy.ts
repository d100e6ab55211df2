/**
 * A small HTTP load balancer for the multi-server tests: each request goes to the next server in
 * turn. Like nginx's defaults (`proxy_next_upstream error`), a request that could not even be
 * delivered (connection refused: the server is gone) is passed to the next server, while one that
 * was cut off after it reached a server is answered 502: the server may have acted on it, so only
 * the client may send it again (and client_id makes that safe).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Requests delivered to each target so far, in target order. */
  counts: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  const counts = targets.map(() => 0);
  let next = 0;

  function forward(incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, tries: number): void {
    const index = next++ % targets.length;
    const target = new URL(targets[index]!);
    const forwarded = request(
      { hostname: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on('error', () => outgoing.destroy());
      },
    );
    forwarded.on('socket', () => (counts[index]! += 1));
    forwarded.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && tries < targets.length) return forward(incoming, outgoing, body, tries + 1);
      if (outgoing.headersSent) return outgoing.destroy();
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ error: 'Bad Gateway', message: `server ${index} did not answer` }));
    });
    forwarded.end(body);
  }

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, outgoing, Buffer.concat(chunks), 1));
  });
  // nginx's default keepalive_timeout. Node's own 5 s would close a browser's idle keep-alive
  // connection just as the browser reuses it for the next write: a POST lost that way is a
  // network error to the browser, which does not resend a POST by itself.
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
