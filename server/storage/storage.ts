/**
 * The server's whole persistence layer behind one asynchronous interface, implemented twice:
 * embedded SQLite (the default, `sqlite-storage.ts`) and PostgreSQL for several servers on one
 * database (`postgres/pg-storage.ts`, selected by DATABASE_URL). Routes only ever see `Storage`,
 * and `server/test/storage-conformance.test.ts` holds both backends to the same behaviour.
 *
 * Every write resolves only once its transaction is durably committed (SQLite: group commit with
 * synchronous=FULL; PostgreSQL: COMMIT with synchronous_commit on), so a route that answers when
 * the promise resolves never acknowledges a write that could still be lost.
 */
import type { RatingSummary } from '../../src/shared/ratings.ts';
import type { ClassicChangePage, CommitListener } from './change-feed-page.ts';
import type { ClassicRestaurant, ClassicReview } from './records.ts';
import type { FavoriteResult, RestaurantFilter } from './restaurant-store.ts';
import type {
  BatchOutcome,
  BatchWrite,
  ChangeResult,
  CreateResult,
  ReviewChanges,
  ReviewInput,
  ReviewPage,
} from './review-store.ts';

export interface RestaurantStorage {
  list(filter?: RestaurantFilter): Promise<ClassicRestaurant[]>;
  get(id: number): Promise<ClassicRestaurant | undefined>;
  exists(id: number): Promise<boolean>;
  /** The later wish wins (restaurant-store.ts says how). */
  setFavorite(id: number, isFavorite: boolean, wishedAt?: number): Promise<FavoriteResult>;
}

export interface ReviewStorage {
  list(page?: ReviewPage): Promise<ClassicReview[]>;
  listForRestaurant(restaurantId: number, page?: ReviewPage): Promise<ClassicReview[]>;
  get(id: number): Promise<ClassicReview | undefined>;
  /** Cheap check used before rate limiting, so a replay is never refused (see rate-limit.ts). */
  hasClientId(clientId: string): Promise<boolean>;
  /** Idempotent by client_id: a second create with one client_id writes nothing. */
  create(input: ReviewInput): Promise<CreateResult>;
  change(id: number, editToken: string | undefined, changes: ReviewChanges): Promise<ChangeResult>;
  delete(id: number, editToken: string | undefined): Promise<ChangeResult>;
  /**
   * Many writes (POST /reviews/batch) in ONE transaction, in order, each exactly as the single
   * write would be; refused items write nothing; an unexpected error rolls back all of them.
   */
  applyBatch(items: readonly BatchWrite[]): Promise<BatchOutcome[]>;
}

export interface ChangeStorage {
  /** The newest committed cursor. */
  current(): Promise<number>;
  /** Everything committed after `after`: at most `limit` records and tombstones, one snapshot. */
  changesAfter(after: number, limit: number): Promise<ClassicChangePage>;
  /** Deletes the tombstones of reviews deleted before `cutoff` (epoch ms); returns how many. */
  pruneTombstones(cutoff: number): Promise<number>;
  /**
   * `listener` hears the newest cursor after every commit that advanced it: this server's and,
   * on PostgreSQL, every other server's.
   */
  subscribe(listener: CommitListener): () => void;
}

export interface RatingStorage {
  /** Every restaurant that has reviews, in id order; one restaurant's (or none) when asked. */
  list(restaurantId?: number): Promise<RatingSummary[]>;
}

export interface Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly restaurants: RestaurantStorage;
  readonly reviews: ReviewStorage;
  readonly changes: ChangeStorage;
  readonly ratings: RatingStorage;
  /** Commits what is queued, then closes the database (or the pool and its listener). */
  close(): Promise<void>;
}

export interface StorageOptions {
  /** How long a deleted review's tombstone is kept (default 30 days). */
  tombstoneRetentionMs?: number;
  /** How often old tombstones are pruned while running (default hourly); also at open. */
  tombstonePruneIntervalMs?: number;
}

export const DEFAULT_TOMBSTONE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const DEFAULT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Prunes old tombstones now and then every interval; returns the function that stops it. A failed
 * prune (disk full, database unreachable) is retried at the next interval: the tombstones stay.
 */
export function scheduleTombstonePruning(changes: ChangeStorage, options: StorageOptions): () => void {
  const retentionMs = options.tombstoneRetentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS;
  const prune = () => changes.pruneTombstones(Date.now() - retentionMs).catch(() => 0);
  const timer = setInterval(prune, options.tombstonePruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
