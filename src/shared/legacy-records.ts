/**
 * Outbox records as the previous release (database version 1) wrote them, and their conversion
 * to the current format. Pure: the one upgrade function in db-schema.ts calls these.
 *
 * Version 1 had one loose review record for three operations (`op` absent or 'create', 'update',
 * 'delete'), and no `api`: its worker only ever sent to the app's own origin, so that is where
 * such a record belongs.
 */
import {
  type FavoriteRecord,
  type OutboxStatus,
  RECORD_FORMAT,
  type ReviewRecord,
  type UnreadableRecord,
} from './outbox-records';
import { newUuid } from './uuid';

/** `offline-favorites` in version 1. */
export interface LegacyFavorite {
  restaurant_id: number;
  is_favorite: boolean;
  stamp: string;
  queuedAt?: string;
  status: OutboxStatus;
  error?: string;
}

/** `offline-reviews` in version 1. */
export interface LegacyReview {
  local_id: number;
  op?: 'create' | 'update' | 'delete';
  review_id?: number;
  client_id: string;
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  createdAt: string;
  status: OutboxStatus;
  error?: string;
  attempts: number;
  uncertain?: boolean;
}

type Loose<T> = { [K in keyof T]?: unknown };

export function convertLegacyFavorite(raw: Loose<LegacyFavorite>, origin: string): FavoriteRecord | UnreadableRecord {
  const common = commonFields(raw, origin);
  if (typeof common === 'string') return unreadable(raw, origin, common);
  const wish = raw.is_favorite === true || raw.is_favorite === 'true' ? true : raw.is_favorite === false || raw.is_favorite === 'false' ? false : undefined;
  if (wish === undefined) return unreadable(raw, origin, 'it does not say whether to favorite or unfavorite');
  return {
    kind: 'favorite',
    ...common,
    is_favorite: wish,
    stamp: typeof raw.stamp === 'string' && raw.stamp ? raw.stamp : newUuid(),
  };
}

/** The record in the current format, keeping its `local_id` (so its replay order) when it has one. */
export function convertLegacyReview(
  raw: Loose<LegacyReview>,
  origin: string,
): (ReviewRecord | UnreadableRecord) & { local_id?: number } {
  const converted = convert(raw, origin);
  return typeof raw.local_id === 'number' ? { ...converted, local_id: raw.local_id } : converted;
}

function convert(raw: Loose<LegacyReview>, origin: string): ReviewRecord | UnreadableRecord {
  const common = commonFields(raw, origin);
  if (typeof common === 'string') return unreadable(raw, origin, common);
  const op = raw.op ?? 'create';
  if (op === 'delete') {
    const reviewId = integer(raw.review_id);
    if (reviewId === undefined) return unreadable(raw, origin, 'it does not say which review to delete');
    return { kind: 'review-delete', ...common, review_id: reviewId };
  }
  if (op !== 'create' && op !== 'update') return unreadable(raw, origin, `it asks for an unknown operation (${String(op)})`);
  const fields = reviewFields(raw);
  if (typeof fields === 'string') return unreadable(raw, origin, fields);
  if (op === 'update') {
    const reviewId = integer(raw.review_id);
    if (reviewId === undefined) return unreadable(raw, origin, 'it does not say which review to change');
    return { kind: 'review-edit', ...common, review_id: reviewId, ...fields };
  }
  const attempts = typeof raw.attempts === 'number' && raw.attempts >= 0 ? raw.attempts : 0;
  const hasId = typeof raw.client_id === 'string' && raw.client_id !== '';
  // Without its UUID, a review that was ever sent cannot be looked up: sending it again could double it.
  if (!hasId && attempts > 0) return unreadable(raw, origin, 'it may have been sent already, and has no id to check that by');
  return {
    kind: 'review-create',
    ...common,
    client_id: hasId ? (raw.client_id as string) : newUuid(),
    ...fields,
    createdAt: typeof raw.createdAt === 'string' && raw.createdAt ? raw.createdAt : new Date().toISOString(),
    attempts,
  };
}

/** The fields every record has, or why they cannot be made. */
function commonFields(raw: Loose<LegacyReview | LegacyFavorite>, origin: string) {
  const restaurantId = integer(raw.restaurant_id);
  if (restaurantId === undefined) return 'it does not say which restaurant it is for';
  const status: OutboxStatus = raw.status === 'failed' ? 'failed' : 'pending';
  const error = typeof raw.error === 'string' ? raw.error : undefined;
  return { v: RECORD_FORMAT as typeof RECORD_FORMAT, api: origin, restaurant_id: restaurantId, status, ...(error ? { error } : {}) };
}

function reviewFields(raw: Loose<LegacyReview>) {
  const { name, rating, comments } = raw;
  if (typeof name !== 'string' || typeof comments !== 'string') return 'its name or comments are missing';
  // A numeric string is what a form post gives; the server validates the range.
  const stars = typeof rating === 'number' ? rating : typeof rating === 'string' && rating.trim() ? Number(rating) : NaN;
  if (!Number.isFinite(stars)) return 'its rating is not a number';
  return { name, rating: stars, comments };
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function unreadable(raw: Loose<LegacyReview>, origin: string, why: string): UnreadableRecord {
  const restaurantId = integer(raw.restaurant_id);
  return {
    kind: 'unreadable',
    v: RECORD_FORMAT,
    api: origin,
    ...(restaurantId === undefined ? {} : { restaurant_id: restaurantId }),
    status: 'failed',
    error: `Saved by an earlier version of the app, and ${why}: it cannot be sent.`,
    original: raw,
  };
}
