import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { generateLargeDataSet } from '../seed-large.ts';
import { WriteClock } from '../storage/clock.ts';
import { SCHEMA_VERSION } from '../storage/migrations.ts';
import { openSqliteStorage } from '../storage/sqlite-storage.ts';
import { ISO_DATE, call, review, startServer, suiteTempDir } from './helpers.ts';

describe('persistence', () => {
  const fileIn = suiteTempDir('rr-persist-');

  it('keeps every write across a restart, seeds only once, and keeps edit tokens valid', async () => {
    const dbFile = fileIn('restart.sqlite');
    const first = await startServer({ dbFile });
    const created = (await call(first.url, '/reviews/', { method: 'POST', json: review({ comments: 'Survives restarts' }) })).body;
    const favorite = (await call(first.url, '/restaurants/6?is_favorite=true', { method: 'PUT' })).body;
    await first.stop();
    assert.equal(existsSync(`${dbFile}-wal`), false, 'a clean stop leaves no WAL behind');

    const second = await startServer({ dbFile });
    try {
      assert.equal((await call(second.url, '/restaurants')).body.length, 10, 'not seeded twice');
      assert.equal((await call(second.url, '/reviews/')).body.length, 31);
      const stored = (await call(second.url, `/reviews/${created.id}`)).body;
      assert.equal(stored.comments, 'Survives restarts');
      assert.equal(stored.createdAt, created.createdAt);
      const restaurant = (await call(second.url, '/restaurants/6')).body;
      assert.equal(restaurant.is_favorite, 'true');
      assert.equal(restaurant.updatedAt, favorite.updatedAt);

      const edited = await call(second.url, `/reviews/${created.id}`, {
        method: 'PUT',
        json: { rating: 5, edit_token: created.edit_token },
      });
      assert.equal(edited.status, 200);
      assert.ok(edited.body.updatedAt > created.updatedAt, 'the write clock continues after a restart');
      assert.match(edited.body.updatedAt, ISO_DATE);
    } finally {
      await second.stop();
    }
  });

  it('opens SQLite in WAL mode with synchronous=FULL and foreign keys on, at the latest schema', () => {
    const storage = openSqliteStorage(fileIn('pragmas.sqlite'));
    try {
      assert.equal(storage.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(storage.db.pragma('synchronous', { simple: true }), 2, 'FULL');
      assert.equal(storage.db.pragma('foreign_keys', { simple: true }), 1);
      assert.ok((storage.db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
      assert.equal(storage.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    } finally {
      storage.close();
    }
  });

  it('uses the indexes the hot queries need', () => {
    const storage = openSqliteStorage(fileIn('plans.sqlite'));
    try {
      const plan = (sql: string) =>
        storage.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail).join(' | ');
      assert.match(plan('SELECT * FROM reviews WHERE restaurant_id = 1 ORDER BY id'), /USING (COVERING )?INDEX reviews_restaurant_id/);
      assert.match(plan("SELECT * FROM reviews WHERE client_id = 'x'"), /USING INDEX reviews_client_id/);
      assert.match(plan('SELECT * FROM restaurants WHERE updated_at > 5'), /USING INDEX restaurants_updated_at/);
      // The change feed reads each table after a cursor, in change order.
      assert.match(plan('SELECT * FROM restaurants WHERE seq > 5 ORDER BY seq'), /USING INDEX restaurants_seq/);
      assert.match(plan('SELECT * FROM reviews WHERE seq > 5 ORDER BY seq'), /USING INDEX reviews_seq/);
      assert.match(plan('SELECT * FROM review_tombstones WHERE seq > 5 ORDER BY seq'), /USING INDEX review_tombstones_seq/);
    } finally {
      storage.close();
    }
  });

  it('refuses a database written by a newer server, with a clear message', () => {
    const file = fileIn('future.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => openSqliteStorage(file), /schema version \d+, newer than this server's/);
  });

  it('refuses a review for a missing restaurant at the database level too', () => {
    const storage = openSqliteStorage(fileIn('fk.sqlite'));
    try {
      assert.throws(
        () =>
          storage.db
            .prepare(
              `INSERT INTO reviews (restaurant_id, name, rating, comments, created_at, updated_at, created_iso, updated_iso)
               VALUES (999, 'x', 3, 'y', 0, 0, 1, 1)`,
            )
            .run(),
        /FOREIGN KEY/,
      );
    } finally {
      storage.close();
    }
  });
});

describe('write clock', () => {
  it('never repeats a timestamp within one millisecond', () => {
    const clock = new WriteClock(0, () => 1_000);
    assert.deepEqual([clock.next(), clock.next(), clock.next()], [1_000, 1_001, 1_002]);
  });

  it('never goes backwards when the wall clock does', () => {
    let now = 5_000;
    const clock = new WriteClock(0, () => now);
    assert.equal(clock.next(), 5_000);
    now = 4_000;
    assert.equal(clock.next(), 5_001);
    now = 9_000;
    assert.equal(clock.next(), 9_000);
  });

  it('starts after the newest stored timestamp', () => {
    const clock = new WriteClock(10_000, () => 2_000);
    assert.equal(clock.next(), 10_001);
  });
});

describe('seed:large', () => {
  const fileIn = suiteTempDir('rr-large-');

  const dump = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return JSON.stringify([
        db.prepare('SELECT * FROM restaurants ORDER BY id').all(),
        db.prepare('SELECT * FROM reviews ORDER BY id').all(),
      ]);
    } finally {
      db.close();
    }
  };

  it('generates the same data every time, and a usable database', async () => {
    const file = fileIn('large.sqlite');
    generateLargeDataSet(file, { restaurants: 50, reviews: 400 });
    const firstRun = dump(file);
    generateLargeDataSet(file, { restaurants: 50, reviews: 400 });
    assert.equal(dump(file), firstRun);

    const server = await startServer({ dbFile: file });
    try {
      assert.equal((await call(server.url, '/restaurants')).body.length, 50);
      assert.equal((await call(server.url, '/reviews/')).body.length, 400);
      const created = await call(server.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: 50 }) });
      assert.equal(created.body.id, 401);
    } finally {
      await server.stop();
    }
  });

  it('refuses to replace a database it did not make', async () => {
    const file = fileIn('precious.sqlite');
    await openSqliteStorage(file).close();
    assert.throws(() => generateLargeDataSet(file, { restaurants: 1, reviews: 1 }), /not made by seed:large/);
    assert.equal(dump(file).includes('Mission Chinese Food'), true);
  });
});
