/**
 * The server's whole persistence layer behind one object: open it, use the two stores, close it.
 */
import type { Database } from 'better-sqlite3';
import { WriteClock } from './clock.ts';
import { openDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { RestaurantStore } from './restaurant-store.ts';
import { ReviewStore } from './review-store.ts';

export interface Storage {
  readonly db: Database;
  readonly restaurants: RestaurantStore;
  readonly reviews: ReviewStore;
  close(): void;
}

export function openStorage(file: string): Storage {
  const db = openDatabase(file);
  const newest = db
    .prepare<[], number>(
      `SELECT max(coalesce((SELECT max(updated_at) FROM restaurants), 0),
                  coalesce((SELECT max(updated_at) FROM reviews), 0))`,
    )
    .pluck()
    .get();
  const clock = new WriteClock(newest ?? 0);
  const writes = new GroupCommit(db);
  return {
    db,
    restaurants: new RestaurantStore(db, clock, writes),
    reviews: new ReviewStore(db, clock, writes),
    close() {
      if (!db.open) return;
      writes.flush();
      // Closing the last connection checkpoints the WAL into the main file and removes it, so a
      // stopped server leaves one self-contained file behind.
      db.close();
    },
  };
}
