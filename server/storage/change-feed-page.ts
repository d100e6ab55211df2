/**
 * What both backends share about the change feed: how a page is assembled from the three
 * ordered lists (restaurants, reviews, tombstones), when a cursor cannot be served, and the
 * "committed up to cursor N" signal the live notices hang off.
 *
 * The guarantee: a client that pulls `after = its cursor` until `more` is false has seen every
 * committed write, each record in its latest state, and every deletion; no write can appear later
 * with a number at or below a cursor already handed out. It rests on three things, which each
 * backend provides:
 * - numbers follow commit order (change-sequence.ts; postgres/pg-writes.ts);
 * - a page is read in one read transaction, so it is one snapshot of committed data;
 * - a cursor is only handed out for committed data: the number of the last record in a full page,
 *   or the counter itself when nothing more is there, read in the same snapshot.
 */
import type { ChangePage } from '../../src/shared/change-feed.ts';
import {
  type ClassicRestaurant,
  type ClassicReview,
  type RestaurantRow,
  type ReviewRow,
  toClassicRestaurant,
  toClassicReview,
} from './records.ts';

export type ClassicChangePage = ChangePage<ClassicRestaurant, ClassicReview>;

/**
 * Called with the newest committed cursor after a commit. `remind`: the server may have missed
 * notices (its PostgreSQL listener reconnected), so every live client is told to pull.
 */
export type CommitListener = (cursor: number, remind?: boolean) => void;

export type Sequenced<Row extends unknown[]> = [seq: number, ...row: Row];

/** The rows of one snapshot, each list ordered by seq and holding at most limit + 1 rows. */
export interface ChangeRows {
  current: number;
  restaurants: Sequenced<RestaurantRow>[];
  reviews: Sequenced<ReviewRow>[];
  tombstones: [seq: number, id: number][];
}

/**
 * Below the horizon, deletions may be missing; above the counter, the cursor was handed out by
 * another database (a reset, a restored backup). 0 means "I have nothing": always fine.
 */
export function cursorIsUnservable(after: number, current: number, prunedThrough: number): boolean {
  return (after > 0 && after < prunedThrough) || after > current;
}

export function resyncPage(): ClassicChangePage {
  return { cursor: 0, restaurants: [], reviews: [], deletedReviews: [], more: true, resync: true };
}

/** Merges the three ordered lists by number and keeps the `limit` lowest. */
export function mergeChangePage(rows: ChangeRows, limit: number): ClassicChangePage {
  const { current, restaurants, reviews, tombstones } = rows;
  const page: ClassicChangePage = { cursor: current, restaurants: [], reviews: [], deletedReviews: [], more: false };
  let r = 0;
  let v = 0;
  let d = 0;
  for (let taken = 0; ; taken++) {
    const nextR = restaurants[r]?.[0] ?? Infinity;
    const nextV = reviews[v]?.[0] ?? Infinity;
    const nextD = tombstones[d]?.[0] ?? Infinity;
    const lowest = Math.min(nextR, nextV, nextD);
    if (lowest === Infinity) break;
    if (taken === limit) {
      page.more = true;
      break;
    }
    page.cursor = lowest;
    if (lowest === nextR) page.restaurants.push(toClassicRestaurant(rowOf(restaurants[r++]!)));
    else if (lowest === nextV) page.reviews.push(toClassicReview(rowOf(reviews[v++]!)));
    else page.deletedReviews.push(tombstones[d++]![1]);
  }
  if (!page.more) page.cursor = current;
  return page;
}

function rowOf<Row extends unknown[]>(sequenced: Sequenced<Row>): Row {
  return sequenced.slice(1) as Row;
}

/** The listeners of "committed up to cursor N", told only when N moved forward. */
export class CommitFeed {
  private readonly listeners = new Set<CommitListener>();

  constructor(private published: number) {}

  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(cursor: number): void {
    if (cursor <= this.published) return;
    this.published = cursor;
    for (const listener of this.listeners) listener(cursor);
  }

  /** Tells every listener the cursor again, moved or not (see CommitListener's `remind`). */
  remind(cursor: number): void {
    this.published = Math.max(this.published, cursor);
    for (const listener of this.listeners) listener(this.published, true);
  }
}
