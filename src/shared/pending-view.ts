/**
 * What a person sees: the server's data plus this device's pending changes, and which is which.
 *
 * Pure functions over what the stores hold (server copies in `restaurants` / `reviews`, changes in
 * the outbox stores). Nothing writes a pending change into a server copy; every view that shows
 * favorites or reviews goes through here, so there is one answer to "what does this look like now".
 * Only changes for `api` (the API the data came from) are laid over it; with `api` not known yet
 * (undefined), all of them are.
 */
import type { Restaurant, Review } from './api';
import {
  type FavoriteRecord,
  type OutboxStatus,
  type StoredChange,
  type StoredCreate,
  type StoredReviewSlot,
  isChange,
} from './outbox-records';

export type SyncState = 'synced' | OutboxStatus;

/** A restaurant as shown: the server's copy with this person's latest favorite wish. */
export interface RestaurantView extends Restaurant {
  /** Whether `is_favorite` is the server's ('synced') or a wish still waiting or refused. */
  readonly favoriteSync: SyncState;
  readonly favoriteError?: string;
}

/** A review as the page shows it: from the server, or still in this device's outbox. */
export interface ReviewItem {
  /** Stable across the move from outbox to server, for `@for` tracking. */
  readonly key: string;
  readonly id?: number;
  readonly localId?: number;
  readonly name: string;
  readonly rating: number;
  readonly comments: string;
  readonly createdAt: string;
  readonly restaurant_id: number;
  readonly sync: SyncState;
  /** What is waiting or was refused: a new review, or an edit or deletion of one on the server. */
  readonly change?: 'create' | 'edit' | 'delete';
  /** Why the server refused it, when `sync` is 'failed'. */
  readonly error?: string;
  /** Written on this device, so this person may edit or delete it. */
  readonly mine: boolean;
}

/** Whether a record was made for the API the data came from (`undefined`: not known yet, so yes). */
const forApi = (api: string | undefined) => (record: { api: string }) => api === undefined || record.api === api;

export function restaurantView(restaurant: Restaurant, wish: FavoriteRecord | undefined, api: string | undefined): RestaurantView {
  if (!wish || !forApi(api)(wish) || wish.restaurant_id !== restaurant.id) return { ...restaurant, favoriteSync: 'synced' };
  return {
    ...restaurant,
    // A refused wish still shows: the person decides (Retry or Discard) whether it stands.
    is_favorite: wish.is_favorite,
    favoriteSync: wish.status,
    ...(wish.error ? { favoriteError: wish.error } : {}),
  };
}

export function restaurantsView(restaurants: Restaurant[], wishes: FavoriteRecord[], api: string | undefined): RestaurantView[] {
  const byRestaurant = new Map(wishes.filter(forApi(api)).map((w) => [w.restaurant_id, w]));
  return restaurants.map((restaurant) => restaurantView(restaurant, byRestaurant.get(restaurant.id), api));
}

/** One restaurant's reviews, newest first: the server's, as changed by this person, plus the unsent ones. */
export function reviewsView(
  server: Review[],
  records: StoredReviewSlot[],
  ownReviewIds: Iterable<number>,
  api: string | undefined,
): ReviewItem[] {
  const mine = new Set(ownReviewIds);
  const ours = records.filter(forApi(api));
  const changes = new Map(ours.filter(isChange).map((r) => [r.review_id, r]));
  const delivered = new Set(server.map((r) => r.client_id).filter(Boolean));
  const items: ReviewItem[] = [];
  for (const review of server) {
    const change = changes.get(review.id);
    // A deletion waiting to be sent hides the review; a refused one shows it again, with why.
    if (change?.kind === 'review-delete' && change.status === 'pending') continue;
    items.push(change ? withChange(review, change, mine.has(review.id)) : fromServer(review, mine.has(review.id)));
  }
  for (const record of ours) {
    if (record.kind === 'review-create' && !delivered.has(record.client_id)) items.push(fromOutbox(record));
  }
  // ISO 8601 times in UTC order as plain strings; localeCompare would load ICU's collator first
  // (a long task on a page that is starting) and order nothing better.
  return items.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) || (b.id ?? 0) - (a.id ?? 0));
}

/**
 * The outbox status line and the "Not sent" list, for every API this device has changes for;
 * pending changes for an API other than `api` are also counted by API: they still go there.
 * Also the review records for `api` alone, for views that fold them into that API's figures.
 */
export function outboxSummary(favorites: FavoriteRecord[], reviews: StoredReviewSlot[], api?: string) {
  const pending = [...favorites, ...reviews].filter((r) => r.status === 'pending');
  const elsewhere = new Map<string, number>();
  for (const record of pending) if (!forApi(api)(record)) elsewhere.set(record.api, (elsewhere.get(record.api) ?? 0) + 1);
  return {
    pending: pending.length,
    waitingElsewhere: [...elsewhere].map(([api, count]) => ({ api, count })),
    failedFavorites: favorites.filter((f) => f.status === 'failed'),
    failedReviews: reviews.filter((r) => r.status === 'failed'),
    queuedReviews: reviews.filter(forApi(api)),
  };
}

function fromServer(review: Review, mine: boolean): ReviewItem {
  return {
    key: review.client_id ?? `server-${review.id}`,
    id: review.id,
    restaurant_id: review.restaurant_id,
    name: review.name,
    rating: review.rating,
    comments: review.comments,
    createdAt: review.createdAt,
    sync: 'synced',
    mine,
  };
}

/** The server's review as this person changed it, until the server confirms the change. */
function withChange(review: Review, change: StoredChange, mine: boolean): ReviewItem {
  const edited = change.kind === 'review-edit' ? { name: change.name, rating: change.rating, comments: change.comments } : {};
  return {
    ...fromServer(review, mine),
    ...edited,
    localId: change.local_id,
    sync: change.status,
    change: change.kind === 'review-edit' ? 'edit' : 'delete',
    ...(change.error ? { error: change.error } : {}),
  };
}

function fromOutbox(record: StoredCreate): ReviewItem {
  return {
    key: record.client_id,
    localId: record.local_id,
    restaurant_id: record.restaurant_id,
    name: record.name,
    rating: record.rating,
    comments: record.comments,
    createdAt: record.createdAt,
    sync: record.status,
    change: 'create',
    ...(record.error ? { error: record.error } : {}),
    mine: true,
  };
}
