/**
 * Replays edits and deletions of this person's reviews already on the server, in the order they
 * were made. Each is proven theirs by the edit token the server gave with the review's 201.
 * PUT and DELETE are idempotent, so a re-send after a lost answer is harmless.
 */
import type { Review } from './api';
import { isRetryable } from './api-client';
import type { StoredChange, StoredReview } from './outbox-records';
import { type ReplayRun, messageOf } from './replay-run';

export async function replayChanges(run: ReplayRun, due: StoredChange[]): Promise<void> {
  for (const change of due) {
    if (run.isHeld(change)) continue;
    await send(run, change);
  }
}

async function send(run: ReplayRun, record: StoredChange): Promise<void> {
  const own = await run.db.get('own-reviews', record.review_id);
  if (!own) return failReview(run, record, 'This device has no edit token for that review');
  const api = run.api(record);
  const options = { timeoutMs: run.timeoutMs };
  try {
    let updated: Review | undefined;
    if (record.kind === 'review-edit') {
      const { name, rating, comments } = record;
      updated = await api.updateReview(record.review_id, { name, rating, comments, edit_token: own.edit_token }, options);
    } else {
      await api.deleteReview(record.review_id, own.edit_token, options);
    }
    await settleChange(run, record, updated);
  } catch (error) {
    if (isRetryable(error)) run.holdOn(error, record);
    else await failReview(run, record, messageOf(error));
  }
}

/**
 * The server confirmed an edit (`updated`: its copy) or a deletion (`undefined`): the copy is
 * stored (or removed) and the record cleared, in one transaction.
 */
export async function settleChange(run: ReplayRun, record: StoredChange, updated: Review | undefined): Promise<void> {
  const tx = run.db.transaction(['reviews', 'offline-reviews', 'own-reviews'], 'readwrite');
  // Copies from an API whose data this device no longer shows are not cached.
  if (updated) {
    if (run.caches(record)) await tx.objectStore('reviews').put(updated);
  } else {
    if (run.caches(record)) await tx.objectStore('reviews').delete(record.review_id);
    await tx.objectStore('own-reviews').delete(record.review_id);
  }
  await tx.objectStore('offline-reviews').delete(record.local_id);
  await tx.done;
  run.outcome.editsSent++;
  run.changed({ stores: ['reviews', 'offline-reviews', 'own-reviews'], restaurantIds: [record.restaurant_id] });
}

/** Marks a review record "Not sent" with the server's reason; it waits for the person. */
export async function failReview(run: ReplayRun, record: StoredReview, message: string): Promise<void> {
  const tx = run.db.transaction('offline-reviews', 'readwrite');
  const current = await tx.store.get(record.local_id);
  // The person may have discarded it meanwhile; then there is nothing to mark.
  if (current && current.kind !== 'unreadable') await tx.store.put({ ...current, status: 'failed', error: message });
  await tx.done;
  run.refused(record, message, { stores: ['offline-reviews'], restaurantIds: [record.restaurant_id] });
}
