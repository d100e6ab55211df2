/**
 * Every write on PostgreSQL runs in `PgWrites.run`: one transaction that first locks the one row
 * of `change_sequence` (SELECT … FOR UPDATE), then does its work, then, if it changed anything,
 * stores the next change number and write time in that row, sends NOTIFY with the number, and
 * commits. The promise resolves after COMMIT returned (synchronous_commit on: the commit record
 * is flushed to disk), so a write is acknowledged only once PostgreSQL has made it durable.
 *
 * Why one lock for all writers, across all servers:
 * - **Change numbers follow commit order.** The row lock is held until COMMIT, so a transaction
 *   that takes number 6 cannot commit before the one holding 5 has, and by then 5 is visible to
 *   every new snapshot (a transaction becomes visible before its locks are released). A reader
 *   that has seen cursor 6 can never later find a 5 it missed. A plain SEQUENCE would not do:
 *   numbers are taken in one order and committed in another.
 * - **Write times never repeat and never go backwards**, across servers whose clocks differ:
 *   the newest one is stored in the same row (`clock`), and the next is later than it.
 * - **Checks and the writes that depend on them cannot interleave**: the client_id lookup of an
 *   idempotent POST runs after the lock, so it sees a duplicate committed by another server a
 *   moment earlier (READ COMMITTED: each statement sees what was committed before it began). The
 *   unique index on lower(client_id) stays the last line of defence (review store).
 * This is what the SQLite backend gets from its single writer. The cost is that writes are
 * serialized: each holds the lock for a few round trips. Writes here are small, and reads never
 * take the lock.
 *
 * NOTIFY inside the transaction is delivered at COMMIT and only then, with the number in the
 * payload, to every server's listener (pg-listener.ts).
 */
import type { Pool, PoolClient } from 'pg';
import { CHANGES_CHANNEL, statement, withClient } from './pg-sql.ts';

const lockCounter = statement('lock-counter', 'SELECT value, clock FROM change_sequence WHERE id = 1 FOR UPDATE');
const storeCounter = statement('store-counter', 'UPDATE change_sequence SET value = $1, clock = $2 WHERE id = 1');
const notify = statement('notify', 'SELECT pg_notify($1, $2)');

export class WriteTransaction {
  private changed = false;

  constructor(
    readonly client: PoolClient,
    private sequence: number,
    private clock: number,
  ) {}

  /** A write time: later than every one stored so far, by any server. */
  now(): number {
    const wall = Date.now();
    this.clock = wall > this.clock ? wall : this.clock + 1;
    return this.clock;
  }

  /** The change number of this write. Take it only when the write really changes something. */
  nextSeq(): number {
    this.changed = true;
    return ++this.sequence;
  }

  /** The number and time to store, or undefined when nothing was changed. */
  get advanced(): { sequence: number; clock: number } | undefined {
    return this.changed ? { sequence: this.sequence, clock: this.clock } : undefined;
  }
}

export class PgWrites {
  constructor(
    private readonly pool: Pool,
    /** Runs after every COMMIT that advanced the sequence, with the new cursor. */
    private readonly onCommit: (cursor: number) => void,
  ) {}

  run<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    return withClient(this.pool, async (client) => {
      await client.query('BEGIN');
      const { rows } = await client.query<[number, number]>(lockCounter());
      const [value, clock] = rows[0] ?? [];
      if (value === undefined || clock === undefined) throw new Error('change_sequence has no row');
      const tx = new WriteTransaction(client, value, clock);
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      const advanced = tx.advanced;
      if (advanced) {
        await client.query(storeCounter(advanced.sequence, advanced.clock));
        await client.query(notify(CHANGES_CHANNEL, String(advanced.sequence)));
      }
      await client.query('COMMIT');
      if (advanced) this.onCommit(advanced.sequence);
      return result;
    });
  }
}
