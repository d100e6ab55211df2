/**
 * Replays new reviews (`review-create` records), exactly once in effect:
 * - every review carries a client UUID, which our server uses to answer a re-sent POST with the
 *   stored review instead of a new one;
 * - a review already tried once (the answer may have been lost: timeout, reset, a closed tab) is
 *   first looked up by its UUID among the restaurant's reviews on its API, which covers servers
 *   that ignore the UUID, such as the original stage-3 server.
 */
import type { CreatedReview, Review } from './api';
import { isRetryable } from './api-client';
import type { StoredCreate } from './outbox-records';
import { type ReplayRun, messageOf } from './replay-run';
import { failReview } from './replay-changes';

const FLUSH_EVERY = 25;

export interface Delivered {
  sent: StoredCreate;
  review: CreatedReview;
}

export async function replayCreates(run: ReplayRun, due: StoredCreate[]): Promise<void> {
  const alreadyThere = await findDelivered(run, due.filter((r) => r.attempts > 1));

  const delivered: Delivered[] = [];
  const flush = async () => {
    if (!delivered.length) return;
    await settle(run, delivered.splice(0));
  };

  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      // Read it again just before sending: the person may have edited or deleted it meanwhile.
      const record = await run.db.get('offline-reviews', due[next++].local_id);
      if (record?.kind !== 'review-create' || record.status !== 'pending' || run.isHeld(record)) continue;
      const review = alreadyThere.get(lookupKey(record.api, record.client_id)) ?? (await send(run, record));
      if (review) {
        delivered.push({ sent: record, review });
        if (delivered.length >= FLUSH_EVERY) await flush();
      }
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, worker));
  await flush();
}

const lookupKey = (api: string, clientId: string) => `${api} ${clientId}`;

/** Reviews that a previous, unconfirmed attempt already delivered, by API and client UUID. */
async function findDelivered(run: ReplayRun, retried: StoredCreate[]): Promise<Map<string, Review>> {
  const found = new Map<string, Review>();
  const places = new Map(retried.map((r) => [`${r.api} ${r.restaurant_id}`, r]));
  for (const record of places.values()) {
    if (run.isHeld(record)) continue;
    try {
      const reviews = await run.api(record).reviewsOf(record.restaurant_id, { timeoutMs: run.timeoutMs });
      for (const review of reviews) if (review.client_id) found.set(lookupKey(record.api, review.client_id), review);
    } catch (error) {
      // Not knowing is not safe to send blind: treat it like any transient failure.
      if (isRetryable(error)) run.holdOn(error, record);
      // A 4xx here (say, an unknown restaurant) is answered by the POST itself.
    }
  }
  return found;
}

async function send(run: ReplayRun, record: StoredCreate): Promise<CreatedReview | undefined> {
  try {
    const { restaurant_id, name, rating, comments, client_id } = record;
    return await run.api(record).createReview({ restaurant_id, name, rating, comments, client_id }, { timeoutMs: run.timeoutMs });
  } catch (error) {
    if (isRetryable(error)) run.holdOn(error, record);
    else await failReview(run, record, messageOf(error));
    return undefined;
  }
}

/**
 * Stores the server's copies and clears their outbox records, in one transaction. If the person
 * edited or deleted a review while it was in flight, their record becomes an edit or deletion
 * of the review the server now has, instead of being lost.
 */
export async function settle(run: ReplayRun, delivered: Delivered[]): Promise<void> {
  const tx = run.db.transaction(['reviews', 'offline-reviews', 'own-reviews'], 'readwrite');
  const reviews = tx.objectStore('reviews');
  const outbox = tx.objectStore('offline-reviews');
  const own = tx.objectStore('own-reviews');
  await Promise.all(
    delivered.map(async ({ sent, review: { edit_token, ...review } }) => {
      // The token arrives once, with the 201: keep it, or this person can never edit the review.
      if (edit_token) await own.put({ review_id: review.id, restaurant_id: review.restaurant_id, edit_token });
      // A copy from an API whose data this device no longer shows is not cached.
      if (run.caches(sent)) await reviews.put(review);
      const common = { v: sent.v, api: sent.api, restaurant_id: sent.restaurant_id, review_id: review.id, local_id: sent.local_id };
      const current = await outbox.get(sent.local_id);
      if (!current || current.kind === 'review-delete') {
        // Discarded (or deleted) while in flight: delete what arrived.
        await outbox.put({ ...common, kind: 'review-delete', status: 'pending' });
      } else if (current.kind === 'review-create' && sameText(current, sent)) {
        await outbox.delete(sent.local_id);
      } else if (current.kind !== 'unreadable') {
        const { name, rating, comments, status } = current;
        await outbox.put({ ...common, kind: 'review-edit', name, rating, comments, status });
      }
    }),
  );
  await tx.done;
  run.outcome.reviewsSent += delivered.length;
  run.changed({ stores: ['reviews', 'offline-reviews', 'own-reviews'], restaurantIds: delivered.map((d) => d.review.restaurant_id) });
}

function sameText(a: StoredCreate, b: StoredCreate): boolean {
  return a.name === b.name && a.rating === b.rating && a.comments === b.comments;
}
