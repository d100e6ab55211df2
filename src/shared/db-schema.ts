/**
 * The one owner of the IndexedDB schema: name, version, stores and upgrade.
 * The app and the service worker both open the database through `openAppDb`, so a new worker
 * (ngsw takes over open tabs at once) and an old tab can never disagree about its shape.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, openDB } from 'idb';
import type { Restaurant, Review } from './api';
import { type LegacyFavorite, type LegacyReview, convertLegacyFavorite, convertLegacyReview } from './legacy-records';
import type { FavoriteRecord, StoredReviewSlot } from './outbox-records';

export const DB_NAME = 'restaurant-reviews';
/** 1: the first release. 2: typed outbox records with a format version and their API (outbox-records.ts). */
export const DB_VERSION = 2;

/** Every store, for code outside src/ (e2e, bench) that reads the database raw. */
export const STORE_NAMES = ['restaurants', 'reviews', 'offline-favorites', 'offline-reviews', 'own-reviews', 'meta'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

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

/**
 * Meta key of the change-feed cursor (src/shared/change-pull.ts). The value names the API it came
 * from: a cursor is a position in one server's change sequence and means nothing to another.
 */
export const CHANGE_CURSOR_META_KEY = 'changeCursor';

export interface ChangeCursor {
  /** The absolute API base URL whose feed handed it out. */
  api: string;
  cursor: number;
}

/** `restaurants`, `reviews`: the server's copies only. The outbox stores: this device's changes. */
export interface AppDbSchema extends DBSchema {
  restaurants: { key: number; value: Restaurant };
  reviews: { key: number; value: Review; indexes: { restaurant_id: number } };
  'offline-favorites': { key: number; value: FavoriteRecord };
  'offline-reviews': { key: number; value: StoredReviewSlot; indexes: { restaurant_id: number } };
  'own-reviews': { key: number; value: OwnReview };
  meta: { key: string; value: MetaRecord };
}

export type AppDb = IDBPDatabase<AppDbSchema>;
type UpgradeTx = IDBPTransaction<AppDbSchema, StoreNames<AppDbSchema>[], 'versionchange'>;

export interface OpenOptions {
  name?: string;
  /** Where records of version 1 (which had no `api`) belong: the origin that wrote them. */
  legacyOrigin?: string;
}

/** Opens (and creates or upgrades) the database. Each upgrade step runs once, in order. */
export function openAppDb({ name = DB_NAME, legacyOrigin = globalThis.location.origin }: OpenOptions = {}): Promise<AppDb> {
  return openDB<AppDbSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      // Each step runs once, in order: a fresh install runs them all, an old one only what it lacks.
      if (oldVersion < 1) {
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
      if (oldVersion < 2) await convertOutbox(tx, legacyOrigin);
    },
    // Another context (a new worker or tab) wants a newer schema: let it, and reopen lazily.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/**
 * Version 1 → 2: every outbox record in the previous format becomes a typed record bound to the
 * origin that wrote it; one that cannot be converted is kept as "Not sent", with the reason.
 * Inside the upgrade transaction: no context can read a half-converted outbox.
 */
async function convertOutbox(tx: UpgradeTx, origin: string): Promise<void> {
  const reviews = tx.objectStore('offline-reviews');
  for (let cursor = await reviews.openCursor(); cursor; cursor = await cursor.continue()) {
    await cursor.update(convertLegacyReview(cursor.value as unknown as LegacyReview, origin) as StoredReviewSlot);
  }
  const favorites = tx.objectStore('offline-favorites');
  for (let cursor = await favorites.openCursor(); cursor; cursor = await cursor.continue()) {
    const converted = convertLegacyFavorite(cursor.value as unknown as LegacyFavorite, origin);
    if (converted.kind === 'favorite') {
      await cursor.update(converted);
    } else {
      // Its key slot goes back to the restaurant, so a new toggle works; the record itself is kept.
      await reviews.add(converted as StoredReviewSlot);
      await cursor.delete();
    }
  }
}

/**
 * One lazily opened database per context (page or worker). A failed open is retried on the next
 * call; a connection closed for a newer schema is forgotten, so the next call opens afresh.
 */
export function appDbOpener(open: () => Promise<AppDb> = () => openAppDb()): () => Promise<AppDb> {
  let opened: Promise<AppDb> | undefined;
  return () => {
    opened ??= open().then(
      (db) => {
        const forget = () => (opened = undefined);
        db.addEventListener('versionchange', forget);
        db.addEventListener('close', forget);
        return db;
      },
      (error: unknown) => {
        opened = undefined;
        throw error;
      },
    );
    return opened;
  };
}
