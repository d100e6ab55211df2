/**
 * The storage interface (server/storage/storage.ts), below HTTP: one suite, run against the
 * backend of the run (SQLite files, or PostgreSQL databases in the PostgreSQL run: see
 * test-database.ts). Both backends must behave exactly alike; postgres.test.ts also compares
 * their answers to one script of writes, field by field.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/storage.ts';
import { ISO_DATE, makeTempDir, removeDir } from './helpers.ts';
import { PG_ADMIN_URL, TEST_BACKEND, dropTestDatabase, testDatabaseUrl } from './test-database.ts';

const input = (overrides: Partial<{ restaurant_id: number; client_id: string }> = {}) => ({
  restaurant_id: 1,
  name: 'Ada',
  rating: 4,
  comments: 'Crisp and kind.',
  ...overrides,
});

async function created(storage: Storage, overrides: Partial<{ restaurant_id: number; client_id: string }> = {}) {
  const result = await storage.reviews.create(input({ client_id: randomUUID(), ...overrides }));
  assert.equal(result.outcome, 'created');
  if (result.outcome !== 'created') throw new Error('not created');
  return result;
}

describe(`storage conformance (${TEST_BACKEND})`, () => {
  let dir: string;
  let storage: Storage;
  const key = `conformance-${process.pid}-${Date.now()}`;

  before(async () => {
    dir = makeTempDir('rr-conformance-');
    storage = await openStorage({
      dbFile: join(dir, 'db.sqlite'),
      databaseUrl: PG_ADMIN_URL ? await testDatabaseUrl(key) : undefined,
    });
  });
  after(async () => {
    await storage.close();
    removeDir(dir);
    if (PG_ADMIN_URL) await dropTestDatabase(key);
  });

  it('opens on the classic data set, numbered 1 to 40', async () => {
    assert.equal(storage.backend, TEST_BACKEND);
    const restaurants = await storage.restaurants.list();
    assert.deepEqual(restaurants.map((r) => r.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(restaurants[0]?.is_favorite, 'false');
    assert.equal(typeof restaurants[0]?.createdAt, 'number');
    assert.equal((await storage.reviews.list()).length, 30);
    assert.equal(await storage.changes.current(), 40);
    const first = await storage.changes.changesAfter(0, 10);
    assert.deepEqual(first.restaurants.map((r) => r.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(first.cursor, 10);
    assert.equal(first.more, true);
  });

  it('creates once per client_id, whatever its case, and a replay takes no number', async () => {
    const clientId = randomUUID();
    const first = await created(storage, { client_id: clientId });
    assert.equal(first.review.id > 30, true);
    assert.match(String(first.review.createdAt), ISO_DATE);
    assert.match(first.editToken, /^[A-Za-z0-9_-]{43}$/);
    const cursor = await storage.changes.current();
    const again = await storage.reviews.create(input({ client_id: clientId.toUpperCase() }));
    assert.deepEqual(again, { outcome: 'replayed', review: first.review });
    assert.equal(await storage.reviews.hasClientId(clientId.toUpperCase()), true);
    assert.equal(await storage.reviews.hasClientId(randomUUID()), false);
    assert.equal(await storage.changes.current(), cursor);
  });

  it('stores one review when the same client_id arrives many times at once', async () => {
    const clientId = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => storage.reviews.create(input({ client_id: clientId }))));
    assert.equal(results.filter((r) => r.outcome === 'created').length, 1);
    assert.equal(results.filter((r) => r.outcome === 'replayed').length, 19);
    const stored = (await storage.reviews.list()).filter((r) => r.client_id === clientId);
    assert.equal(stored.length, 1);
  });

  it('refuses an unknown restaurant without taking a number', async () => {
    const cursor = await storage.changes.current();
    assert.deepEqual(await storage.reviews.create(input({ restaurant_id: 999 })), { outcome: 'unknown-restaurant' });
    assert.equal(await storage.changes.current(), cursor);
  });

  it('changes and deletes only with the edit token; a change of nothing is no change', async () => {
    const { review, editToken } = await created(storage);
    assert.deepEqual(await storage.reviews.change(review.id, 'wrong', { rating: 1 }), { outcome: 'forbidden' });
    assert.deepEqual(await storage.reviews.change(review.id, undefined, { rating: 1 }), { outcome: 'forbidden' });
    assert.deepEqual(await storage.reviews.change(99_999, editToken, { rating: 1 }), { outcome: 'not-found' });
    assert.deepEqual(await storage.reviews.change(3, editToken, { rating: 1 }), { outcome: 'forbidden' }, 'seed reviews have no token');
    const cursor = await storage.changes.current();
    const same = await storage.reviews.change(review.id, editToken, {});
    assert.deepEqual(same, { outcome: 'done', review });
    assert.equal(await storage.changes.current(), cursor);
    const edited = await storage.reviews.change(review.id, editToken, { rating: 2, comments: 'Changed my mind.' });
    assert.equal(edited.outcome, 'done');
    if (edited.outcome !== 'done') return;
    assert.equal(edited.review.rating, 2);
    assert.equal(edited.review.name, 'Ada');
    assert.ok(Date.parse(String(edited.review.updatedAt)) > Date.parse(String(review.updatedAt)));
    assert.equal(await storage.changes.current(), cursor + 1);

    const deleted = await storage.reviews.delete(review.id, editToken);
    assert.deepEqual(deleted, { outcome: 'done', review: edited.review });
    assert.equal(await storage.reviews.get(review.id), undefined);
    const page = await storage.changes.changesAfter(cursor + 1, 100);
    assert.deepEqual(page.deletedReviews, [review.id]);
    assert.equal(page.cursor, cursor + 2);
    assert.deepEqual(await storage.reviews.delete(review.id, editToken), { outcome: 'not-found' });
  });

  it('never reuses a review id, even after the newest review is deleted', async () => {
    const { review, editToken } = await created(storage);
    await storage.reviews.delete(review.id, editToken);
    const next = await created(storage);
    assert.equal(next.review.id, review.id + 1);
  });

  it('pages the feed in change order, each record once in its latest state', async () => {
    const start = await storage.changes.current();
    const a = await created(storage, { restaurant_id: 2 });
    const b = await created(storage, { restaurant_id: 2 });
    await storage.reviews.change(a.review.id, a.editToken, { name: 'Ada again' });
    await storage.restaurants.setFavorite(2, true);
    const seen: string[] = [];
    let cursor = start;
    for (;;) {
      const page = await storage.changes.changesAfter(cursor, 1);
      seen.push(...page.reviews.map((r) => `review ${r.id} ${r.name}`), ...page.restaurants.map((r) => `restaurant ${r.id}`));
      cursor = page.cursor;
      if (!page.more) break;
    }
    assert.deepEqual(seen, [`review ${b.review.id} Ada`, `review ${a.review.id} Ada again`, 'restaurant 2']);
    assert.equal(cursor, await storage.changes.current());
    assert.equal((await storage.changes.changesAfter(cursor + 1000, 10)).resync, true);
  });

  it('keeps the later favorite wish, clamps future ones, and a superseded wish takes no number', async () => {
    const applied = await storage.restaurants.setFavorite(4, true, Date.now() + 3_600_000);
    assert.equal(applied.outcome, 'applied');
    const cursor = await storage.changes.current();
    const older = await storage.restaurants.setFavorite(4, false, Date.now() - 60_000);
    assert.equal(older.outcome, 'superseded');
    assert.equal('restaurant' in older && older.restaurant.is_favorite, 'true');
    assert.equal(await storage.changes.current(), cursor);
    const later = await storage.restaurants.setFavorite(4, false, Date.now() + 1);
    assert.equal(later.outcome, 'applied');
    assert.deepEqual(await storage.restaurants.setFavorite(404, true), { outcome: 'not-found' });
    assert.equal(await storage.restaurants.exists(4), true);
    assert.equal(await storage.restaurants.exists(404), false);
  });

  it('a wish made now wins over a clamped one even when a burst of writes ran the write clock ahead', async () => {
    // 300 writes at once: each stamp is at least 1 ms after the last, so stamps run ahead of the
    // wall clock. Wish times are clamped to the wall clock, not to those stamps.
    await Promise.all(Array.from({ length: 300 }, (_, i) => storage.restaurants.setFavorite(1 + (i % 3), i % 2 === 0)));
    assert.equal((await storage.restaurants.setFavorite(5, true, Date.now() + 3_600_000)).outcome, 'applied');
    assert.equal((await storage.restaurants.setFavorite(5, false, Date.now())).outcome, 'applied');
    // A classic PUT (no time) is applied whatever is stored, as the classic server did.
    const classic = await storage.restaurants.setFavorite(5, true);
    assert.equal(classic.outcome, 'applied');
    // The next tests compare stamps with the wall clock: let it catch up with the write clock.
    const written = 'restaurant' in classic ? classic.restaurant.updatedAt : Date.now();
    const stamp = typeof written === 'number' ? written : Date.parse(written);
    assert.ok(Number.isFinite(stamp), `a readable write time: ${written}`);
    while (Date.now() <= stamp) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('filters restaurants case-insensitively and by updated time, and pages them', async () => {
    const manhattan = await storage.restaurants.list({ neighborhood: 'manhattan' });
    assert.deepEqual(manhattan.map((r) => r.id), [1, 3, 4, 7, 8]);
    const pizza = await storage.restaurants.list({ cuisineType: 'PIZZA', limit: 1, skip: 1 });
    assert.deepEqual(pizza.map((r) => r.id), [5]);
    const before = Date.now() - 1;
    await storage.restaurants.setFavorite(9, true);
    const changed = await storage.restaurants.list({ updatedSince: before });
    assert.deepEqual(changed.map((r) => r.id), [9]);
    assert.deepEqual((await storage.restaurants.list({ isFavorite: true, updatedSince: before })).map((r) => r.id), [9]);
    assert.deepEqual((await storage.reviews.listForRestaurant(1, { limit: 2, skip: 1 })).map((r) => r.id), [2, 3]);
  });

  it('computes ratings from the stored reviews', async () => {
    const [summary] = await storage.ratings.list(10);
    assert.deepEqual(summary, { restaurant_id: 10, average: 4.67, count: 3 });
    assert.deepEqual(await storage.ratings.list(404), []);
    assert.equal((await storage.ratings.list()).length >= 10, true);
  });

  it('tells subscribers the cursor after each commit', async () => {
    const heard: number[] = [];
    const unsubscribe = storage.changes.subscribe((cursor) => heard.push(cursor));
    try {
      await created(storage);
      const expected = await storage.changes.current();
      const deadline = Date.now() + 2_000;
      while (!heard.includes(expected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(heard.includes(expected), `heard ${heard.join(', ')}, expected ${expected}`);
    } finally {
      unsubscribe();
    }
  });

  it('prunes tombstones by number and then answers older cursors with resync', async () => {
    const { review, editToken } = await created(storage);
    const before = await storage.changes.current();
    await storage.reviews.delete(review.id, editToken);
    assert.equal((await storage.changes.pruneTombstones(Date.now() + 1_000)) >= 1, true);
    assert.equal((await storage.changes.changesAfter(before - 1, 10)).resync, true);
    const fresh = await storage.changes.changesAfter(before + 1, 10);
    assert.equal(fresh.resync, undefined);
    assert.equal(fresh.more, false);
  });

  it('stamps write times that never repeat, however fast the writes come', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => created(storage)));
    const times = results.map((r) => Date.parse(String(r.review.createdAt)));
    assert.equal(new Set(times).size, times.length);
  });
});
