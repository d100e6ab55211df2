import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { NewReview } from '../../shared/api';
import type { IDBPObjectStore } from 'idb';
import type { AppDbSchema, OfflineFavorite, OfflineReview, StoreName } from '../../shared/db-schema';
import { RetryLaterError, apiOfRecord, countPending, replayOutbox } from '../../shared/replay';
import { REPLAY_REQUEST, SYNC_TAGS, type SyncTag } from '../../shared/sync-protocol';
import { newUuid } from '../../shared/uuid';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { RuntimeConfig } from '../core/runtime-config';
import { Connectivity } from './connectivity';
import { SyncEvents } from './sync-events';

/** A review as the person wrote it, before it has a client id or a place in the outbox. */
export type ReviewDraft = Omit<NewReview, 'client_id'>;
export type ReviewChanges = Pick<NewReview, 'name' | 'rating' | 'comments'>;
/** Which review: a queued one by `localId`, one on the server by `id`. */
export interface ReviewTarget {
  restaurant_id: number;
  id?: number;
  localId?: number;
}

/** While the app is open, a replay is also tried this often: it bridges browser back-off. */
const PERIODIC_REPLAY_MS = 30_000;

interface SyncCapableRegistration extends ServiceWorkerRegistration {
  sync: { register(tag: string): Promise<void> };
}

/**
 * The only way a write leaves the app: first into IndexedDB, then out to the server.
 *
 * Where Background Sync exists and the worker controls the page, the worker delivers (so a closed
 * tab still sends). Elsewhere the page replays the same outbox with the same code: at once, on
 * `online`, at start, and periodically while open. A Web Lock inside `replayOutbox` keeps the two
 * from ever running together.
 */
@Injectable({ providedIn: 'root' })
export class Outbox {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly config = inject(RuntimeConfig);
  private readonly events = inject(SyncEvents);
  private readonly connectivity = inject(Connectivity);

  private readonly records = signal<{ favorites: OfflineFavorite[]; reviews: OfflineReview[] }>({
    favorites: [],
    reviews: [],
  });
  /** Changes queued and not yet confirmed by the server. */
  readonly pendingCount = computed(() => {
    const { favorites, reviews } = this.records();
    return [...favorites, ...reviews].filter((r) => r.status === 'pending').length;
  });
  /** Changes the server refused; they wait for the person to retry or discard them. */
  readonly failedFavorites = computed(() => this.records().favorites.filter((f) => f.status === 'failed'));
  readonly failedReviews = computed(() => this.records().reviews.filter((r) => r.status === 'failed'));
  readonly failedCount = computed(() => this.failedFavorites().length + this.failedReviews().length);
  /** Every queued review change, for views that fold them into what they show (ratings). */
  readonly queuedReviews = computed(() => this.records().reviews);
  /**
   * Pending changes made for an API other than the one the app is set to now, by API: they still
   * go there (and only there), and the person is told so.
   */
  readonly waitingElsewhere = computed(() => {
    const current = this.config.apiBaseUrl();
    const byApi = new Map<string, number>();
    if (current === undefined) return [];
    const { favorites, reviews } = this.records();
    for (const record of [...favorites, ...reviews]) {
      const api = apiOfRecord(record);
      if (record.status === 'pending' && api !== current) byApi.set(api, (byApi.get(api) ?? 0) + 1);
    }
    return [...byApi].map(([api, count]) => ({ api, count }));
  });

  private replaying?: Promise<void>;
  private replayAgain = false;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private askedForPersistence = false;

  constructor() {
    this.events.messages$.pipe(takeUntilDestroyed()).subscribe(() => void this.refresh());
    const onOnline = () => void this.resume();
    addEventListener('online', onOnline);
    const timer = setInterval(() => {
      if (this.pendingCount() && this.connectivity.online()) void this.replayHere();
    }, PERIODIC_REPLAY_MS);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', onOnline);
      clearInterval(timer);
      clearTimeout(this.retryTimer);
    });
  }

  /** At app start: whatever a previous visit left queued is sent again. */
  async start(): Promise<void> {
    await this.refresh();
    await this.resume();
  }

  async setFavorite(restaurantId: number, isFavorite: boolean): Promise<void> {
    const api = await this.config.apiBase();
    const db = await this.database.get();
    const tx = db.transaction(['restaurants', 'offline-favorites'], 'readwrite');
    const restaurants = tx.objectStore('restaurants');
    const restaurant = await restaurants.get(restaurantId);
    if (restaurant) await restaurants.put({ ...restaurant, is_favorite: isFavorite, updatedAt: new Date().toISOString() });
    await tx.objectStore('offline-favorites').put({
      restaurant_id: restaurantId,
      api,
      is_favorite: isFavorite,
      stamp: newUuid(),
      queuedAt: new Date().toISOString(),
      status: 'pending',
    });
    await tx.done;
    this.queued(SYNC_TAGS.favorites);
  }

  async addReview(draft: ReviewDraft): Promise<OfflineReview> {
    const api = await this.config.apiBase();
    const db = await this.database.get();
    const record: OfflineReview = {
      ...draft,
      api,
      client_id: newUuid(),
      createdAt: new Date().toISOString(),
      status: 'pending',
      attempts: 0,
    };
    record.local_id = await db.add('offline-reviews', record);
    this.queued(SYNC_TAGS.reviews);
    return record;
  }

  /**
   * Changes one of this person's reviews. A review still in the outbox is simply changed there;
   * one on the server gets an edit queued (merged with an earlier queued edit of the same review).
   */
  async editReview(target: ReviewTarget, changes: ReviewChanges): Promise<void> {
    const api = await this.config.apiBase();
    const db = await this.database.get();
    const tx = db.transaction('offline-reviews', 'readwrite');
    const queued = await this.queuedFor(tx.store, target);
    if (queued) {
      await tx.store.put({ ...queued, ...changes, status: 'pending', error: undefined });
    } else if (target.id !== undefined) {
      await tx.store.add(this.change('update', target, changes, api));
    }
    await tx.done;
    this.queued(SYNC_TAGS.reviews);
  }

  /** Deletes one of this person's reviews: a queued one just disappears; one on the server is queued for deletion. */
  async deleteReview(target: ReviewTarget): Promise<void> {
    const api = await this.config.apiBase();
    const db = await this.database.get();
    // One transaction over both stores: awaiting another one in between would end this one.
    const tx = db.transaction(['offline-reviews', 'reviews'], 'readwrite');
    const outbox = tx.objectStore('offline-reviews');
    const queued = await this.queuedFor(outbox, target);
    if (queued && (!queued.op || queued.op === 'create')) {
      await outbox.delete(queued.local_id!);
    } else if (queued) {
      await outbox.put({ ...queued, op: 'delete', status: 'pending', error: undefined });
    } else if (target.id !== undefined) {
      const review = await tx.objectStore('reviews').get(target.id);
      await outbox.add(this.change('delete', target, review ?? { name: '', rating: 0, comments: '' }, api));
    }
    await tx.done;
    this.queued(SYNC_TAGS.reviews);
  }

  private async queuedFor(
    store: IDBPObjectStore<AppDbSchema, ArrayLike<StoreName>, 'offline-reviews', 'readwrite'>,
    target: ReviewTarget,
  ): Promise<OfflineReview | undefined> {
    if (target.localId !== undefined) return store.get(target.localId);
    if (target.id === undefined) return undefined;
    const forRestaurant = await store.index('restaurant_id').getAll(target.restaurant_id);
    return forRestaurant.find((r) => r.review_id === target.id && (r.op === 'update' || r.op === 'delete'));
  }

  private change(op: 'update' | 'delete', target: ReviewTarget, changes: ReviewChanges, api: string): OfflineReview {
    return {
      op,
      api,
      review_id: target.id,
      client_id: newUuid(),
      restaurant_id: target.restaurant_id,
      name: changes.name,
      rating: changes.rating,
      comments: changes.comments,
      createdAt: new Date().toISOString(),
      status: 'pending',
      attempts: 0,
    };
  }

  /** Sends a refused review again, as it is (the server may have changed its mind, e.g. a new restaurant). */
  async retryReview(localId: number): Promise<void> {
    const db = await this.database.get();
    const record = await db.get('offline-reviews', localId);
    if (!record) return;
    await db.put('offline-reviews', { ...record, status: 'pending', error: undefined });
    this.queued(SYNC_TAGS.reviews);
  }

  async discardReview(localId: number): Promise<void> {
    const db = await this.database.get();
    await db.delete('offline-reviews', localId);
    this.events.publish({ type: 'changed' });
  }

  async retryFavorite(restaurantId: number): Promise<void> {
    const db = await this.database.get();
    const record = await db.get('offline-favorites', restaurantId);
    if (!record) return;
    await db.put('offline-favorites', { ...record, status: 'pending', error: undefined });
    this.queued(SYNC_TAGS.favorites);
  }

  async discardFavorite(restaurantId: number): Promise<void> {
    const db = await this.database.get();
    await db.delete('offline-favorites', restaurantId);
    this.events.publish({ type: 'changed' });
  }

  private queued(tag: SyncTag): void {
    this.events.publish({ type: 'changed' });
    this.askForPersistence();
    void this.deliver(tag);
  }

  /** Background Sync if we have it, else the page sends itself. */
  private async deliver(tag: SyncTag): Promise<void> {
    if (!(await this.registerSync(tag))) await this.replayHere();
  }

  /** Registers the tags again for what is queued, or replays here without Background Sync. */
  private async resume(): Promise<void> {
    const db = await this.database.get();
    const { favorites, reviews } = await countPending(db);
    if (favorites) await this.deliver(SYNC_TAGS.favorites);
    if (reviews) await this.deliver(SYNC_TAGS.reviews);
  }

  private async registerSync(tag: SyncTag): Promise<boolean> {
    // Feature detection as the spec suggests; a worker must also control this page to hear the tag.
    if (!('SyncManager' in window) || !navigator.serviceWorker?.controller) return false;
    const registration = (await navigator.serviceWorker.ready) as Partial<SyncCapableRegistration>;
    if (!registration.sync) return false;
    try {
      await registration.sync.register(tag);
      return true;
    } catch {
      // Denied (e.g. by a permission policy): the page sends instead.
      return false;
    }
  }

  /** One replay at a time from this tab; a request during a replay runs one more right after it. */
  replayHere(): Promise<void> {
    if (this.replaying) {
      this.replayAgain = true;
      return this.replaying;
    }
    this.replaying = this.runReplays().finally(() => (this.replaying = undefined));
    return this.replaying;
  }

  private async runReplays(): Promise<void> {
    do {
      this.replayAgain = false;
      try {
        const db = await this.database.get();
        // Before anything is sent: which API this page may reach depends on the config.
        await this.config.apiBase();
        const outcome = await replayOutbox({
          db,
          apiFor: (baseUrl) => this.api.at(baseUrl),
          canReach: (baseUrl) => this.config.canReach(baseUrl),
          notify: (message) => this.events.publish(message),
        });
        if (outcome.unreachable) this.handToWorker();
      } catch (error) {
        if (!(error instanceof RetryLaterError)) throw error;
        if (error.outcome.unreachable) this.handToWorker();
        // Kept for later: honour the server's Retry-After, else the periodic replay picks it up.
        if (error.outcome.retryAfterMs) this.scheduleRetry(error.outcome.retryAfterMs);
        return;
      }
    } while (this.replayAgain);
  }

  /**
   * Writes made for an API this page's CSP does not name (the app was set to another API since)
   * go through the service worker, which may reach any API. Without one they wait, and
   * `waitingElsewhere` says where they are going.
   */
  private handToWorker(): void {
    navigator.serviceWorker?.controller?.postMessage(REPLAY_REQUEST);
  }

  private scheduleRetry(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.replayHere(), delayMs + 50);
  }

  /** Re-reads the outbox; it is small (what one person queued), so reading it whole is cheap. */
  private async refresh(): Promise<void> {
    const db = await this.database.get();
    const tx = db.transaction(['offline-favorites', 'offline-reviews']);
    const [favorites, reviews] = await Promise.all([
      tx.objectStore('offline-favorites').getAll(),
      tx.objectStore('offline-reviews').getAll(),
    ]);
    this.records.set({ favorites, reviews });
  }

  /** Queued writes live in IndexedDB: ask the browser not to evict it under storage pressure. */
  private askForPersistence(): void {
    if (this.askedForPersistence) return;
    this.askedForPersistence = true;
    void navigator.storage?.persist?.().catch(() => false);
  }
}
