/**
 * The PostgreSQL backend of `Storage` (../storage.ts), for several identical servers on one
 * database: everything that matters is in the database (records, the change sequence and its
 * write clock, tombstones), and each server LISTENs for the others' commits.
 *
 * Opening it: a pool of at most `poolMax` connections, the migrations under an advisory lock
 * (pg-migrations.ts), a first prune of old tombstones, then the listener. Any failure stops the
 * server with a message that names DATABASE_URL (without its password).
 */
import pg from 'pg';
import { CommitFeed } from '../change-feed-page.ts';
import {
  DEFAULT_TOMBSTONE_RETENTION_MS,
  type Storage,
  type StorageOptions,
  scheduleTombstonePruning,
} from '../storage.ts';
import { PgChangeStore } from './pg-change-store.ts';
import { PgListener } from './pg-listener.ts';
import { migrate } from './pg-migrations.ts';
import { PgRatingSummaries } from './pg-rating-summaries.ts';
import { PgRestaurantStore } from './pg-restaurant-store.ts';
import { PgReviewStore } from './pg-review-store.ts';
import { PG_TYPES, describeDatabase } from './pg-sql.ts';
import { PgWrites } from './pg-writes.ts';

export interface PgStorageOptions extends StorageOptions {
  /** Connections this server keeps at most (PG_POOL_MAX, default 10), plus one for LISTEN. */
  poolMax?: number;
}

export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Cannot use the PostgreSQL database of DATABASE_URL (${describeDatabase(url)}): ${(cause as Error).message}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export async function openPostgresStorage(url: string, options: PgStorageOptions = {}): Promise<Storage> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    types: PG_TYPES,
    application_name: 'restaurant-reviews',
    // A request waits at most this long for a free connection (or for a PostgreSQL that is
    // restarting), then fails with a 500 that the client retries, rather than hanging.
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that PostgreSQL closed (a restart) reports an error here; the pool drops
  // it and opens a new one when needed. Without a listener, the error would end the process.
  pool.on('error', () => {});

  let listener: PgListener | undefined;
  try {
    await migrate(pool);
    const feed = new CommitFeed(0);
    const writes = new PgWrites(pool, (cursor) => feed.publish(cursor));
    const changes = new PgChangeStore(pool, writes, feed);
    feed.publish(await changes.current());
    await changes.pruneTombstones(Date.now() - (options.tombstoneRetentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS));
    const started = new PgListener(url, {
      onNotice: (cursor) => feed.publish(cursor),
      // Notices may have been lost while the connection was down: every live client pulls.
      onReconnect: () => {
        changes.current().then(
          (cursor) => feed.remind(cursor),
          () => {},
        );
      },
    });
    listener = started;
    await started.start();
    const stopPruning = scheduleTombstonePruning(changes, options);

    return {
      backend: 'postgres',
      restaurants: new PgRestaurantStore(pool, writes),
      reviews: new PgReviewStore(pool, writes),
      changes,
      ratings: new PgRatingSummaries(pool),
      async close() {
        stopPruning();
        await started.close();
        // Waits for the queries in flight: a write being committed finishes first.
        await pool.end();
      },
    };
  } catch (error) {
    await listener?.close();
    await pool.end().catch(() => {});
    if (error instanceof Error && error.name === 'SchemaTooNewError') throw error;
    throw new DatabaseUnavailableError(url, error);
  }
}
