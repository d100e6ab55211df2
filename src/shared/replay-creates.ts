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
import type { StoredCreate, StoredReview } from './outbox-records';
import { type ReplayRun, messageOf } from './replay-run';
import { failReview } from './replay-changes';
import { deleteMany, readMany } from './outbox-bulk';

const FLUSH_EVERY = 25;

export interface Delivered {
  sent: StoredCreate;
  review: CreatedReview;
}

export async function replayCreates(run: ReplayRun, due: StoredCreate[]): Promise<void> {
  // Tried before (in an earlier run): the answer may have been lost, so look before sending.
  const alreadyThere = await findDelivered(run, due.filter((r) => r.attempts > 0));

  const delivered: Delivered[] = [];
  const flush = async () => {
    if (!delivered.length) return;
    await settle(run, delivered.splice(0));
  };

  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const [record] = (await markSending(run, [due[next++]!])) as StoredCreate[];
      if (!record || run.isHeld(record)) continue;
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

/**
 * Reads the records again just before they are sent (the person may have edited, deleted or
 * discarded one meanwhile) and counts one more attempt for each new review, in one transaction:
 * if this context dies mid-send, the next replay knows these may have arrived. Returns the
 * current records that are still pending and of the same kind.
 */
export async function markSending(run: ReplayRun, records: StoredReview[]): Promise<StoredReview[]> {
  const tx = run.db.transaction('offline-reviews', 'readwrite');
  const { found } = await readMany(tx.store, records.map((r) => r.local_id), (r) => r.local_id);
  const sending: StoredReview[] = [];
  const writes: Promise<unknown>[] = [];
  for (const before of records) {
    const record = found.get(before.local_id);
    if (!record || record.kind !== before.kind || record.status !== 'pending') continue;
    if (record.kind === 'review-create') {
      const tried = { ...record, attempts: record.attempts + 1 };
      writes.push(tx.store.put(tried));
      sending.push(tried);
    } else {
      sending.push(record as StoredReview);
    }
  }
  await Promise.all(writes);
  await tx.done;
  return sending;
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
  const read = await readMany(outbox, delivered.map((d) => d.sent.local_id), (r) => r.local_id);
  const cleared: number[] = [];
  const writes: Promise<unknown>[] = [];
  for (const { sent, review: { edit_token, ...review } } of delivered) {
    // The token arrives once, with the 201: keep it, or this person can never edit the review.
    if (edit_token) writes.push(own.put({ review_id: review.id, restaurant_id: review.restaurant_id, edit_token }));
    // A copy from an API whose data this device no longer shows is not cached.
    if (run.caches(sent)) writes.push(reviews.put(review));
    const common = { v: sent.v, api: sent.api, restaurant_id: sent.restaurant_id, review_id: review.id, local_id: sent.local_id };
    const current = read.found.get(sent.local_id);
    if (!current || current.kind === 'review-delete') {
      // Discarded (or deleted) while in flight: delete what arrived.
      writes.push(outbox.put({ ...common, kind: 'review-delete', status: 'pending' }));
    } else if (current.kind === 'review-create' && sameText(current, sent)) {
      cleared.push(sent.local_id);
    } else if (current.kind !== 'unreadable') {
      const { name, rating, comments, status } = current;
      writes.push(outbox.put({ ...common, kind: 'review-edit', name, rating, comments, status }));
    }
  }
  writes.push(deleteMany(outbox, cleared, read));
  await Promise.all(writes);
  await tx.done;
  run.outcome.reviewsSent += delivered.length;
  run.changed({ stores: ['reviews', 'offline-reviews', 'own-reviews'], restaurantIds: delivered.map((d) => d.review.restaurant_id) });
}

function sameText(a: StoredCreate, b: StoredCreate): boolean {
  return a.name === b.name && a.rating === b.rating && a.comments === b.comments;
}
