/**
 * The server's timeouts bound how long a client may take to SEND a request, and nothing else:
 * a client that trickles its body or headers is cut off with a 408, a connection that sends
 * nothing is closed, while a normal replay (hundreds of POSTs on keep-alive connections), a slow
 * but reasonable request and an answer that streams for longer than any of the limits all go
 * through. Real sockets, real server, short limits so that the suite stays quick.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app.ts';
import { call, makeTempDir, removeDir, review } from './helpers.ts';
import { answerBody, reviewPost, trickle } from './slow-client.ts';

const REQUEST_TIMEOUT_MS = 3000;
const HEADERS_TIMEOUT_MS = 1500;
const KEEP_ALIVE_TIMEOUT_MS = 4000;
const TIMED_OUT = { error: 'Request Timeout', message: 'The request took too long to arrive' };
/** An answer to the test route below that streams for longer than any limit. */
const STREAM_TICKS = 10;
const STREAM_TICK_MS = 500;

describe('request timeouts', () => {
  let dir: string;
  let app: FastifyInstance;
  let url: string;
  let connections = 0;

  before(async () => {
    dir = makeTempDir('rr-timeouts-');
    app = await buildServer({
      dbFile: `${dir}/db.sqlite`,
      logLevel: 'silent',
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
    });
    // A long-lived answer, like the event stream another route will serve.
    app.get('/test/stream', (_request, reply) => {
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      let tick = 0;
      const timer = setInterval(() => {
        reply.raw.write(`tick ${++tick}\n`);
        if (tick === STREAM_TICKS) {
          clearInterval(timer);
          reply.raw.end();
        }
      }, STREAM_TICK_MS);
      reply.hijack();
    });
    app.server.on('connection', () => connections++);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await app.close();
    removeDir(dir);
  });

  const reviewCount = async () => (await call(url, '/reviews/')).body.length as number;

  it('cuts off a client that sends its POST body a byte a second: 408, connection closed, nothing written', async () => {
    const before_ = await reviewCount();
    const { request: bytes, head } = reviewPost(review({ comments: 'Sent one byte at a time, far too slowly.' }));
    const outcome = await trickle(url, { request: bytes, upfrontBytes: head, chunkBytes: 1, intervalMs: 1000 });
    assert.equal(outcome.status, 408, outcome.answer);
    assert.deepEqual(answerBody(outcome.answer), TIMED_OUT);
    assert.match(outcome.answer, /\r\nConnection: close\r\n/i);
    assert.ok(outcome.sentBytes < outcome.totalBytes, 'cut off before the body was complete');
    assert.ok(outcome.elapsedMs >= REQUEST_TIMEOUT_MS - 50, `not before the limit (${outcome.elapsedMs} ms)`);
    assert.equal(await reviewCount(), before_);
  });

  it('cuts off a client that sends its headers a byte a second', async () => {
    const { request: bytes } = reviewPost(review());
    const outcome = await trickle(url, { request: bytes, upfrontBytes: 10, chunkBytes: 1, intervalMs: 200 });
    assert.equal(outcome.status, 408, outcome.answer);
    assert.deepEqual(answerBody(outcome.answer), TIMED_OUT);
    assert.ok(outcome.sentBytes < bytes.indexOf('\r\n\r\n'), 'cut off before the headers were complete');
    assert.ok(outcome.elapsedMs >= HEADERS_TIMEOUT_MS - 50, `not before the limit (${outcome.elapsedMs} ms)`);
  });

  it('closes a connection that never sends a byte', async () => {
    const outcome = await trickle(url, { request: '', upfrontBytes: 0, chunkBytes: 0, intervalMs: 1000 });
    assert.equal(outcome.status, 408);
    assert.ok(outcome.elapsedMs >= HEADERS_TIMEOUT_MS - 50, `not before the limit (${outcome.elapsedMs} ms)`);
  });

  it('answers a slow but reasonable request: the body in five parts over about 1.5 s', async () => {
    const { request: bytes, head } = reviewPost(review({ comments: 'Typed on a slow link.' }), { Connection: 'close' });
    const chunkBytes = Math.ceil((Buffer.byteLength(bytes) - head) / 5);
    const outcome = await trickle(url, { request: bytes, upfrontBytes: head, chunkBytes, intervalMs: 300 });
    assert.equal(outcome.status, 201, outcome.answer);
    assert.equal((answerBody(outcome.answer) as { comments: string }).comments, 'Typed on a slow link.');
  });

  it('never limits how long an answer streams once the request has arrived', async () => {
    const started = performance.now();
    const text = await new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      request({ hostname, port, path: '/test/stream', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    const elapsed = performance.now() - started;
    assert.equal(text.trim().split('\n').length, STREAM_TICKS, text);
    // Past the limit and past Node's next look for requests over their deadline (every second).
    assert.ok(elapsed > REQUEST_TIMEOUT_MS + 1000, `streamed past the request timeout (${elapsed} ms)`);
  });

  it('keeps an idle keep-alive connection past the headers timeout, and closes it after the keep-alive timeout', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let answers = '';
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answers += chunk));
    socket.on('close', () => (closed = true));
    const get = 'GET /restaurants/1 HTTP/1.1\r\nHost: localhost\r\n\r\n';
    socket.write(get);
    await sleep(HEADERS_TIMEOUT_MS + 1000);
    assert.equal(closed, false, 'idle time between requests is not counted as sending a request');
    socket.write(get);
    await sleep(500);
    assert.equal(answers.match(/HTTP\/1\.1 200 OK/g)?.length, 2, answers.slice(0, 300));
    const idleSince = performance.now();
    while (!closed && performance.now() - idleSince < KEEP_ALIVE_TIMEOUT_MS + 5000) await sleep(100);
    assert.equal(closed, true, 'an idle connection is closed after the keep-alive timeout');
    assert.ok(performance.now() - idleSince >= KEEP_ALIVE_TIMEOUT_MS - 600, 'not before it');
    socket.destroy();
  });

  it('lets a normal replay through: 300 POSTs on 6 keep-alive connections, with a pause longer than the headers timeout', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    const before_ = await reviewCount();
    const connectionsBefore = connections;
    const { hostname, port } = new URL(url);
    const post = (i: number) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(review({ comments: `Replayed review ${i}`, client_id: crypto.randomUUID() }));
        const outgoing = request(
          { hostname, port, path: '/reviews/', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    try {
      const first = await Promise.all(Array.from({ length: 150 }, (_, i) => post(i)));
      // A device pauses (a slow page, a retry back-off) and goes on on the same connections.
      await sleep(HEADERS_TIMEOUT_MS + 500);
      const second = await Promise.all(Array.from({ length: 150 }, (_, i) => post(150 + i)));
      const opened = connections - connectionsBefore;
      assert.deepEqual([...new Set([...first, ...second])], [201]);
      assert.equal(opened, 6, 'no connection was cut and reopened');
      assert.equal(await reviewCount(), before_ + 300);
    } finally {
      agent.destroy();
    }
  });
});
