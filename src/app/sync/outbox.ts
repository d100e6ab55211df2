import { Injectable, inject } from '@angular/core';
import type { IDBPObjectStore } from 'idb';
import type { NewReview } from '../../shared/api';
import type { AppDbSchema, StoreName } from '../../shared/db-schema';
import {
  type FavoriteRecord,
  RECORD_FORMAT,
  type ReviewFields,
  type StoredChange,
  type StoredCreate,
  type StoredReviewSlot,
  isChange,
} from '../../shared/outbox-records';
import type { ChangeScope } from '../../shared/sync-protocol';
import { newUuid } from '../../shared/uuid';
import { Database } from '../core/database';
import { ApiTarget } from './api-target';
import { Delivery } from './delivery';
import { SyncEvents } from './sync-events';

/** A review as the person wrote it, before it has a client id or a place in the outbox. */
export type ReviewDraft = Omit<NewReview, 'client_id'>;
export type ReviewChanges = ReviewFields;
/** Which review: a queued one by `localId`, one on the server by `id`. */
export interface ReviewTarget {
  restaurant_id: number;
  id?: number;
  localId?: number;
}

type OutboxStore = IDBPObjectStore<AppDbSchema, ArrayLike<StoreName>, 'offline-reviews', 'readwrite'>;

/**
 * The only way a write leaves the app: first into IndexedDB as a typed outbox record
 * (src/shared/outbox-records.ts), then out to the server, which `Delivery` arranges.
 */
@Injectable({ providedIn: 'root' })
export class Outbox {
  private readonly database = inject(Database);
  private readonly target = inject(ApiTarget);
  private readonly events = inject(SyncEvents);
  private readonly delivery = inject(Delivery);
  private askedForPersistence = false;

  /** The latest wish per restaurant replaces any earlier one; the server copy stays as it is. */
  async setFavorite(restaurantId: number, isFavorite: boolean): Promise<void> {
    const common = await this.common(restaurantId);
    const db = await this.database.get();
    await db.put('offline-favorites', {
      kind: 'favorite',
      ...common,
      is_favorite: isFavorite,
      stamp: newUuid(),
      wished_at: Date.now(),
    });
    this.queued('favorites', restaurantId);
  }

  async addReview(draft: ReviewDraft): Promise<StoredCreate> {
    const common = await this.common(draft.restaurant_id);
    const db = await this.database.get();
    const record = {
      kind: 'review-create' as const,
      ...common,
      client_id: newUuid(),
      name: draft.name,
      rating: draft.rating,
      comments: draft.comments,
      createdAt: new Date().toISOString(),
      attempts: 0,
    };
    const stored: StoredCreate = { ...record, local_id: await db.add('offline-reviews', record as StoredCreate) };
    this.queued('reviews', draft.restaurant_id);
    return stored;
  }

  /**
   * Changes one of this person's reviews. A review still in the outbox is simply changed there;
   * one on the server gets an edit queued (merged with an earlier queued edit of the same review).
   */
  async editReview(target: ReviewTarget, changes: ReviewChanges): Promise<void> {
    const common = await this.common(target.restaurant_id);
    const db = await this.database.get();
    const tx = db.transaction('offline-reviews', 'readwrite');
    const queued = await this.queuedFor(tx.store, target);
    const { name, rating, comments } = changes;
    if (queued?.kind === 'review-create' || queued?.kind === 'review-edit') {
      await tx.store.put({ ...queued, name, rating, comments, status: 'pending', error: undefined });
    } else if (!queued && target.id !== undefined) {
      const edit = { kind: 'review-edit' as const, ...common, review_id: target.id, name, rating, comments };
      await tx.store.add(edit as StoredChange);
    }
    await tx.done;
    this.queued('reviews', target.restaurant_id);
  }

  /** Deletes one of this person's reviews: a queued one just disappears; one on the server is queued for deletion. */
  async deleteReview(target: ReviewTarget): Promise<void> {
    const common = await this.common(target.restaurant_id);
    const db = await this.database.get();
    const tx = db.transaction('offline-reviews', 'readwrite');
    const queued = await this.queuedFor(tx.store, target);
    if (queued?.kind === 'review-create') {
      await tx.store.delete(queued.local_id);
    } else if (queued && queued.kind !== 'unreadable') {
      const { v, api, restaurant_id, review_id, local_id } = queued as StoredChange;
      await tx.store.put({ kind: 'review-delete', v, api, restaurant_id, review_id, local_id, status: 'pending' });
    } else if (!queued && target.id !== undefined) {
      const deletion = { kind: 'review-delete' as const, ...common, review_id: target.id };
      await tx.store.add(deletion as StoredChange);
    }
    await tx.done;
    this.queued('reviews', target.restaurant_id);
  }

  /** Sends a refused review again, as it is (the server may have changed its mind, e.g. a new restaurant). */
  async retryReview(localId: number): Promise<void> {
    const db = await this.database.get();
    const record = await db.get('offline-reviews', localId);
    // A record an update could not read is never sent: only the person can discard it.
    if (!record || record.kind === 'unreadable') return;
    await db.put('offline-reviews', { ...record, status: 'pending', error: undefined });
    this.queued('reviews', record.restaurant_id);
  }

  async discardReview(localId: number): Promise<void> {
    const db = await this.database.get();
    const record = await db.get('offline-reviews', localId);
    await db.delete('offline-reviews', localId);
    this.publish(['offline-reviews'], record?.restaurant_id);
  }

  async retryFavorite(restaurantId: number): Promise<void> {
    const db = await this.database.get();
    const record = await db.get('offline-favorites', restaurantId);
    if (!record) return;
    await db.put('offline-favorites', { ...record, status: 'pending', error: undefined });
    this.queued('favorites', restaurantId);
  }

  async discardFavorite(restaurantId: number): Promise<void> {
    const db = await this.database.get();
    await db.delete('offline-favorites', restaurantId);
    this.publish(['offline-favorites'], restaurantId);
  }

  /**
   * What every new record carries: its format, its API, its restaurant, and 'pending'. Asked for
   * before any transaction opens: waiting for the runtime config inside one would end it.
   */
  private async common(restaurantId: number): Promise<Pick<FavoriteRecord, 'v' | 'api' | 'restaurant_id' | 'status'>> {
    return { v: RECORD_FORMAT, api: await this.target.base(), restaurant_id: restaurantId, status: 'pending' };
  }

  /** The queued record a change applies to: by its key, or the queued edit or deletion of a server review. */
  private async queuedFor(store: OutboxStore, target: ReviewTarget): Promise<StoredReviewSlot | undefined> {
    if (target.localId !== undefined) return store.get(target.localId);
    if (target.id === undefined) return undefined;
    const forRestaurant = await store.index('restaurant_id').getAll(target.restaurant_id);
    return forRestaurant.find((r) => isChange(r) && r.review_id === target.id);
  }

  private queued(part: 'favorites' | 'reviews', restaurantId: number): void {
    this.publish([part === 'favorites' ? 'offline-favorites' : 'offline-reviews'], restaurantId);
    this.askForPersistence();
    void this.delivery.deliver(part);
  }

  private publish(stores: ChangeScope['stores'], restaurantId: number | undefined): void {
    this.events.publish({ type: 'changed', stores, ...(restaurantId === undefined ? {} : { restaurantIds: [restaurantId] }) });
  }

  /** Queued writes live in IndexedDB: ask the browser not to evict it under storage pressure. */
  private askForPersistence(): void {
    if (this.askedForPersistence) return;
    this.askedForPersistence = true;
    void navigator.storage?.persist?.().catch(() => false);
  }
}
