/**
 * Group commit: every write that arrives during one turn of the event loop is committed in one
 * SQLite transaction, so that many acknowledged writes share one fsync.
 *
 * Why: the server acknowledges a write only once it is durable (synchronous=FULL, see
 * database.ts), and an fsync costs far more than the write itself (about 0.3 ms on the target
 * machines, more under load). One commit per request would cap POST throughput near the disk's
 * fsync rate; batching keeps the same guarantee and lets throughput follow the CPU instead.
 *
 * Semantics, as seen by a caller of `run(work)`:
 * - `work` runs inside the batch's transaction, in its own SAVEPOINT: if it throws, only its own
 *   changes are undone and only its promise rejects; the rest of the batch commits.
 * - The promise settles after COMMIT returned, i.e. after the fsync. A caller that answers the
 *   client when the promise resolves never acknowledges a write that could still be lost.
 * - If the COMMIT itself fails (disk full, I/O error, lock timeout), nothing of the batch was
 *   written and every promise of the batch rejects.
 * - Jobs run in arrival order, synchronously, one batch at a time: a job sees the effects of the
 *   jobs queued before it (two POSTs with one client_id in one batch: the second is a replay).
 *   Reads outside `run` never see a batch half-done, since the batch never yields the event loop.
 *
 * At low load a batch holds one write and this costs one setImmediate of latency.
 */
import type { Database, Transaction } from 'better-sqlite3';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

export class GroupCommit {
  private queue: Job[] = [];
  private flushScheduled = false;
  private readonly commitBatch: Transaction<(jobs: Job[]) => void>;

  /** `onCommit` runs after every successful COMMIT (the live notices hang off it). */
  constructor(
    db: Database,
    private readonly onCommit: () => void = () => {},
  ) {
    // Called inside commitBatch, a better-sqlite3 transaction function becomes a SAVEPOINT.
    const inSavepoint = db.transaction((work: () => unknown) => work());
    this.commitBatch = db.transaction((jobs: Job[]) => {
      for (const job of jobs) {
        try {
          job.outcome = { ok: true, value: inSavepoint(job.work) };
        } catch (error) {
          job.outcome = { ok: false, error };
        }
      }
    });
  }

  /** Runs `work` in the next batch; settles once the batch is durably committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now; used on close so that no queued write is dropped. */
  flush(): void {
    this.flushScheduled = false;
    const jobs = this.queue;
    if (jobs.length === 0) return;
    this.queue = [];
    try {
      // IMMEDIATE takes the write lock up front: another process holding it makes us wait
      // (busy_timeout) instead of failing halfway through the batch.
      this.commitBatch.immediate(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    for (const job of jobs) {
      const outcome = job.outcome;
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome ? outcome.error : new Error('write was not run'));
    }
    this.onCommit();
  }
}
