/**
 * The change feed on PostgreSQL (what it guarantees: ../change-feed-page.ts). A page is read in
 * one REPEATABLE READ transaction, so the counter and the three lists come from one snapshot;
 * writers take their numbers in commit order (pg-writes.ts), so every number at or below the
 * counter seen in that snapshot belongs to a committed, visible write.
 */
import type { Pool } from 'pg';
import {
  type ChangeRows,
  type ClassicChangePage,
  type CommitFeed,
  type CommitListener,
  cursorIsUnservable,
  mergeChangePage,
  resyncPage,
} from '../change-feed-page.ts';
import { RESTAURANT_COLUMNS, REVIEW_COLUMNS } from '../records.ts';
import type { ChangeStorage } from '../storage.ts';
import { statement, withClient } from './pg-sql.ts';
import type { PgWrites } from './pg-writes.ts';

const selectCounter = statement('counter', 'SELECT value, pruned_through FROM change_sequence WHERE id = 1');
const selectRestaurants = statement(
  'changed-restaurants',
  `SELECT seq, ${RESTAURANT_COLUMNS} FROM restaurants WHERE seq > $1 ORDER BY seq LIMIT $2`,
);
const selectReviews = statement(
  'changed-reviews',
  `SELECT seq, ${REVIEW_COLUMNS} FROM reviews WHERE seq > $1 ORDER BY seq LIMIT $2`,
);
const selectTombstones = statement(
  'changed-tombstones',
  'SELECT seq, id FROM review_tombstones WHERE seq > $1 ORDER BY seq LIMIT $2',
);
const selectNewestPrunable = statement('newest-prunable', 'SELECT max(seq) FROM review_tombstones WHERE deleted_at < $1');
const deleteThrough = statement('prune-tombstones', 'DELETE FROM review_tombstones WHERE seq <= $1');
const raiseHorizon = statement(
  'raise-horizon',
  'UPDATE change_sequence SET pruned_through = greatest(pruned_through, $1) WHERE id = 1',
);

export class PgChangeStore implements ChangeStorage {
  constructor(
    private readonly pool: Pool,
    private readonly writes: PgWrites,
    private readonly feed: CommitFeed,
  ) {}

  async current(): Promise<number> {
    const { rows } = await this.pool.query<[number, number]>(selectCounter());
    return rows[0]?.[0] ?? 0;
  }

  async changesAfter(after: number, limit: number): Promise<ClassicChangePage> {
    return withClient(this.pool, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const counter = await client.query<[number, number]>(selectCounter());
      const [current = 0, prunedThrough = 0] = counter.rows[0] ?? [];
      let page: ClassicChangePage;
      if (cursorIsUnservable(after, current, prunedThrough)) {
        page = resyncPage();
      } else {
        const rows: ChangeRows = {
          current,
          restaurants: (await client.query<ChangeRows['restaurants'][number]>(selectRestaurants(after, limit + 1))).rows,
          reviews: (await client.query<ChangeRows['reviews'][number]>(selectReviews(after, limit + 1))).rows,
          tombstones: (await client.query<ChangeRows['tombstones'][number]>(selectTombstones(after, limit + 1))).rows,
        };
        page = mergeChangePage(rows, limit);
      }
      await client.query('COMMIT');
      return page;
    });
  }

  /** By number, not by time, so that the horizon is exact (as on SQLite: ../change-store.ts). */
  pruneTombstones(cutoff: number): Promise<number> {
    return this.writes.run(async (tx) => {
      const newest = await tx.client.query<[number | null]>(selectNewestPrunable(cutoff));
      const through = newest.rows[0]?.[0];
      if (through === null || through === undefined) return 0;
      const deleted = await tx.client.query(deleteThrough(through));
      await tx.client.query(raiseHorizon(through));
      return deleted.rowCount ?? 0;
    });
  }

  subscribe(listener: CommitListener): () => void {
    return this.feed.subscribe(listener);
  }
}
