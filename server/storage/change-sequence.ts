/**
 * The change sequence: one counter, in the database, that numbers every committed write.
 *
 * Why a counter row and not wall-clock time or an in-memory number: the number is taken by an
 * UPDATE inside the write's own transaction, so
 * - it commits or rolls back together with the write (a write undone by its savepoint gives its
 *   number back; nothing ever points at a number that was not committed);
 * - writers are serialized on that row until they commit, so the order of the numbers is the
 *   order of the commits. Here that is given anyway (one connection, group commit, SQLite's single
 *   writer); on PostgreSQL (issue #11) the same statement keeps it, because the row lock taken by
 *   the UPDATE is held until COMMIT: a transaction that took number 6 cannot commit before the
 *   one holding 5 has, so a reader that has seen 6 can never later find a 5 it missed.
 * - another process writing the same file (a script, a second server) numbers its writes from
 *   the same counter.
 */
import type { Database, Statement } from 'better-sqlite3';

export class ChangeSequence {
  private readonly advance: Statement<[], number>;
  private readonly selectCurrent: Statement<[], number>;
  private readonly selectPrunedThrough: Statement<[], number>;

  constructor(db: Database) {
    this.advance = db
      .prepare<[], number>('UPDATE change_sequence SET value = value + 1 WHERE id = 1 RETURNING value')
      .pluck();
    this.selectCurrent = db.prepare<[], number>('SELECT value FROM change_sequence WHERE id = 1').pluck();
    this.selectPrunedThrough = db
      .prepare<[], number>('SELECT pruned_through FROM change_sequence WHERE id = 1')
      .pluck();
  }

  /** The number of the write being made. Call it inside that write's transaction only. */
  next(): number {
    const value = this.advance.get();
    if (value === undefined) throw new Error('change_sequence has no row');
    return value;
  }

  /** The newest committed number (read outside a write: nothing uncommitted is visible). */
  current(): number {
    return this.selectCurrent.get() ?? 0;
  }

  /** Tombstones up to this number were pruned: a cursor below it cannot be served. */
  prunedThrough(): number {
    return this.selectPrunedThrough.get() ?? 0;
  }
}

/**
 * Numbers the rows that have no number yet (seq 0): every row when a database from before the
 * change feed is upgraded, and rows a bulk script inserted directly (seed:large). They are
 * numbered after everything already numbered, in the order they were last updated, so a client
 * that pulls sees them as new changes. Run when the database is opened; costs one indexed
 * lookup when there is nothing to do.
 */
export function numberUnsequencedRows(db: Database): void {
  const pending = db
    .prepare<[], number>(
      `SELECT EXISTS (SELECT 1 FROM restaurants WHERE seq = 0)
           OR EXISTS (SELECT 1 FROM reviews WHERE seq = 0)`,
    )
    .pluck()
    .get();
  if (!pending) return;
  db.transaction(() => {
    db.exec(`
      CREATE TEMP TABLE numbering AS
        SELECT kind, id,
               (SELECT value FROM change_sequence WHERE id = 1)
                 + row_number() OVER (ORDER BY updated_at, kind, id) AS seq
        FROM (SELECT 0 AS kind, id, updated_at FROM restaurants WHERE seq = 0
              UNION ALL
              SELECT 1 AS kind, id, updated_at FROM reviews WHERE seq = 0);
      UPDATE restaurants SET seq = numbering.seq
        FROM numbering WHERE numbering.kind = 0 AND numbering.id = restaurants.id;
      UPDATE reviews SET seq = numbering.seq
        FROM numbering WHERE numbering.kind = 1 AND numbering.id = reviews.id;
      UPDATE change_sequence SET value = value + (SELECT count(*) FROM numbering) WHERE id = 1;
      DROP TABLE temp.numbering;
    `);
  }).immediate();
}
