/**
 * The server's whole persistence layer behind one object: open it, use the two stores, close it.
 */
import type { Database } from 'better-sqlite3';
import { ChangeSequence } from './change-sequence.ts';
import { ChangeStore } from './change-store.ts';
import { WriteClock } from './clock.ts';
import { openDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { RestaurantStore } from './restaurant-store.ts';
import { ReviewStore } from './review-store.ts';

export interface Storage {
  readonly db: Database;
  readonly restaurants: RestaurantStore;
  readonly reviews: ReviewStore;
  readonly changes: ChangeStore;
  close(): void;
}

export interface StorageOptions {
  /** How long a deleted review's tombstone is kept (default 30 days). */
  tombstoneRetentionMs?: number;
  /** How often old tombstones are pruned while running (default hourly); also at open. */
  tombstonePruneIntervalMs?: number;
}

export const DEFAULT_TOMBSTONE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function openStorage(file: string, options: StorageOptions = {}): Storage {
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
  const writes = new GroupCommit(db, () => changes.committed());

  const retentionMs = options.tombstoneRetentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS;
  // Pruning is a write like any other: through the group commit, so it never splits a batch.
  const pruneTombstones = () => writes.run(() => changes.pruneTombstones(Date.now() - retentionMs));
  changes.pruneTombstones(Date.now() - retentionMs);
  const pruneTimer = setInterval(() => {
    pruneTombstones().catch(() => {
      // A failed prune (disk full) is retried at the next interval; the tombstones just stay.
    });
  }, options.tombstonePruneIntervalMs ?? 60 * 60 * 1000);
  pruneTimer.unref();

  return {
    db,
    restaurants: new RestaurantStore(db, clock, writes, sequence),
    reviews: new ReviewStore(db, clock, writes, sequence),
    changes,
    close() {
      clearInterval(pruneTimer);
      if (!db.open) return;
      writes.flush();
      // Closing the last connection checkpoints the WAL into the main file and removes it, so a
      // stopped server leaves one self-contained file behind.
      db.close();
    },
  };
}
