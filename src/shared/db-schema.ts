/**
 * The one owner of the IndexedDB schema: name, version, stores and upgrade.
 * The app and the service worker both open the database through `openAppDb`, so a new worker
 * (ngsw takes over open tabs at once) and an old tab can never disagree about its shape.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Restaurant, Review } from './api';

export const DB_NAME = 'restaurant-reviews';
export const DB_VERSION = 1;

export type OutboxStatus = 'pending' | 'failed';

/** The latest favorite wish for one restaurant. One record per restaurant: the last toggle wins. */
export interface OfflineFavorite {
  restaurant_id: number;
  /** The API it must be delivered to (see `api` on OfflineReview). */
  api?: string;
  is_favorite: boolean;
  /**
   * Changes on every toggle. The replayer deletes the record only if the stamp is still the one
   * it sent, so a toggle made while a PUT was in flight is not lost.
   */
  stamp: string;
  queuedAt: string;
  status: OutboxStatus;
  error?: string;
}

/**
 * A review change made by this person that the server has not confirmed yet: a new review
 * (`op` absent or 'create'), or an edit or deletion of one of their reviews already on the server.
 */
export interface OfflineReview {
  /** Auto-increment key; absent until stored. Replays go in this order. */
  local_id?: number;
  op?: 'create' | 'update' | 'delete';
  /** The server's id of the review an update or delete is for. */
  review_id?: number;
  /**
   * The absolute API base URL (no trailing slash) this change must be delivered to, fixed when it
   * was written. Absent on records of the previous release, which only ever sent to the app's own
   * origin: those belong to `self.location.origin` (see `apiOfRecord` in replay.ts).
   */
  api?: string;
  /** Client UUID: makes a re-sent POST harmless on our server, and findable on the original one. */
  client_id: string;
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  createdAt: string;
  status: OutboxStatus;
  /** The server's message when it refused the review for good. */
  error?: string;
  attempts: number;
  /**
   * Set when a send may have reached the server without our seeing the answer (timeout, reset).
   * Before sending again, the replayer looks for `client_id` among the restaurant's reviews.
   */
  uncertain?: boolean;
}

/** The secret that lets this device edit or delete a review it created (never sent by GETs). */
export interface OwnReview {
  review_id: number;
  restaurant_id: number;
  edit_token: string;
}

/** Small key/value facts the app and the worker share (sync cursors, back-off deadlines). */
export interface MetaRecord {
  key: string;
  value: unknown;
}

export interface AppDbSchema extends DBSchema {
  restaurants: { key: number; value: Restaurant };
  reviews: { key: number; value: Review; indexes: { restaurant_id: number } };
  'offline-favorites': { key: number; value: OfflineFavorite };
  'offline-reviews': { key: number; value: OfflineReview; indexes: { restaurant_id: number } };
  'own-reviews': { key: number; value: OwnReview };
  meta: { key: string; value: MetaRecord };
}

export type AppDb = IDBPDatabase<AppDbSchema>;
export type StoreName = 'restaurants' | 'reviews' | 'offline-favorites' | 'offline-reviews' | 'own-reviews' | 'meta';

/** Opens (and creates or upgrades) the database. Each upgrade step runs once, in order. */
export function openAppDb(name = DB_NAME): Promise<AppDb> {
  return openDB<AppDbSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Fall through on purpose: a fresh install runs every step, an old one only the new steps.
      switch (oldVersion) {
        case 0: {
          db.createObjectStore('restaurants', { keyPath: 'id' });
          db.createObjectStore('reviews', { keyPath: 'id' }).createIndex('restaurant_id', 'restaurant_id');
          db.createObjectStore('offline-favorites', { keyPath: 'restaurant_id' });
          db.createObjectStore('offline-reviews', { keyPath: 'local_id', autoIncrement: true }).createIndex(
            'restaurant_id',
            'restaurant_id',
          );
          db.createObjectStore('own-reviews', { keyPath: 'review_id' });
          db.createObjectStore('meta', { keyPath: 'key' });
        }
      }
    },
    // Another context (a new worker or tab) wants a newer schema: let it, and reopen lazily.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}
