import type { StoredReviewSlot } from '../../shared/outbox-records';

/**
 * The ratings of this device's new reviews that wait to be sent, per restaurant. Refused ones
 * (`failed`) are left out: they will not reach the server unless the person retries them, and
 * the failed-changes banner already shows them.
 */
export function pendingRatingsByRestaurant(
  queued: readonly StoredReviewSlot[],
): ReadonlyMap<number, readonly number[]> {
  const byRestaurant = new Map<number, number[]>();
  for (const record of queued) {
    if (record.kind !== 'review-create' || record.status !== 'pending') continue;
    const list = byRestaurant.get(record.restaurant_id);
    if (list) list.push(record.rating);
    else byRestaurant.set(record.restaurant_id, [record.rating]);
  }
  return byRestaurant;
}
