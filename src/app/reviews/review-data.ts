import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
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

  /** Replaces this restaurant's cached reviews with the server's list. */
  private async refresh(restaurantId: number): Promise<RefreshResult> {
    try {
      const reviews = await this.api.reviewsOf(restaurantId, { timeoutMs: 15_000 });
      const db = await this.database.get();
      const tx = db.transaction('reviews', 'readwrite');
      const index = tx.store.index('restaurant_id');
      const current = new Set(reviews.map((r) => r.id));
      const writes: Promise<unknown>[] = [];
      for (let cursor = await index.openCursor(restaurantId); cursor; cursor = await cursor.continue()) {
        if (!current.has(cursor.value.id)) writes.push(cursor.delete());
      }
      writes.push(...reviews.map((review) => tx.store.put(review)));
      await Promise.all(writes);
      await tx.done;
      return 'fresh';
    } catch (error) {
      return quietly(error);
    }
  }
}
