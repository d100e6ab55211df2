import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Restaurant } from '../../shared/api';
import type { AppDb, StoreName } from '../../shared/db-schema';
import { type RestaurantView, restaurantView, restaurantsView } from '../../shared/pending-view';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { type RefreshResult, cacheFirst, quietly } from '../core/cache-first';
import type { Loaded } from '../core/loaded';
import { ApiTarget } from '../sync/api-target';
import { Outbox } from '../sync/outbox';
import { Reconnect } from '../sync/reconnect';
import { SyncEvents } from '../sync/sync-events';

/** Newest `updatedAt` seen from the server: the next refresh asks only for what changed since. */
const CURSOR_KEY = 'restaurantsUpdatedSince';
const READ_TIMEOUT_MS = 15_000;
/** What a restaurant view is made of: the server's copies and the favorite wishes. */
const STORES: StoreName[] = ['restaurants', 'offline-favorites'];

/**
 * Restaurants, cache first: each stream emits the IndexedDB copy at once, then the network copy
 * (also written to IndexedDB), then again whenever a change concerns it. What it emits is the
 * server's copy with this person's favorite wishes laid over it (src/shared/pending-view.ts).
 */
@Injectable({ providedIn: 'root' })
export class RestaurantData {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly events = inject(SyncEvents);
  private readonly outbox = inject(Outbox);
  private readonly target = inject(ApiTarget);
  /** Back online (or back from a while away): every open view asks the network again. */
  private readonly refreshes = inject(Reconnect).refreshes$;

  all(): Observable<Loaded<RestaurantView[]>> {
    return cacheFirst({
      read: () => this.readAll(),
      refresh: () => this.refreshAll(),
      changes: this.events.changes({ stores: STORES }),
      isEmpty: (list) => list.length === 0,
      refreshes: this.refreshes,
    });
  }

  one(id: number): Observable<Loaded<RestaurantView>> {
    return cacheFirst<RestaurantView | undefined>({
      read: () => this.readOne(id),
      refresh: () => this.refreshOne(id),
      changes: this.events.changes({ stores: STORES, restaurantId: id }),
      isEmpty: (restaurant) => restaurant === undefined,
      refreshes: this.refreshes,
    }) as Observable<Loaded<RestaurantView>>;
  }

  /** Updates at once and never waits for the network; the outbox delivers it. */
  setFavorite(restaurantId: number, isFavorite: boolean): Promise<void> {
    return this.outbox.setFavorite(restaurantId, isFavorite);
  }

  private async readAll(): Promise<RestaurantView[]> {
    const tx = (await this.database.get()).transaction(STORES);
    const [restaurants, wishes] = await Promise.all([
      tx.objectStore('restaurants').getAll(),
      tx.objectStore('offline-favorites').getAll(),
    ]);
    return restaurantsView(restaurants, wishes, this.target.current());
  }

  private async readOne(id: number): Promise<RestaurantView | undefined> {
    const tx = (await this.database.get()).transaction(STORES);
    const [restaurant, wish] = await Promise.all([
      tx.objectStore('restaurants').get(id),
      tx.objectStore('offline-favorites').get(id),
    ]);
    return restaurant && restaurantView(restaurant, wish, this.target.current());
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

  /** Writes the server's copies as they are: favorite wishes stay in the outbox, laid over on read. */
  private async store(db: AppDb, restaurants: Restaurant[], moveCursor = true): Promise<void> {
    const tx = db.transaction(['restaurants', 'meta'], 'readwrite');
    const store = tx.objectStore('restaurants');
    let newest = '';
    const writes: Promise<unknown>[] = restaurants.map((restaurant) => {
      if (restaurant.updatedAt > newest) newest = restaurant.updatedAt;
      return store.put(restaurant);
    });
    const meta = tx.objectStore('meta');
    const previous = (await meta.get(CURSOR_KEY))?.value as string | undefined;
    if (moveCursor && newest && (!previous || newest > previous)) writes.push(meta.put({ key: CURSOR_KEY, value: newest }));
    await Promise.all(writes);
    await tx.done;
  }
}
