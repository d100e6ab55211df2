/**
 * The favorite rule across devices: `PUT /restaurants/{id}/?is_favorite=…&wished_at=<epoch ms>`
 * keeps the later wish, with client times clamped to the server's clock; classic PUTs (no time)
 * behave exactly as before. Every branch over real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAVORITE_WISH_HEADER, changeFeedPaths } from '../../src/shared/change-feed.ts';
import { type TestServer, call, pull, startServer } from './helpers.ts';

const MINUTE = 60_000;

describe('favorites across devices (wished_at)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const wish = (id: number, isFavorite: boolean, wishedAt: number) =>
    call(server.url, changeFeedPaths.favoriteWish(id, isFavorite, wishedAt), { method: 'PUT' });
  const classic = (id: number, isFavorite: boolean) =>
    call(server.url, `/restaurants/${id}/?is_favorite=${isFavorite}`, { method: 'PUT' });
  const stored = async (id: number) => (await call(server.url, `/restaurants/${id}`)).body;

  it('leaves the classic PUT as it was: applied, no extra header, the classic body', async () => {
    const before = await stored(1);
    const answer = await classic(1, true);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get(FAVORITE_WISH_HEADER), null);
    assert.deepEqual(Object.keys(answer.body).sort(), Object.keys(before).sort());
    assert.equal(answer.body.is_favorite, 'true');
  });

  it('applies a wish made after the last change, and says so', async () => {
    await classic(2, false);
    const answer = await wish(2, true, Date.now());
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get(FAVORITE_WISH_HEADER), 'applied');
    assert.equal(answer.body.is_favorite, 'true');
    assert.equal((await stored(2)).is_favorite, 'true');
  });

  it('does not apply a wish older than the last change: the answer is the current state, unchanged', async () => {
    const decided = await classic(3, true);
    const cursor = (await pull(server.url, 0)).cursor;
    const late = await wish(3, false, Date.now() - 10 * MINUTE);
    assert.equal(late.status, 200);
    assert.equal(late.headers.get(FAVORITE_WISH_HEADER), 'superseded');
    assert.deepEqual(late.body, decided.body, 'the current restaurant, updatedAt untouched');
    assert.deepEqual(await stored(3), decided.body);
    assert.equal((await pull(server.url, 0)).cursor, cursor, 'nothing was written');
  });

  it('keeps the later wish whatever order they arrive in (two devices)', async () => {
    const now = Date.now();
    // A wished "off" at now-20 min while offline; B wished "on" at now-10 min and was online.
    assert.equal((await wish(4, true, now - 10 * MINUTE)).headers.get(FAVORITE_WISH_HEADER), 'applied');
    const a = await wish(4, false, now - 20 * MINUTE);
    assert.equal(a.headers.get(FAVORITE_WISH_HEADER), 'superseded');
    assert.equal(a.body.is_favorite, 'true');

    // The reverse order: the older wish arrives first and is applied, the later one then wins.
    assert.equal((await wish(5, true, now - 20 * MINUTE)).headers.get(FAVORITE_WISH_HEADER), 'applied');
    const b = await wish(5, false, now - 10 * MINUTE);
    assert.equal(b.headers.get(FAVORITE_WISH_HEADER), 'applied');
    assert.equal((await stored(5)).is_favorite, 'false');
  });

  it('dates a change by when it was wished, not when it arrived', async () => {
    const now = Date.now();
    // Wished at now-30 min, delivered now. A wish made at now-20 min, delivered after it, is
    // later and must win; had the server stored the arrival time, it would lose.
    await wish(6, true, now - 30 * MINUTE);
    const later = await wish(6, false, now - 20 * MINUTE);
    assert.equal(later.headers.get(FAVORITE_WISH_HEADER), 'applied');
    assert.equal((await stored(6)).is_favorite, 'false');
  });

  it('applies a wish made at the same instant as the last change (it is not older)', async () => {
    const at = Date.now() - 5 * MINUTE;
    await wish(7, true, at);
    const same = await wish(7, false, at);
    assert.equal(same.headers.get(FAVORITE_WISH_HEADER), 'applied');
    const older = await wish(7, true, at - 1);
    assert.equal(older.headers.get(FAVORITE_WISH_HEADER), 'superseded');
    assert.equal((await stored(7)).is_favorite, 'false');
  });

  it('counts a wish from the future as made now, so a clock running ahead cannot win for ever', async () => {
    const future = await wish(8, true, Date.now() + 24 * 60 * MINUTE);
    assert.equal(future.headers.get(FAVORITE_WISH_HEADER), 'applied');
    // A device with a right clock, a moment later: without the clamp the stored time would be
    // tomorrow and this wish would lose until then.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const honest = await wish(8, false, Date.now());
    assert.equal(honest.headers.get(FAVORITE_WISH_HEADER), 'applied');
    assert.equal((await stored(8)).is_favorite, 'false');
  });

  it('treats a classic PUT as a wish made now: it beats a queued older wish delivered after it', async () => {
    const queuedAt = Date.now() - MINUTE;
    await classic(9, true);
    const queued = await wish(9, false, queuedAt);
    assert.equal(queued.headers.get(FAVORITE_WISH_HEADER), 'superseded');
    assert.equal((await stored(9)).is_favorite, 'true');
    // …and a classic PUT always applies, even after a wish from the future.
    await wish(9, false, Date.now() + 60 * MINUTE);
    assert.equal((await classic(9, true)).body.is_favorite, 'true');
  });

  it('puts an applied wish in the change feed, and a superseded one not', async () => {
    const start = (await pull(server.url, 0)).cursor;
    const applied = await wish(10, true, Date.now());
    const page = await pull(server.url, start);
    assert.deepEqual(page.restaurants, [applied.body]);
    await wish(10, false, Date.now() - 60 * MINUTE);
    assert.equal((await pull(server.url, page.cursor)).restaurants.length, 0);
  });

  it('exposes the outcome header to pages on other origins', async () => {
    const answer = await call(server.url, changeFeedPaths.favoriteWish(1, true, Date.now()), {
      method: 'PUT',
      headers: { origin: 'http://app.example' },
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.ok((answer.headers.get('access-control-expose-headers') ?? '').split(/,\s*/).includes(FAVORITE_WISH_HEADER));
  });

  it('refuses a wished_at that is not epoch milliseconds, and an unknown restaurant, as before', async () => {
    for (const value of ['soon', '-5', '1.5', '1e12', '2026-01-01T00:00:00Z', '1234567890123456', '']) {
      const answer = await call(server.url, `/restaurants/1/?is_favorite=true&wished_at=${encodeURIComponent(value)}`, {
        method: 'PUT',
      });
      assert.equal(answer.status, 400, value);
      assert.equal(answer.body.field, 'wished_at', value);
      assert.match(answer.body.message, /wished_at must be the time of the wish in epoch milliseconds/);
    }
    const unknown = await call(server.url, `/restaurants/99/?is_favorite=true&wished_at=${Date.now()}`, { method: 'PUT' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get(FAVORITE_WISH_HEADER), null);
  });
});
