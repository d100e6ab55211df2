import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { type TestServer, call, review, startServer } from './helpers.ts';

describe('rate limiting of writes', () => {
  let running: TestServer | undefined;
  afterEach(() => running?.stop());
  async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
    running = await startServer(options);
    return running;
  }

  it('answers 429 with Retry-After and the error shape once a client used up its writes', async () => {
    const server = await serve({ rateLimitMax: 3, rateLimitWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const ok = await call(server.url, '/reviews/', { method: 'POST', json: review() });
      assert.equal(ok.status, 201);
      assert.equal(ok.headers.get('x-ratelimit-remaining'), String(2 - i));
    }
    const refused = await call(server.url, '/reviews/', {
      method: 'POST',
      json: review(),
      headers: { origin: 'http://app.example' },
    });
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.body.error, 'Too Many Requests');
    assert.match(refused.body.message, /at most 3 per minute/);
    // The browser can read the refusal: CORS headers survive the error.
    assert.equal(refused.headers.get('access-control-allow-origin'), 'http://app.example');

    // Every kind of write shares the one allowance; nothing was written.
    const put = await call(server.url, '/restaurants/1?is_favorite=true', { method: 'PUT' });
    assert.equal(put.status, 429);
    const del = await call(server.url, '/reviews/31?edit_token=x', { method: 'DELETE' });
    assert.equal(del.status, 429);
    assert.equal((await call(server.url, '/restaurants/1')).body.is_favorite, 'false');
    assert.equal((await call(server.url, '/reviews/')).body.length, 33);
  });

  it('never limits reads', async () => {
    const server = await serve({ rateLimitMax: 1 });
    await call(server.url, '/reviews/', { method: 'POST', json: review() });
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 429);
    for (let i = 0; i < 20; i++) {
      assert.equal((await call(server.url, '/restaurants')).status, 200);
    }
    const get = await call(server.url, '/reviews/');
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('x-ratelimit-limit'), null);
  });

  it('never refuses, nor counts, the replay of a review the server already holds', async () => {
    const server = await serve({ rateLimitMax: 3 });
    const clientId = randomUUID();
    const first = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
    assert.equal(first.status, 201);

    // A device draining its outbox may send the same review many times.
    for (let i = 0; i < 10; i++) {
      const replay = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
      assert.equal(replay.status, 200);
      assert.equal(replay.body.id, first.body.id);
    }
    // The replays did not use up the allowance: two more new writes still fit.
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 201);
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 201);
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 429);

    // Even a client that is being limited still gets its replay answered…
    const replay = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
    assert.equal(replay.status, 200);
    // …but a new client_id is a new write, and is refused.
    const fresh = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID() }) });
    assert.equal(fresh.status, 429);
  });

  it('lets writes through again once the window has passed', async () => {
    const server = await serve({ rateLimitMax: 1, rateLimitWindowMs: 300 });
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 201);
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 429);
    await sleep(350);
    assert.equal((await call(server.url, '/reviews/', { method: 'POST', json: review() })).status, 201);
  });

  it('allows 2000 writes per minute by default', async () => {
    const server = await serve();
    const answer = await call(server.url, '/restaurants/1?is_favorite=true', { method: 'PUT' });
    assert.equal(answer.headers.get('x-ratelimit-limit'), '2000');
  });
});
