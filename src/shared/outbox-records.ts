/**
 * The outbox as a typed mutation log: what this device changed and the server has not confirmed.
 *
 * One record kind per operation, each with exactly the fields it needs. The stores keep server
 * copies only; what a person sees is computed from both (src/shared/pending-view.ts).
 *
 *   offline-favorites  FavoriteRecord, keyed by restaurant_id: one latest wish per restaurant
 *   offline-reviews    ReviewRecord, auto-increment local_id (replay order), index restaurant_id
 */

/**
 * The record format this code writes and replays. A record of another format never reaches
 * the network: the upgrade in db-schema.ts converts older ones, and anything else is "Not sent".
 */
export const RECORD_FORMAT = 2;

export type OutboxStatus = 'pending' | 'failed';

/** What every outbox record carries, whatever its kind. */
interface RecordBase {
  /** The format it was written in (RECORD_FORMAT). */
  v: typeof RECORD_FORMAT;
  /**
   * The absolute API base URL (no trailing slash) it must be delivered to, fixed when written:
   * a record is only ever sent to, and settled by, that API.
   */
  api: string;
  restaurant_id: number;
  /** 'failed': the server refused it for good (or it could not be read); it waits for the person. */
  status: OutboxStatus;
  /** Why it failed, in words for the person. */
  error?: string;
}

/** The latest favorite wish for one restaurant. One record per restaurant: the last toggle wins. */
export interface FavoriteRecord extends RecordBase {
  kind: 'favorite';
  is_favorite: boolean;
  /**
   * Changes on every toggle. The replayer deletes the record only if the stamp is still the one
   * it sent, so a toggle made while a PUT was in flight is not lost.
   */
  stamp: string;
  /**
   * When the person made this wish (epoch ms, this device's clock), sent as `wished_at`: the
   * server keeps the later of two wishes from different devices, and clamps times to its clock.
   * Records written before the rule carry none; they are sent as wishes made now.
   */
  wished_at?: number;
}

/** A new review, not yet confirmed by the server. */
export interface ReviewCreateRecord extends RecordBase {
  kind: 'review-create';
  /** Client UUID: makes a re-sent POST harmless on our server, and findable on the original one. */
  client_id: string;
  name: string;
  rating: number;
  comments: string;
  createdAt: string;
  /**
   * Sends started, counted before each send. Above zero, an earlier send may have arrived unseen
   * (timeout, reset, a closed tab), so the replayer first looks the review up by `client_id`.
   */
  attempts: number;
}

/** An edit of one of this person's reviews already on the server. */
export interface ReviewEditRecord extends RecordBase {
  kind: 'review-edit';
  review_id: number;
  name: string;
  rating: number;
  comments: string;
}

/** A deletion of one of this person's reviews already on the server. */
export interface ReviewDeleteRecord extends RecordBase {
  kind: 'review-delete';
  review_id: number;
}

/**
 * A record an app update could not convert (see db-schema.ts). Kept, so nothing the person wrote
 * is lost, and shown as "Not sent" with the reason; never replayed, only discarded by the person.
 */
export interface UnreadableRecord {
  kind: 'unreadable';
  v: typeof RECORD_FORMAT;
  api: string;
  restaurant_id?: number;
  status: 'failed';
  error: string;
  /** The record as it was found. */
  original: unknown;
}

export type ReviewRecord = ReviewCreateRecord | ReviewEditRecord | ReviewDeleteRecord;
export type OutboxRecord = FavoriteRecord | ReviewRecord | UnreadableRecord;

/** As read from `offline-reviews`: the store has assigned the key. */
export type Stored<R extends ReviewRecord | UnreadableRecord> = R & { local_id: number };
export type StoredCreate = Stored<ReviewCreateRecord>;
export type StoredChange = Stored<ReviewEditRecord> | Stored<ReviewDeleteRecord>;
export type StoredReview = StoredCreate | StoredChange;
/** Everything `offline-reviews` may hold. */
export type StoredReviewSlot = StoredReview | Stored<UnreadableRecord>;

export type ReviewFields = Pick<ReviewCreateRecord, 'name' | 'rating' | 'comments'>;

/** A record in a format this code does not know (a newer release, a damaged write): never sent. */
export function isCurrent(record: { v?: unknown; kind?: unknown; api?: unknown }): boolean {
  return record.v === RECORD_FORMAT && typeof record.api === 'string' && record.api !== '';
}

export function isChange(record: StoredReviewSlot): record is StoredChange {
  return record.kind === 'review-edit' || record.kind === 'review-delete';
}

export function isReview(record: StoredReviewSlot): record is StoredReview {
  return record.kind !== 'unreadable';
}

/**
 * The absolute form of an API base URL: an empty or relative setting is resolved against the
 * page's (or worker's) origin, so the record still names the same server when read elsewhere.
 */
export function absoluteApiBase(baseUrl: string, origin: string): string {
  return new URL(baseUrl || '/', origin).href.replace(/\/+$/, '');
}

/** Who sent what, for the "Not sent" list and the replay's failure messages. */
export function describeRecord(record: OutboxRecord): string {
  switch (record.kind) {
    case 'favorite':
      return `Favorite for restaurant ${record.restaurant_id}`;
    case 'review-create':
      return `Review by ${record.name}`;
    case 'review-edit':
      return `Edit of the review by ${record.name}`;
    case 'review-delete':
      return `Deletion of review ${record.review_id}`;
    case 'unreadable':
      return 'A change';
  }
}
