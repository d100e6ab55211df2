import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Review } from '../../shared/api';
import type { OfflineReview, OutboxStatus } from '../../shared/db-schema';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { RuntimeConfig } from '../core/runtime-config';
import { apiOfRecord } from '../../shared/replay';
import { type RefreshResult, cacheFirst, quietly } from '../core/cache-first';
import type { Loaded } from '../core/loaded';
import { Outbox, type ReviewChanges, type ReviewDraft } from '../sync/outbox';
import { SyncEvents } from '../sync/sync-events';

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
  readonly sync: 'synced' | OutboxStatus;
  /** What is waiting or was refused: a new review, or an edit or deletion of one on the server. */
  readonly op: 'create' | 'update' | 'delete';
  /** Why the server refused it, when `sync` is 'failed'. */
  readonly error?: string;
  /** Written on this device, so this person may edit or delete it. */
  readonly mine: boolean;
}

@Injectable({ providedIn: 'root' })
export class ReviewData {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly config = inject(RuntimeConfig);
  private readonly events = inject(SyncEvents);
  private readonly outbox = inject(Outbox);

  /** The server's reviews merged with this device's queued ones, newest first. */
  forRestaurant(restaurantId: number): Observable<Loaded<ReviewItem[]>> {
    return cacheFirst({
      read: () => this.readLocal(restaurantId),
      refresh: () => this.refresh(restaurantId),
      changes: this.events.messages$,
      isEmpty: (items) => items.length === 0,
    });
  }

  add(draft: ReviewDraft): Promise<OfflineReview> {
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
    const tx = db.transaction(['reviews', 'offline-reviews', 'own-reviews']);
    const [synced, allQueued, own] = await Promise.all([
      tx.objectStore('reviews').index('restaurant_id').getAll(restaurantId),
      tx.objectStore('offline-reviews').index('restaurant_id').getAll(restaurantId),
      tx.objectStore('own-reviews').getAllKeys(),
    ]);
    const mine = new Set(own);
    // Changes queued for another API (the app was set to a different one since) are not shown
    // over this API's reviews; the sync status says where they are going.
    const api = this.config.apiBaseUrl();
    const queued = allQueued.filter((r) => api === undefined || apiOfRecord(r) === api);
    const changes = new Map(queued.filter((r) => r.op === 'update' || r.op === 'delete').map((r) => [r.review_id, r]));
    const delivered = new Set(synced.map((r) => r.client_id).filter(Boolean));
    const items: ReviewItem[] = [];
    for (const review of synced) {
      const change = changes.get(review.id);
      // A deletion waiting to be sent hides the review; a refused one shows it again, with why.
      if (change?.op === 'delete' && change.status === 'pending') continue;
      items.push(change ? withChange(review, change, mine.has(review.id)) : fromServer(review, mine.has(review.id)));
    }
    for (const record of queued) {
      if ((!record.op || record.op === 'create') && !delivered.has(record.client_id)) items.push(fromOutbox(record));
    }
    return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (b.id ?? 0) - (a.id ?? 0));
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
    op: 'create',
    mine,
  };
}

/** The server's review as this person changed it, until the server confirms the change. */
function withChange(review: Review, change: OfflineReview, mine: boolean): ReviewItem {
  const edited = change.op === 'update' ? { name: change.name, rating: change.rating, comments: change.comments } : {};
  return {
    ...fromServer(review, mine),
    ...edited,
    localId: change.local_id,
    sync: change.status,
    op: change.op ?? 'update',
    error: change.error,
  };
}

function fromOutbox(record: OfflineReview): ReviewItem {
  return {
    key: record.client_id,
    localId: record.local_id,
    restaurant_id: record.restaurant_id,
    name: record.name,
    rating: record.rating,
    comments: record.comments,
    createdAt: record.createdAt,
    sync: record.status,
    op: 'create',
    error: record.error,
    mine: true,
  };
}
