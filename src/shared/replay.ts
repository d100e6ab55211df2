/**
 * Replays the outbox (`offline-favorites`, `offline-reviews`) against each record's API.
 *
 * One implementation for both replayers: the service worker's `sync` handler and the page's
 * fallback where Background Sync is missing. A Web Lock makes sure only one of them runs at once.
 * This file orchestrates; each record kind has its own replayer:
 *   replay-favorites.ts  favorite wishes        replay-batch.ts    reviews in batches (our server)
 *   replay-creates.ts    new reviews, one by one (servers without the batch route)
 *   replay-changes.ts    edits and deletions, one by one           replay-run.ts  shared state of one run
 */
import { HttpError, NetworkError } from './api-client';
import type { AppDb } from './db-schema';
import { type StoredChange, type StoredCreate, isCurrent } from './outbox-records';
import { replayInBatches } from './replay-batch';
import { replayChanges } from './replay-changes';
import { replayCreates } from './replay-creates';
import { replayFavorites } from './replay-favorites';
import { RETRY_AFTER_KEY, type ReplayOutcome, ReplayRun, type ReplayRunOptions } from './replay-run';
import { REPLAY_LOCK } from './sync-protocol';

export { RETRY_AFTER_KEY, type ReplayOutcome } from './replay-run';

export interface ReplayOptions extends ReplayRunOptions {
  /** Replay only one part of the outbox (one sync tag); both when omitted. */
  only?: 'favorites' | 'reviews';
}

/** The replay stopped on a transient failure; the records are kept. Reject the sync event with it. */
export class RetryLaterError extends Error {
  constructor(
    readonly outcome: ReplayOutcome,
    override readonly cause?: unknown,
  ) {
    super(`${outcome.remaining} change(s) kept for a later retry: ${(cause as Error)?.message ?? 'server asked to wait'}`);
    this.name = 'RetryLaterError';
  }
}

/** Runs `task` while holding the replay lock, where the platform has Web Locks. */
export function withReplayLock<T>(task: () => Promise<T>): Promise<T> {
  // Windows and workers both have `navigator.locks`; very old browsers have neither.
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  return locks ? (locks.request(REPLAY_LOCK, task) as Promise<T>) : task();
}

export function replayOutbox(options: ReplayOptions): Promise<ReplayOutcome> {
  return withReplayLock(() => run(new ReplayRun(options), options.only));
}

/**
 * Waits before a failed replay is tried again, inside the same sync event (or page replay).
 *
 * Right after a reconnect the first requests can still fail for a moment: the network is not
 * quite up, or it flaps. The platform's own retry of a rejected sync comes minutes later (Chromium
 * waits 5 min), so a person who just came back online would watch "waiting to sync" for minutes.
 * Only failures to reach the server at all are retried here; what the server itself answers (429,
 * a 503 with Retry-After, refusals) is the server's to pace, and is not.
 */
export const QUICK_RETRIES_MS: readonly number[] = [1_000, 3_000, 9_000];

export interface PatientReplayOptions extends ReplayOptions {
  retriesMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** `replayOutbox`, tried again after QUICK_RETRIES_MS while the server cannot be reached. */
export async function replayOutboxPatiently({
  retriesMs = QUICK_RETRIES_MS,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ...options
}: PatientReplayOptions): Promise<ReplayOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await replayOutbox(options);
    } catch (error) {
      if (attempt >= retriesMs.length || !unreached(error)) throw error;
      // The lock is released meanwhile: the page or another context may replay in between.
      await sleep(retriesMs[attempt]!);
    }
  }
}

/** The replay stopped because the server could not be reached (not because it asked to wait). */
function unreached(error: unknown): boolean {
  if (!(error instanceof RetryLaterError) || error.outcome.retryAfterMs) return false;
  const cause = error.cause;
  // ngsw answers a page's request that could not reach the network with a made-up 504.
  return cause instanceof NetworkError || (cause instanceof HttpError && (cause.status === 502 || cause.status === 504));
}

/** Pending records left in the outbox (failed ones wait for the person, not for the network). */
export async function countPending(db: AppDb): Promise<{ favorites: number; reviews: number; failed: number }> {
  const tx = db.transaction(['offline-favorites', 'offline-reviews']);
  const [favorites, reviews] = await Promise.all([
    tx.objectStore('offline-favorites').getAll(),
    tx.objectStore('offline-reviews').getAll(),
  ]);
  const failed = [...favorites, ...reviews].filter((r) => r.status === 'failed').length;
  return {
    favorites: favorites.filter((f) => f.status === 'pending').length,
    reviews: reviews.filter((r) => r.status === 'pending').length,
    failed,
  };
}

async function run(replay: ReplayRun, only: ReplayOptions['only']): Promise<ReplayOutcome> {
  const { outcome } = replay;
  await replay.start();
  const waitMs = await backOffRemaining(replay);
  if (waitMs > 0) {
    outcome.retryAfterMs = waitMs;
    outcome.remaining = await countRemaining(replay.db, only);
    if (outcome.remaining) throw new RetryLaterError(outcome);
    return outcome;
  }
  if (only !== 'reviews') await replayFavorites(replay);
  // A transient failure holds back only its own API: the others go on.
  if (only !== 'favorites') await replayReviews(replay);

  outcome.remaining = await countRemaining(replay.db, only);
  replay.flush();
  if (outcome.reviewsSent || outcome.editsSent || outcome.favoritesSent || outcome.failed) {
    const { reviewsSent, editsSent, favoritesSent, failed, failures } = outcome;
    replay.notify({ type: 'replayed', reviewsSent, editsSent, favoritesSent, failed, failures });
  }
  if (replay.transient) throw new RetryLaterError(outcome, replay.transient);
  return outcome;
}

async function replayReviews(replay: ReplayRun): Promise<void> {
  // Settling a review can queue a follow-up (an edit or deletion made while it was in flight).
  for (let pass = 0; pass < 3; pass++) {
    const due = await dueReviews(replay);
    if (!due.creates.length && !due.changes.length) return;
    // In batches where the API has the route; what is left goes one request per review:
    // new reviews first (in parallel), then edits and deletions in the order they were made.
    const { creates, changes } = await replayInBatches(replay, due.creates, due.changes);
    if (creates.length) await replayCreates(replay, creates);
    await replayChanges(replay, changes);
  }
}

/**
 * The review records this run should send, read in two bulk requests (no cursor walk: at 5,000
 * queued reviews a walk cost seconds before the first request). Each new review's attempt is
 * counted later, just before it is sent (`markSending`), so nothing is written up front.
 */
async function dueReviews(replay: ReplayRun): Promise<{ creates: StoredCreate[]; changes: StoredChange[] }> {
  const tx = replay.db.transaction('offline-reviews');
  const [records, keys] = await Promise.all([tx.store.getAll(), tx.store.getAllKeys()]);
  await tx.done;
  const creates: StoredCreate[] = [];
  const changes: StoredChange[] = [];
  const unreadable: Array<{ key: number; value: unknown }> = [];
  for (const [i, record] of records.entries()) {
    if (record.kind === 'unreadable') continue;
    if (!isCurrent(record)) {
      unreadable.push({ key: keys[i]!, value: record });
    } else if (record.status !== 'pending' || replay.isHeld(record) || !replay.reachable(record, `review ${record.local_id}`)) {
      // Failed, held back (its API failed in this run), or not reachable from here: left as it is.
      continue;
    } else if (record.kind === 'review-create') {
      creates.push(record);
    } else {
      changes.push(record);
    }
  }
  for (const { key, value } of unreadable) await replay.setAside('offline-reviews', key, value);
  return { creates, changes };
}

async function backOffRemaining(replay: ReplayRun): Promise<number> {
  const until = (await replay.db.get('meta', RETRY_AFTER_KEY))?.value;
  return typeof until === 'number' ? Math.max(0, until - replay.now()) : 0;
}

async function countRemaining(db: AppDb, only: ReplayOptions['only']): Promise<number> {
  const { favorites, reviews } = await countPending(db);
  return (only === 'reviews' ? 0 : favorites) + (only === 'favorites' ? 0 : reviews);
}
