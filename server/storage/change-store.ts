/**
 * The SQLite change feed's reads (`GET /changes`), the pruning of review tombstones, and the
 * signal "something was committed up to cursor N" for the live notices. The guarantee and what
 * it rests on are in change-feed-page.ts; here one connection, the group commit and SQLite's
 * single writer give commit order, and a deferred read transaction gives the snapshot.
 */
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { ChangeSequence } from './change-sequence.ts';
import type { GroupCommit } from './group-commit.ts';
import {
  type ClassicChangePage,
  CommitFeed,
  type CommitListener,
  type Sequenced,
  cursorIsUnservable,
  mergeChangePage,
  resyncPage,
} from './change-feed-page.ts';
import { RESTAURANT_COLUMNS, REVIEW_COLUMNS, type RestaurantRow, type ReviewRow } from './records.ts';
import type { ChangeStorage } from './storage.ts';

export type { ClassicChangePage, CommitListener };

interface PruneParams {
  cutoff: number;
}

export class ChangeStore implements ChangeStorage {
  private readonly selectRestaurants: Statement<[number, number], Sequenced<RestaurantRow>>;
  private readonly selectReviews: Statement<[number, number], Sequenced<ReviewRow>>;
  private readonly selectTombstones: Statement<[number, number], [seq: number, id: number]>;
  private readonly readPage: Transaction<(after: number, limit: number) => ClassicChangePage>;
  private readonly prune: Transaction<(cutoff: number) => number>;
  private readonly feed: CommitFeed;
  /** Set once the group commit exists (it needs `committed` first): later prunes go through it. */
  private writes: GroupCommit | undefined;

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
    this.feed = new CommitFeed(sequence.current());
  }

  async current(): Promise<number> {
    return this.sequence.current();
  }

  async changesAfter(after: number, limit: number): Promise<ClassicChangePage> {
    return this.readPage.deferred(after, limit);
  }

  /** Pruning is a write like any other: through the group commit, so it never splits a batch. */
  writeThrough(writes: GroupCommit): void {
    this.writes = writes;
  }

  /** At open, before the group commit runs anything. */
  pruneTombstonesNow(cutoff: number): number {
    return this.prune.immediate(cutoff);
  }

  async pruneTombstones(cutoff: number): Promise<number> {
    if (!this.writes) return this.pruneTombstonesNow(cutoff);
    return this.writes.run(() => this.prune(cutoff));
  }

  subscribe(listener: CommitListener): () => void {
    return this.feed.subscribe(listener);
  }

  /** Called by the group commit after each successful COMMIT. */
  committed(): void {
    this.feed.publish(this.sequence.current());
  }

  private read(after: number, limit: number): ClassicChangePage {
    const current = this.sequence.current();
    if (cursorIsUnservable(after, current, this.sequence.prunedThrough())) return resyncPage();
    return mergeChangePage(
      {
        current,
        restaurants: this.selectRestaurants.all(after, limit + 1),
        reviews: this.selectReviews.all(after, limit + 1),
        tombstones: this.selectTombstones.all(after, limit + 1),
      },
      limit,
    );
  }
}
