/**
 * GET /changes/live: Server-Sent Events notices over real HTTP: a notice after each commit (and
 * never before it), heartbeats, resume from Last-Event-ID or ?after=, CORS with a preflighted
 * reconnect, no compression, not rate limited, a bounded number of streams that frees its slots,
 * and a prompt end on shutdown.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LIVE_EVENT, type LiveNotice, changeFeedPaths } from '../../src/shared/change-feed.ts';
import { LIVE_RETRY_MS } from '../live-notices.ts';
import { type TestServer, call, pull, rawRequest, review, startServer } from './helpers.ts';
import { type SseStream, openSse } from './sse-client.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(base: string) {
  const answer = await call(base, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID() }) });
  assert.equal(answer.status, 201, answer.text);
  return answer.body as { id: number; edit_token: string };
}

/** A stream that hears `heartbeats` heartbeats, then still gets the notice of a new write. */
async function staysOpen(server: TestServer, heartbeats: number): Promise<void> {
  const stream = await openSse(`${server.url}/changes/live`);
  try {
    assert.equal(stream.status, 200);
    for (let i = 0; i < heartbeats; i++) await stream.nextComment(5_000);
    const start = (await pull(server.url, 0)).cursor;
    await post(server.url);
    await stream.nextEvent((event) => Number(event.id) > start, 5_000, 0);
  } finally {
    stream.close();
  }
}

/** Opens a stream, retrying while the server has not yet noticed that earlier ones closed. */
async function openWhenFree(url: string): Promise<SseStream> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const stream = await openSse(url);
    if (stream.status !== 503 || Date.now() > deadline) return stream;
    await sleep(20);
  }
}

describe('live notices (GET /changes/live)', () => {
  let server: TestServer;
  const streams: SseStream[] = [];
  const open = async (path: string, headers?: Record<string, string>) => {
    const stream = await openSse(server.url + path, headers);
    streams.push(stream);
    return stream;
  };
  before(async () => {
    server = await startServer({ liveHeartbeatMs: 150 });
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await server.stop();
  });

  it('is an event stream with no caching, and tells a client with nothing the current cursor at once', async () => {
    const current = (await pull(server.url, 0)).cursor;
    const stream = await open('/changes/live');
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(stream.headers['cache-control'], 'no-store, no-transform');
    const notice = await stream.nextEvent(undefined, 5_000, 0);
    assert.equal(notice.event, LIVE_EVENT);
    assert.equal(notice.id, String(current));
    assert.deepEqual(JSON.parse(notice.data) as LiveNotice, { cursor: current });
    assert.equal(stream.retry, LIVE_RETRY_MS);
    stream.close();
  });

  it('sends nothing but heartbeats to a client that is up to date', async () => {
    const current = (await pull(server.url, 0)).cursor;
    const stream = await open(changeFeedPaths.live(current));
    await stream.nextComment(5_000);
    await stream.nextComment(5_000);
    assert.deepEqual(stream.comments.slice(0, 2), ['heartbeat', 'heartbeat']);
    assert.deepEqual(stream.events, []);
    stream.close();
  });

  it('sends a notice after each commit, and the write is visible when it arrives', async () => {
    const start = (await pull(server.url, 0)).cursor;
    const stream = await open(changeFeedPaths.live(start));
    let cursor = start;
    for (let round = 0; round < 5; round++) {
      const from = stream.events.length;
      const created = await post(server.url);
      const notice = await stream.nextEvent((event) => Number(event.id) > cursor, 5_000, from);
      // Pulled at the moment the notice arrived: a notice sent before its commit would find
      // nothing new here.
      const page = await pull(server.url, cursor);
      assert.ok(page.reviews.some((r) => r.id === created.id), `round ${round}: the write is in the pull`);
      assert.ok(page.cursor >= Number(notice.id));
      cursor = Number(notice.id);
    }
    const ids = stream.events.map((event) => Number(event.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'notice ids only grow');
    stream.close();
  });

  it('coalesces a burst of commits into few notices that end at the newest cursor', async () => {
    // One broadcast per second at most, so that the count does not depend on how fast this
    // machine happens to run the 40 writes.
    const coalescing = await startServer({ liveNoticeIntervalMs: 1_000 });
    try {
      const start = (await pull(coalescing.url, 0)).cursor;
      const stream = await openSse(coalescing.url + changeFeedPaths.live(start));
      const began = Date.now();
      await Promise.all(Array.from({ length: 40 }, () => post(coalescing.url)));
      const seconds = Math.ceil((Date.now() - began) / 1_000);
      const newest = (await pull(coalescing.url, start)).cursor;
      assert.equal(newest, start + 40);
      await stream.nextEvent((event) => Number(event.id) === newest, 5_000, 0);
      assert.ok(stream.events.length <= seconds + 2, `${stream.events.length} notices for 40 writes in ${seconds} s`);
      stream.close();
    } finally {
      await coalescing.stop();
    }
  });

  it('resumes from Last-Event-ID, which wins over ?after= (EventSource reconnects to the same URL)', async () => {
    const current = (await pull(server.url, 0)).cursor;
    // Up to date by the header, behind by the URL: no notice.
    const upToDate = await open(changeFeedPaths.live(0), { 'last-event-id': String(current) });
    await upToDate.nextComment(5_000);
    assert.deepEqual(upToDate.events, []);
    upToDate.close();
    // Behind by the header: a notice at once.
    const behind = await open(changeFeedPaths.live(current), { 'last-event-id': String(current - 3) });
    const notice = await behind.nextEvent(undefined, 5_000, 0);
    assert.equal(notice.id, String(current));
    behind.close();
    // ?after= alone (the first connect) behind: a notice at once.
    const byQuery = await open(changeFeedPaths.live(current - 1));
    assert.equal((await byQuery.nextEvent(undefined, 5_000, 0)).id, String(current));
    byQuery.close();
  });

  it('sends a notice to a cursor it never handed out, so that the pull answers resync', async () => {
    const current = (await pull(server.url, 0)).cursor;
    const stream = await open(changeFeedPaths.live(current + 100));
    assert.equal((await stream.nextEvent(undefined, 5_000, 0)).id, String(current));
    assert.equal((await pull(server.url, current + 100)).resync, true);
    stream.close();
  });

  it('refuses a bad cursor with 400 naming where it came from', async () => {
    const badQuery = await open('/changes/live?after=-2');
    assert.equal(badQuery.status, 400);
    assert.equal(JSON.parse(badQuery.body).field, 'after');
    const badHeader = await open('/changes/live', { 'last-event-id': 'yesterday' });
    assert.equal(badHeader.status, 400);
    assert.deepEqual(JSON.parse(badHeader.body), {
      error: 'Bad Request',
      message: 'Last-Event-ID must be a cursor sent by this server',
      field: 'last-event-id',
    });
  });

  it('works from another origin: CORS on the stream, and a preflight that allows Last-Event-ID', async () => {
    const stream = await open('/changes/live', { origin: 'http://app.example' });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['access-control-allow-origin'], 'http://app.example');
    assert.equal(stream.headers['cross-origin-resource-policy'], 'cross-origin');
    stream.close();
    const preflight = await rawRequest(
      server.url,
      '/changes/live?after=5',
      {
        origin: 'http://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'last-event-id',
      },
      'OPTIONS',
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://app.example');
    assert.match(String(preflight.headers['access-control-allow-headers']), /(^|,\s*)last-event-id(,|$)/);
    // The classic routes' preflight is exactly as before.
    const classic = await rawRequest(server.url, '/reviews/', { origin: 'http://app.example', 'access-control-request-method': 'POST' }, 'OPTIONS');
    assert.equal(classic.headers['access-control-allow-headers'], 'content-type');
  });

  it('is never compressed, even when the client accepts it', async () => {
    const stream = await open('/changes/live', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-encoding'], undefined);
    await stream.nextEvent(undefined, 5_000, 0);
    stream.close();
  });

  it('has no HEAD route that would open a stream', async () => {
    const head = await rawRequest(server.url, '/changes/live', {}, 'HEAD');
    assert.equal(head.status, 404);
  });
});

describe('live notices: limits, rate limit and shutdown', () => {
  it('is not counted by the write rate limit', async () => {
    const server = await startServer({ rateLimitMax: 2 });
    const streams: SseStream[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const stream = await openSse(`${server.url}/changes/live`);
        streams.push(stream);
        assert.equal(stream.status, 200, `stream ${i}`);
      }
      assert.equal((await call(server.url, '/restaurants/1/?is_favorite=true', { method: 'PUT' })).status, 200);
      assert.equal((await call(server.url, '/restaurants/1/?is_favorite=false', { method: 'PUT' })).status, 200);
      assert.equal((await call(server.url, '/restaurants/1/?is_favorite=true', { method: 'PUT' })).status, 429);
    } finally {
      for (const stream of streams) stream.close();
      await server.stop();
    }
  });

  it('holds at most LIVE_MAX_CONNECTIONS streams, refuses more clearly, and frees slots on disconnect', async () => {
    const server = await startServer({ liveMaxConnections: 2 });
    try {
      const url = `${server.url}/changes/live`;
      for (let cycle = 0; cycle < 15; cycle++) {
        const a = await openWhenFree(url);
        const b = await openWhenFree(url);
        assert.equal(a.status, 200, `cycle ${cycle}`);
        assert.equal(b.status, 200, `cycle ${cycle}`);
        a.close();
        b.close();
      }
      const a = await openWhenFree(url);
      const b = await openWhenFree(url);
      const refused = await openSse(url);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '30');
      assert.deepEqual(JSON.parse(refused.body), {
        error: 'Service Unavailable',
        message: 'Too many live connections (at most 2); pull /changes instead, or retry in 30 seconds',
      });
      // The streams still held work: a write reaches both.
      const start = (await pull(server.url, 0)).cursor;
      await post(server.url);
      for (const stream of [a, b]) await stream.nextEvent((event) => Number(event.id) > start, 5_000, 0);
      a.close();
      b.close();
    } finally {
      await server.stop();
    }
  });

  it('outlives the socket idle timeout that ends quiet connections', async () => {
    const server = await startServer({ liveHeartbeatMs: 400 });
    try {
      // Fastify's connectionTimeout is this socket timeout: a connection quiet for 150 ms is
      // cut. A stream is quiet between heartbeats and must not be.
      server.app.server.timeout = 150;
      const quiet = await rawRequest(server.url, '/restaurants/1').catch((error: Error) => error);
      assert.ok(!(quiet instanceof Error), 'ordinary requests still work');
      await staysOpen(server, 2);
    } finally {
      await server.stop();
    }
  });

  it('outlives the request and headers timeouts: they bound how long a request takes to arrive', async () => {
    const server = await startServer({ liveHeartbeatMs: 500, requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 });
    try {
      // Six heartbeats of 500 ms: well past both deadlines (Node checks them once a second).
      await staysOpen(server, 6);
    } finally {
      await server.stop();
    }
  });

  it('ends every stream when the server closes, and closing does not wait for them', async () => {
    const server = await startServer();
    const streams = await Promise.all([1, 2, 3].map(() => openSse(`${server.url}/changes/live`)));
    for (const stream of streams) assert.equal(stream.status, 200);
    // Fastify's close waits for answers in flight; a stream never ends by itself, so this would
    // hang (and the test time out) if the streams were not ended.
    await server.stop();
    await Promise.all(streams.map((stream) => stream.ended));
  });
});
