/**
 * The SQLite file and the change feed: a database from before the feed is upgraded in place,
 * rows a script inserted directly are numbered at the next open, and seed:large numbers its own.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { generateLargeDataSet } from '../seed-large.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../storage/migrations.ts';
import { seedClassicData } from '../storage/seed.ts';
import { openSqliteStorage } from '../storage/sqlite-storage.ts';
import { call, pull, startServer, suiteTempDir } from './helpers.ts';

const ids = (list: { id: number }[]) => list.map((item) => item.id);

describe('change feed on an SQLite file from before it', () => {
  const fileIn = suiteTempDir('rr-feed-');

  it('upgrades a database from before the feed in place: every row numbered, favorites dated', async () => {
    const dbFile = fileIn('version-1.sqlite');
    const favoriteAt = Date.parse('2026-06-01T12:00:00.000Z');
    const reviewAt = Date.parse('2026-06-02T12:00:00.000Z');
    const old = new Database(dbFile);
    MIGRATIONS[0]!.up(old);
    old.pragma('user_version = 1');
    seedClassicData(old);
    old.prepare('UPDATE restaurants SET is_favorite = 1, updated_at = ?, updated_iso = 1 WHERE id = 3').run(favoriteAt);
    old
      .prepare(
        `INSERT INTO reviews (restaurant_id, name, rating, comments, client_id, created_at, updated_at, created_iso, updated_iso)
         VALUES (2, 'Old', 3, 'Written before the feed', ?, ?, ?, 1, 1)`,
      )
      .run(randomUUID(), reviewAt, reviewAt);
    old.close();

    const server = await startServer({ dbFile });
    try {
      const page = await pull(server.url, 0);
      assert.equal(page.cursor, 41);
      assert.equal(page.restaurants.length, 10);
      assert.equal(page.reviews.length, 31);
      // Numbered in the order of their last change: the favorite, then the newest review, last.
      assert.equal(page.restaurants.at(-1)?.id, 3);
      assert.equal(page.reviews.at(-1)?.name, 'Old');
      const tail = await pull(server.url, 39);
      assert.deepEqual(ids(tail.restaurants), [3]);
      assert.deepEqual(tail.reviews.map((r) => r.name), ['Old']);

      // The favorite's change time came from its updatedAt: an older wish loses, a later one wins.
      const older = await call(server.url, `/restaurants/3/?is_favorite=false&wished_at=${favoriteAt - 1}`, { method: 'PUT' });
      assert.equal(older.headers.get('x-favorite-wish'), 'superseded');
      const later = await call(server.url, `/restaurants/3/?is_favorite=false&wished_at=${favoriteAt + 1}`, { method: 'PUT' });
      assert.equal(later.headers.get('x-favorite-wish'), 'applied');
      assert.equal(later.body.is_favorite, 'false');
    } finally {
      await server.stop();
    }
    const upgraded = new Database(dbFile, { readonly: true });
    try {
      assert.equal(upgraded.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(upgraded.prepare('SELECT count(*) FROM reviews WHERE seq = 0').pluck().get(), 0);
    } finally {
      upgraded.close();
    }
  });

  it('numbers rows that a script inserted directly, when the database is next opened', async () => {
    const file = fileIn('behind.sqlite');
    await openSqliteStorage(file).close();
    const raw = new Database(file);
    raw
      .prepare(
        `INSERT INTO reviews (restaurant_id, name, rating, comments, created_at, updated_at, created_iso, updated_iso)
         VALUES (5, 'Script', 2, 'Inserted by a script', ?, ?, 1, 1)`,
      )
      .run(Date.now(), Date.now());
    raw.close();
    const storage = openSqliteStorage(file);
    try {
      const page = await storage.changes.changesAfter(40, 1000);
      assert.deepEqual(page.reviews.map((r) => r.name), ['Script']);
      assert.equal(page.cursor, 41);
    } finally {
      storage.close();
    }
  });

  it('has seed:large number its rows itself', () => {
    const file = fileIn('bulk.sqlite');
    generateLargeDataSet(file, { restaurants: 20, reviews: 50 });
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT value FROM change_sequence').pluck().get(), 70);
      assert.equal(db.prepare('SELECT count(*) FROM reviews WHERE seq = 0').pluck().get(), 0);
    } finally {
      db.close();
    }
  });
});
