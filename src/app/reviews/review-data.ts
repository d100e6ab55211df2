import { Injectable, PendingTasks, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Review } from '../../shared/api';
import type { StoreName } from '../../shared/db-schema';
import type { StoredCreate } from '../../shared/outbox-records';
import { type ReviewItem, reviewsView } from '../../shared/pending-view';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { type RefreshResult, cacheFirst, quietly } from '../core/cache-first';
import type { Loaded } from '../core/loaded';
import { ApiTarget } from '../sync/api-target';
import { Outbox, type ReviewChanges, type ReviewDraft } from '../sync/outbox';
import { Reconnect } from '../sync/reconnect';
import { SyncEvents } from '../sync/sync-events';

export type { ReviewItem } from '../../shared/pending-view';

/** What a restaurant's review list is made of. */
const STORES: StoreName[] = ['reviews', 'offline-reviews', 'own-reviews'];

@Injectable({ providedIn: 'root' })
export class ReviewData {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly events = inject(SyncEvents);
  private readonly outbox = inject(Outbox);
  private readonly target = inject(ApiTarget);
  private readonly pendingTasks = inject(PendingTasks);
  private readonly reconnect = inject(Reconnect);

  /** The server's reviews merged with this device's queued ones, newest first. */
  forRestaurant(restaurantId: number): Observable<Loaded<ReviewItem[]>> {
    return cacheFirst({
      read: () => this.readLocal(restaurantId),
      refresh: () => this.refresh(restaurantId),
      changes: this.events.changes({ stores: STORES, restaurantId }),
      isEmpty: (items) => items.length === 0,
      // Back online: the reviews are read again, and "Showing saved reviews" goes with the answer.
      refreshes: this.reconnect.refreshes$,
      pendingTasks: this.pendingTasks,
    });
  }

  add(draft: ReviewDraft): Promise<StoredCreate> {
    return this.outbox.addReview(draft);
  }

  retry(localId: number): Promise<void> {
    return this.outbox.retryReview(localId);
  }

  edit(item: ReviewItem, changes: ReviewChanges): Promise<void> {
    return this.outbox.editReview(item, changes);
  }

  remove(item: ReviewItem): Promise<void> {
    return this.outbox.deleteReview(item);
  }

  discard(localId: number): Promise<void> {
    return this.outbox.discardReview(localId);
  }

  private async readLocal(restaurantId: number): Promise<ReviewItem[]> {
    const db = await this.database.get();
    const tx = db.transaction(STORES);
    const [synced, queued, own] = await Promise.all([
      tx.objectStore('reviews').index('restaurant_id').getAll(restaurantId),
      tx.objectStore('offline-reviews').index('restaurant_id').getAll(restaurantId),
      tx.objectStore('own-reviews').getAllKeys(),
    ]);
    return reviewsView(synced, queued, own, this.target.current());
  }

  /**
   * Makes this restaurant's cached reviews the server's list, writing only what differs: a
   * refresh during a large drain (or of a restaurant with thousands of reviews) then costs a read,
   * not a rewrite of every review, and does not hold up the worker's writes.
   */
  private async refresh(restaurantId: number): Promise<RefreshResult> {
    try {
      const reviews = await this.api.reviewsOf(restaurantId, { timeoutMs: 15_000 });
      const db = await this.database.get();
      const tx = db.transaction('reviews', 'readwrite');
      const cached = new Map((await tx.store.index('restaurant_id').getAll(restaurantId)).map((r) => [r.id, r]));
      const writes: Promise<unknown>[] = [];
      for (const review of reviews) {
        if (!sameReview(cached.get(review.id), review)) writes.push(tx.store.put(review));
        cached.delete(review.id);
      }
      // What is left is no longer on the server.
      for (const id of cached.keys()) writes.push(tx.store.delete(id));
      await Promise.all(writes);
      await tx.done;
      // Nothing written: the view's last read still holds (cache-first.ts), so it is not read again.
      return writes.length ? 'fresh' : 'unchanged';
    } catch (error) {
      return quietly(error);
    }
  }
}

/** Whether the cached copy already is the server's (normalized copies, so every field is compared). */
function sameReview(cached: Review | undefined, review: Review): boolean {
  if (!cached) return false;
  const keys = Object.keys(review) as Array<keyof Review>;
  return keys.length === Object.keys(cached).length && keys.every((key) => cached[key] === review[key]);
}
