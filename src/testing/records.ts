/**
 * Outbox records in the current format, for tests (Karma and e2e) that put records straight into
 * IndexedDB. Typed by src/shared/outbox-records.ts, so a change of format breaks them at compile time.
 */
import {
  type FavoriteRecord,
  RECORD_FORMAT,
  type ReviewCreateRecord,
  type ReviewDeleteRecord,
  type ReviewEditRecord,
  type StoredReviewSlot,
} from '../shared/outbox-records';

/** The API of a Karma test: the page's origin. e2e tests (Node, no location) pass `api` themselves. */
export const testApi = (): string => (globalThis as { location?: Location }).location?.origin ?? '';

export function reviewCreate(overrides: Partial<ReviewCreateRecord> = {}): ReviewCreateRecord {
  return {
    kind: 'review-create',
    v: RECORD_FORMAT,
    api: testApi(),
    client_id: crypto.randomUUID(),
    restaurant_id: 1,
    name: 'Ana',
    rating: 4,
    comments: 'Lovely noodles',
    createdAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    ...overrides,
  };
}

export function reviewEdit(reviewId: number, overrides: Partial<ReviewEditRecord> = {}): ReviewEditRecord {
  return {
    kind: 'review-edit',
    v: RECORD_FORMAT,
    api: testApi(),
    review_id: reviewId,
    restaurant_id: 1,
    name: 'Ana',
    rating: 4,
    comments: 'Lovely noodles',
    status: 'pending',
    ...overrides,
  };
}

export function reviewDelete(reviewId: number, overrides: Partial<ReviewDeleteRecord> = {}): ReviewDeleteRecord {
  return { kind: 'review-delete', v: RECORD_FORMAT, api: testApi(), review_id: reviewId, restaurant_id: 1, status: 'pending', ...overrides };
}

export function favorite(restaurantId: number, isFavorite: boolean, overrides: Partial<FavoriteRecord> = {}): FavoriteRecord {
  return {
    kind: 'favorite',
    v: RECORD_FORMAT,
    api: testApi(),
    restaurant_id: restaurantId,
    is_favorite: isFavorite,
    stamp: crypto.randomUUID(),
    status: 'pending',
    ...overrides,
  };
}

/** `db.add('offline-reviews', …)` takes a record without its key; the store assigns it. */
export const unkeyed = (record: ReviewCreateRecord | ReviewEditRecord | ReviewDeleteRecord) => record as StoredReviewSlot;
