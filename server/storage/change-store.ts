/**
 * The change feed's reads (`GET /changes`), the pruning of review tombstones, and the signal
 * "something was committed up to cursor N" for the live notices.
 *
 * The guarantee: a client that pulls `after = its cursor` until `more` is false has seen every
 * committed write, each record in its latest state, and every deletion; no write can appear later
 * with a number at or below a cursor already handed out. It rests on three things:
 * - numbers follow commit order (change-sequence.ts);
 * - a page is read in one read transaction, so it is one snapshot of committed data;
 * - a cursor is only handed out for committed data: the number of the last record in a full page,
 *   or the counter itself when nothing more is there, read in the same snapshot.
 *
 * For PostgreSQL (issue #11) the interface stays; the counter row serializes the writers (see
 * change-sequence.ts), reads run in one REPEATABLE READ transaction, and `subscribe` is fed by
 * LISTEN on a dedicated connection (NOTIFY is delivered at COMMIT, so never early). The
 * alternative to serializing writers, a sequence plus handing out cursors only up to the oldest
 * transaction still in flight (pg_snapshot_xmin), allows parallel writers at the cost of cursors
 * that lag behind long transactions; the counter row is simpler and writes here are short.
 */
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { ChangePage } from '../../src/shared/change-feed.ts';
import type { ChangeSequence } from './change-sequence.ts';
import {
  type ClassicRestaurant,
  type ClassicReview,
  RESTAURANT_COLUMNS,
  REVIEW_COLUMNS,
  type RestaurantRow,
  type ReviewRow,
  toClassicRestaurant,
  toClassicReview,
} from './records.ts';

export type ClassicChangePage = ChangePage<ClassicRestaurant, ClassicReview>;

/** Called with the newest committed cursor, after a commit. */
export type CommitListener = (cursor: number) => void;

type Sequenced<Row extends unknown[]> = [seq: number, ...row: Row];

interface PruneParams {
  cutoff: number;
}

export class ChangeStore {
  private readonly selectRestaurants: Statement<[number, number], Sequenced<RestaurantRow>>;
  private readonly selectReviews: Statement<[number, number], Sequenced<ReviewRow>>;
  private readonly selectTombstones: Statement<[number, number], [seq: number, id: number]>;
  private readonly readPage: Transaction<(after: number, limit: number) => ClassicChangePage>;
  private readonly prune: Transaction<(cutoff: number) => number>;
  private readonly listeners = new Set<CommitListener>();
  private published: number;

  constructor(
    db: Database,
    private readonly sequence: ChangeSequence,
  ) {
    // LIMIT n + 1 per table: the page takes the n lowest numbers of the three, and the extra row
    // tells whether anything is left.
    this.selectRestaurants = db
      .prepare<[number, number], Sequenced<RestaurantRow>>(
        `SELECT seq, ${RESTAURANT_COLUMNS} FROM restaurants WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw();
    this.selectReviews = db
      .prepare<[number, number], Sequenced<ReviewRow>>(
        `SELECT seq, ${REVIEW_COLUMNS} FROM reviews WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw();
    this.selectTombstones = db
      .prepare<[number, number], [number, number]>(
        'SELECT seq, id FROM review_tombstones WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .raw();
    // A read transaction: one snapshot even if another process commits between the statements.
    this.readPage = db.transaction((after: number, limit: number) => this.read(after, limit));

    const newestPrunable = db
      .prepare<PruneParams, number | null>(
        'SELECT max(seq) FROM review_tombstones WHERE deleted_at < @cutoff',
      )
      .pluck();
    const deleteThrough = db.prepare<[number]>('DELETE FROM review_tombstones WHERE seq <= ?');
    const raiseHorizon = db.prepare<[number]>(
      'UPDATE change_sequence SET pruned_through = max(pruned_through, ?) WHERE id = 1',
    );
    // By number, not by time, so that the horizon is exact: every tombstone at or below
    // pruned_through is gone, every one above it is kept.
    this.prune = db.transaction((cutoff: number) => {
      const through = newestPrunable.get({ cutoff });
      if (through === null || through === undefined) return 0;
      const { changes } = deleteThrough.run(through);
      raiseHorizon.run(through);
      return changes;
    });
    this.published = sequence.current();
  }

  /** The newest committed cursor. */
  current(): number {
    return this.sequence.current();
  }

  /** Everything committed after `after`: at most `limit` records and tombstones. */
  changesAfter(after: number, limit: number): ClassicChangePage {
    return this.readPage.deferred(after, limit);
  }

  /** Deletes the tombstones of reviews deleted before `cutoff` (epoch ms); returns how many. */
  pruneTombstones(cutoff: number): number {
    return this.prune.immediate(cutoff);
  }

  /** `listener` hears the newest cursor after every commit that advanced it. */
  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the group commit after each successful COMMIT. */
  committed(): void {
    const cursor = this.sequence.current();
    if (cursor <= this.published) return;
    this.published = cursor;
    for (const listener of this.listeners) listener(cursor);
  }

  private read(after: number, limit: number): ClassicChangePage {
    const current = this.sequence.current();
    // Below the horizon, deletions may be missing; above the counter, the cursor was handed out
    // by another database (a reset, a restored backup). 0 means "I have nothing": always fine.
    if ((after > 0 && after < this.sequence.prunedThrough()) || after > current) {
      return { cursor: 0, restaurants: [], reviews: [], deletedReviews: [], more: true, resync: true };
    }
    const restaurantRows = this.selectRestaurants.all(after, limit + 1);
    const reviewRows = this.selectReviews.all(after, limit + 1);
    const tombstoneRows = this.selectTombstones.all(after, limit + 1);

    const page: ClassicChangePage = { cursor: current, restaurants: [], reviews: [], deletedReviews: [], more: false };
    // Merge the three ordered lists by number and keep the `limit` lowest.
    let r = 0;
    let v = 0;
    let d = 0;
    for (let taken = 0; ; taken++) {
      const nextR = restaurantRows[r]?.[0] ?? Infinity;
      const nextV = reviewRows[v]?.[0] ?? Infinity;
      const nextD = tombstoneRows[d]?.[0] ?? Infinity;
      const lowest = Math.min(nextR, nextV, nextD);
      if (lowest === Infinity) break;
      if (taken === limit) {
        page.more = true;
        break;
      }
      page.cursor = lowest;
      if (lowest === nextR) page.restaurants.push(toClassicRestaurant(rowOf(restaurantRows[r++]!)));
      else if (lowest === nextV) page.reviews.push(toClassicReview(rowOf(reviewRows[v++]!)));
      else page.deletedReviews.push(tombstoneRows[d++]![1]);
    }
    if (!page.more) page.cursor = current;
    return page;
  }
}

function rowOf<Row extends unknown[]>(sequenced: Sequenced<Row>): Row {
  return sequenced.slice(1) as Row;
}
