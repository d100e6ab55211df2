/**
 * GET /changes: the change feed over real HTTP on a real database (either backend: see
 * helpers.ts): shapes, paging, tombstones, writes that take no number, validation, resync (pruned
 * tombstones, a cursor from another database). The SQLite upgrade in place is in
 * change-feed-sqlite.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CHANGE_PAGE_LIMITS } from '../../src/shared/change-feed.ts';
import { type TestServer, call, pull, pullAll, review, startServer, suiteTempDir } from './helpers.ts';

const ids = (list: { id: number }[]) => list.map((item) => item.id);

async function post(base: string, overrides: Record<string, unknown> = {}) {
  const answer = await call(base, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID(), ...overrides }) });
  assert.equal(answer.status, 201, answer.text);
  return answer.body as { id: number; edit_token: string; updatedAt: string };
}

describe('change feed (GET /changes)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('from 0, gives every record in the classic shapes, then the cursor of the newest change', async () => {
    const page = await pull(server.url, 0);
    assert.equal(page.more, false);
    assert.equal(page.resync, undefined);
    assert.deepEqual(ids(page.restaurants), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(page.reviews.length, 30);
    assert.deepEqual(page.deletedReviews, []);
    // 10 restaurants + 30 reviews were numbered 1..40 when the database was seeded.
    assert.equal(page.cursor, 40);
    // The same records, byte for byte, as the classic routes print them.
    assert.deepEqual(page.restaurants, (await call(server.url, '/restaurants')).body);
    assert.deepEqual(
      [...page.reviews].sort((a, b) => a.id - b.id),
      (await call(server.url, '/reviews/')).body,
    );
  });

  it('answers with no-store, CORS for any origin, and JSON', async () => {
    const answer = await call(server.url, '/changes?after=0&limit=1', { headers: { origin: 'http://app.example' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('access-control-allow-origin'), 'http://app.example');
    // An API route like the classic ones: readable cross-origin, JSON even to a navigation.
    assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    const navigation = await call(server.url, '/changes/nothing-here', { headers: { accept: 'text/html' } });
    assert.equal(navigation.status, 404);
    assert.match(navigation.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('pages by limit in change order, each record once, and `more` says when to go on', async () => {
    const pages = await pullAll(server.url, 0, 7);
    assert.ok(pages.length >= 6);
    for (const page of pages.slice(0, -1)) {
      assert.equal(page.more, true);
      assert.equal(page.restaurants.length + page.reviews.length + page.deletedReviews.length, 7);
    }
    const cursors = pages.map((page) => page.cursor);
    assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b), 'cursors only grow');
    assert.equal(new Set(cursors).size, cursors.length);
    const reviews = pages.flatMap((page) => ids(page.reviews));
    assert.equal(new Set(reviews).size, reviews.length, 'no review twice');
    const whole = await pull(server.url, 0);
    assert.deepEqual(reviews.sort((a, b) => a - b), ids(whole.reviews).sort((a, b) => a - b));
    assert.equal(pages.at(-1)?.cursor, whole.cursor);
  });

  it('gives what changed after the cursor, each record once in its latest state', async () => {
    const start = (await pull(server.url, 0)).cursor;
    const created = await post(server.url, { restaurant_id: 4, comments: 'First words' });
    await call(server.url, `/reviews/${created.id}`, { method: 'PUT', json: { comments: 'Second words', edit_token: created.edit_token } });
    const edited = await call(server.url, `/reviews/${created.id}`, {
      method: 'PUT',
      json: { rating: 1, edit_token: created.edit_token },
    });
    const favorite = await call(server.url, '/restaurants/4/?is_favorite=true', { method: 'PUT' });

    const page = await pull(server.url, start);
    assert.equal(page.more, false);
    assert.deepEqual(page.reviews, [edited.body]);
    assert.deepEqual(page.restaurants, [favorite.body]);
    assert.equal(page.cursor, start + 4, 'four writes, four numbers');

    const nothing = await pull(server.url, page.cursor);
    assert.deepEqual(nothing, { cursor: page.cursor, restaurants: [], reviews: [], deletedReviews: [], more: false });
  });

  it('gives deleted reviews as tombstones, also when created and deleted between two pulls', async () => {
    const kept = await post(server.url);
    const start = (await pull(server.url, 0)).cursor;
    const shortLived = await post(server.url);
    for (const victim of [kept, shortLived]) {
      const answer = await call(server.url, `/reviews/${victim.id}?edit_token=${victim.edit_token}`, { method: 'DELETE' });
      assert.equal(answer.status, 200);
    }
    const page = await pull(server.url, start);
    assert.deepEqual(page.reviews, [], 'a deleted review is never sent as a record');
    assert.deepEqual(page.deletedReviews, [kept.id, shortLived.id]);
    // A client starting from nothing learns of retained tombstones too; they are harmless.
    const fromZero = await pull(server.url, 0);
    assert.ok(fromZero.deletedReviews.includes(kept.id));
    assert.ok(!ids(fromZero.reviews).includes(kept.id));
  });

  it('takes no number for writes that write nothing', async () => {
    const created = await post(server.url);
    const cursor = (await pull(server.url, 0)).cursor;
    const refused = [
      await call(server.url, `/reviews/${created.id}`, { method: 'PUT', json: { edit_token: created.edit_token } }),
      await call(server.url, `/reviews/${created.id}`, { method: 'PUT', json: { rating: 2, edit_token: 'wrong' } }),
      await call(server.url, `/reviews/${created.id}?edit_token=wrong`, { method: 'DELETE' }),
      await call(server.url, '/reviews/999999?edit_token=x', { method: 'DELETE' }),
      await call(server.url, '/restaurants/999/?is_favorite=true', { method: 'PUT' }),
      await call(server.url, '/restaurants/999/?is_favorite=true&wished_at=1', { method: 'PUT' }),
      await call(server.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: 999 }) }),
      await call(server.url, '/reviews/', { method: 'POST', json: review({ rating: 9 }) }),
    ];
    assert.deepEqual(refused.map((answer) => answer.status), [200, 403, 403, 404, 404, 404, 400, 400]);
    assert.equal((await pull(server.url, 0)).cursor, cursor);
    assert.deepEqual((await pull(server.url, cursor)).reviews, []);
  });

  it('refuses bad parameters with 400 naming the parameter', async () => {
    const cases: [string, string, RegExp][] = [
      ['/changes', 'after', /after is required/],
      ['/changes?after=', 'after', /after must be the cursor of your last pull/],
      ['/changes?after=-1', 'after', /after must be/],
      ['/changes?after=abc', 'after', /after must be/],
      ['/changes?after=1.5', 'after', /after must be/],
      ['/changes?after=01', 'after', /after must be/],
      ['/changes?after=1234567890123456', 'after', /after must be/],
      ['/changes?after=0&limit=0', 'limit', /limit must be an integer from 1 to 1000/],
      [`/changes?after=0&limit=${CHANGE_PAGE_LIMITS.max + 1}`, 'limit', /limit must be an integer from 1 to 1000/],
      ['/changes?after=0&limit=ten', 'limit', /limit must be/],
    ];
    for (const [path, field, message] of cases) {
      const { status, body } = await call(server.url, path);
      assert.equal(status, 400, path);
      assert.equal(body.field, field, path);
      assert.match(body.message, message, path);
    }
    // Parameters it does not know are ignored, like everywhere else (ngsw-bypass, a cache buster).
    assert.equal((await call(server.url, '/changes?after=0&limit=1&ngsw-bypass=1')).status, 200);
  });

  it('answers a cursor the server never handed out with resync', async () => {
    const current = (await pull(server.url, 0)).cursor;
    const page = await pull(server.url, current + 1);
    assert.deepEqual(page, { cursor: 0, restaurants: [], reviews: [], deletedReviews: [], more: true, resync: true });
  });
});

describe('change feed retention', () => {
  const fileIn = suiteTempDir('rr-feed-');

  it('answers resync to a cursor older than a pruned tombstone, and serves newer cursors as before', async () => {
    const dbFile = fileIn('retention.sqlite');
    const first = await startServer({ dbFile });
    const victim = await post(first.url);
    const beforeDelete = (await pull(first.url, 0)).cursor;
    await call(first.url, `/reviews/${victim.id}?edit_token=${victim.edit_token}`, { method: 'DELETE' });
    const afterDelete = (await pull(first.url, beforeDelete)).cursor;
    assert.deepEqual((await pull(first.url, beforeDelete)).deletedReviews, [victim.id]);
    await first.stop();

    // A restart with a retention of 0 prunes the tombstone at once (as 30 days would, later).
    const second = await startServer({ dbFile, tombstoneRetentionMs: 0 });
    try {
      const stale = await pull(second.url, beforeDelete);
      assert.equal(stale.resync, true);
      assert.equal(stale.cursor, 0);
      assert.equal(stale.more, true);
      // The cursor after the deletion lost nothing: it is served as usual.
      const fresh = await pull(second.url, afterDelete);
      assert.equal(fresh.resync, undefined);
      assert.equal(fresh.cursor, afterDelete);
      // The full read a resync leads to has neither the review nor its tombstone.
      const full = await pull(second.url, 0);
      assert.equal(full.resync, undefined);
      assert.ok(!ids(full.reviews).includes(victim.id));
      assert.deepEqual(full.deletedReviews, []);
    } finally {
      await second.stop();
    }
  });

  it('prunes tombstones while running, every interval', async () => {
    const server = await startServer({ tombstoneRetentionMs: 50, tombstonePruneIntervalMs: 20 });
    try {
      const victim = await post(server.url);
      const beforeDelete = (await pull(server.url, 0)).cursor;
      // The deletion happens after the prune at start: only a prune while running can end in
      // resync. (Whether the 50 ms tombstone is still there at the next pull depends on the
      // machine's load, so it is not asserted here; the test above covers it.)
      await call(server.url, `/reviews/${victim.id}?edit_token=${victim.edit_token}`, { method: 'DELETE' });
      const deadline = Date.now() + 5_000;
      while (!(await pull(server.url, beforeDelete)).resync) {
        assert.ok(Date.now() < deadline, 'the tombstone was never pruned');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await server.stop();
    }
  });
});
