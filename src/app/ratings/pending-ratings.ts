import type { StoredReviewSlot } from '../../shared/outbox-records';
import type { PendingRatings } from '../../shared/ratings';

/**
 * This device's review changes that wait to be sent, per restaurant, as they change its figure.
 * Refused ones (`failed`) are left out: they will not reach the server unless the person retries
 * them, and the failed-changes banner already shows them. An edit or deletion counts only when
 * the server's rating of that review is known (`serverRatings`, from the stored server copies);
 * without it the server's figure stays as it is until the change is delivered.
 */
export function pendingRatingsByRestaurant(
  queued: readonly StoredReviewSlot[],
  serverRatings: ReadonlyMap<number, number>,
): ReadonlyMap<number, PendingRatings> {
  const byRestaurant = new Map<number, { added: number[]; edited: Array<{ from: number; to: number }>; deleted: number[] }>();
  const entry = (id: number) => {
    let found = byRestaurant.get(id);
    if (!found) byRestaurant.set(id, (found = { added: [], edited: [], deleted: [] }));
    return found;
  };
  for (const record of queued) {
    if (record.kind === 'unreadable' || record.status !== 'pending') continue;
    if (record.kind === 'review-create') {
      entry(record.restaurant_id).added.push(record.rating);
      continue;
    }
    const from = serverRatings.get(record.review_id);
    if (from === undefined) continue;
    if (record.kind === 'review-edit') {
      if (record.rating !== from) entry(record.restaurant_id).edited.push({ from, to: record.rating });
    } else {
      entry(record.restaurant_id).deleted.push(from);
    }
  }
  return byRestaurant;
}

/** The server reviews whose rating the queued edits and deletions need (see above). */
export function reviewsChangedByPending(queued: readonly StoredReviewSlot[]): number[] {
  const ids = new Set<number>();
  for (const record of queued) {
    if ((record.kind === 'review-edit' || record.kind === 'review-delete') && record.status === 'pending') ids.add(record.review_id);
  }
  return [...ids].sort((a, b) => a - b);
}
