/**
 * The embedded SQLite backend of `Storage` (storage.ts): the default, one file, nothing to
 * install. Writes go through the group commit (group-commit.ts) with synchronous=FULL.
 */
import type { Database } from 'better-sqlite3';
import { ChangeSequence } from './change-sequence.ts';
import { ChangeStore } from './change-store.ts';
import { WriteClock } from './clock.ts';
import { openDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { RatingSummaries } from './rating-summaries.ts';
import { RestaurantStore } from './restaurant-store.ts';
import { ReviewStore } from './review-store.ts';
import {
  DEFAULT_TOMBSTONE_RETENTION_MS,
  type Storage,
  type StorageOptions,
  scheduleTombstonePruning,
} from './storage.ts';

export interface SqliteStorage extends Storage {
  readonly backend: 'sqlite';
  /** The connection itself, for tests that look at pragmas and query plans. */
  readonly db: Database;
  readonly restaurants: RestaurantStore;
  readonly reviews: ReviewStore;
  readonly changes: ChangeStore;
}

export function openSqliteStorage(file: string, options: StorageOptions = {}): SqliteStorage {
  const db = openDatabase(file);
  const newest = db
    .prepare<[], number>(
      `SELECT max(coalesce((SELECT max(updated_at) FROM restaurants), 0),
                  coalesce((SELECT max(updated_at) FROM reviews), 0))`,
    )
    .pluck()
    .get();
  const clock = new WriteClock(newest ?? 0);
  const sequence = new ChangeSequence(db);
  const changes = new ChangeStore(db, sequence);
  changes.pruneTombstonesNow(Date.now() - (options.tombstoneRetentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS));
  const writes = new GroupCommit(db, () => changes.committed());
  changes.writeThrough(writes);
  const stopPruning = scheduleTombstonePruning(changes, options);

  return {
    backend: 'sqlite',
    db,
    restaurants: new RestaurantStore(db, clock, writes, sequence),
    reviews: new ReviewStore(db, clock, writes, sequence),
    changes,
    ratings: new RatingSummaries(db),
    async close() {
      stopPruning();
      if (!db.open) return;
      writes.flush();
      // Closing the last connection checkpoints the WAL into the main file and removes it, so a
      // stopped server leaves one self-contained file behind.
      db.close();
    },
  };
}
