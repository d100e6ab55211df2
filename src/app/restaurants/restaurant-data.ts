import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Restaurant } from '../../shared/api';
import type { AppDb } from '../../shared/db-schema';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { RuntimeConfig } from '../core/runtime-config';
import { apiOfRecord } from '../../shared/replay';
import { type RefreshResult, cacheFirst, quietly } from '../core/cache-first';
import type { Loaded } from '../core/loaded';
import { Outbox } from '../sync/outbox';
import { SyncEvents } from '../sync/sync-events';

/** Newest `updatedAt` seen from the server: the next refresh asks only for what changed since. */
const CURSOR_KEY = 'restaurantsUpdatedSince';
const READ_TIMEOUT_MS = 15_000;

/**
 * Restaurants, cache first: each stream emits the IndexedDB copy at once, then the network copy
 * (also written to IndexedDB), then again whenever the outbox or another tab changes something.
 */
@Injectable({ providedIn: 'root' })
export class RestaurantData {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly config = inject(RuntimeConfig);
  private readonly events = inject(SyncEvents);
  private readonly outbox = inject(Outbox);

  all(): Observable<Loaded<Restaurant[]>> {
    return cacheFirst({
      read: () => this.readAll(),
      refresh: () => this.refreshAll(),
      changes: this.events.messages$,
      isEmpty: (list) => list.length === 0,
    });
  }

  one(id: number): Observable<Loaded<Restaurant>> {
    return cacheFirst<Restaurant | undefined>({
      read: () => this.readOne(id),
      refresh: () => this.refreshOne(id),
      changes: this.events.messages$,
      isEmpty: (restaurant) => restaurant === undefined,
    }) as Observable<Loaded<Restaurant>>;
  }

  /** Updates at once and never waits for the network; the outbox delivers it. */
  setFavorite(restaurantId: number, isFavorite: boolean): Promise<void> {
    return this.outbox.setFavorite(restaurantId, isFavorite);
  }

  private async readAll(): Promise<Restaurant[]> {
    return (await this.database.get()).getAll('restaurants');
  }

  private async readOne(id: number): Promise<Restaurant | undefined> {
    return (await this.database.get()).get('restaurants', id);
  }

  private async refreshAll(): Promise<RefreshResult> {
    try {
      const db = await this.database.get();
      const cursor = (await db.get('meta', CURSOR_KEY))?.value as string | undefined;
      const hasCopy = (await db.count('restaurants')) > 0;
      const options = { timeoutMs: READ_TIMEOUT_MS };
      const changed = hasCopy && cursor ? await this.api.restaurantsChangedSince(cursor, options) : undefined;
      const restaurants = changed ?? (await this.api.restaurants(options));
      await this.store(db, restaurants);
      return 'fresh';
    } catch (error) {
      return quietly(error);
    }
  }

  private async refreshOne(id: number): Promise<RefreshResult> {
    try {
      const restaurant = await this.api.restaurant(id, { timeoutMs: READ_TIMEOUT_MS });
      if (!restaurant) return 'missing';
      await this.store(await this.database.get(), [restaurant], false);
      return 'fresh';
    } catch (error) {
      return quietly(error);
    }
  }

  /**
   * Writes the server's copies, keeping any favorite wish still in the outbox: the server has not
   * heard of it yet, and the person must not see their toggle flip back.
   */
  private async store(db: AppDb, restaurants: Restaurant[], moveCursor = true): Promise<void> {
    // These copies came from this API; wishes queued for another one are not shown over them.
    const api = await this.config.apiBase();
    const tx = db.transaction(['restaurants', 'offline-favorites', 'meta'], 'readwrite');
    const wishes = new Map(
      (await tx.objectStore('offline-favorites').getAll())
        .filter((wish) => apiOfRecord(wish) === api)
        .map((wish) => [wish.restaurant_id, wish.is_favorite]),
    );
    const store = tx.objectStore('restaurants');
    let newest = '';
    const writes: Promise<unknown>[] = restaurants.map((restaurant) => {
      if (restaurant.updatedAt > newest) newest = restaurant.updatedAt;
      const wish = wishes.get(restaurant.id);
      return store.put(wish === undefined ? restaurant : { ...restaurant, is_favorite: wish });
    });
    const meta = tx.objectStore('meta');
    const previous = (await meta.get(CURSOR_KEY))?.value as string | undefined;
    if (moveCursor && newest && (!previous || newest > previous)) writes.push(meta.put({ key: CURSOR_KEY, value: newest }));
    await Promise.all(writes);
    await tx.done;
  }
}
