import { Injectable, inject } from '@angular/core';
import { Observable, concat, defer, from, map, merge, switchMap } from 'rxjs';
import type { Restaurant } from '../../shared/api';
import { HttpError, NetworkError } from '../../shared/api-client';
import type { AppDb } from '../../shared/db-schema';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { type Loaded, ready } from '../core/loaded';
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
  private readonly events = inject(SyncEvents);
  private readonly outbox = inject(Outbox);

  all(): Observable<Loaded<Restaurant[]>> {
    return defer(() => {
      let stale = true;
      const read = () => from(this.readAll());
      const cached = read().pipe(switchMap((list) => (list.length ? [ready(list, true)] : [])));
      const fresh = from(this.refreshAll()).pipe(
        switchMap((ok) => {
          stale = !ok;
          return read();
        }),
        map((list): Loaded<Restaurant[]> => (list.length || !stale ? ready(list, stale) : { state: 'unavailable' })),
      );
      const changes = this.events.messages$.pipe(
        switchMap(() => read()),
        map((list) => ready(list, stale)),
      );
      return merge(concat(cached, fresh), changes);
    });
  }

  one(id: number): Observable<Loaded<Restaurant>> {
    return defer(() => {
      let stale = true;
      let missing = false;
      const read = () => from(this.readOne(id));
      const toLoaded = (restaurant: Restaurant | undefined): Loaded<Restaurant> =>
        restaurant && !missing
          ? ready(restaurant, stale)
          : missing
            ? { state: 'not-found' }
            : { state: 'unavailable' };
      const cached = read().pipe(switchMap((r) => (r ? [ready(r, true)] : [])));
      const fresh = from(this.refreshOne(id)).pipe(
        switchMap((result) => {
          stale = result === 'failed';
          missing = result === 'missing';
          return read();
        }),
        map(toLoaded),
      );
      const changes = this.events.messages$.pipe(switchMap(() => read()), map(toLoaded));
      return merge(concat(cached, fresh), changes);
    });
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

  /** `true` when the network answered and IndexedDB now holds its copy. */
  private async refreshAll(): Promise<boolean> {
    try {
      const db = await this.database.get();
      const cursor = (await db.get('meta', CURSOR_KEY))?.value as string | undefined;
      const hasCopy = (await db.count('restaurants')) > 0;
      const options = { timeoutMs: READ_TIMEOUT_MS };
      const changed = hasCopy && cursor ? await this.api.restaurantsChangedSince(cursor, options) : undefined;
      const restaurants = changed ?? (await this.api.restaurants(options));
      await this.store(db, restaurants);
      return true;
    } catch (error) {
      return quietly(error, false);
    }
  }

  private async refreshOne(id: number): Promise<'fresh' | 'missing' | 'failed'> {
    try {
      const restaurant = await this.api.restaurant(id, { timeoutMs: READ_TIMEOUT_MS });
      if (!restaurant) return 'missing';
      await this.store(await this.database.get(), [restaurant], false);
      return 'fresh';
    } catch (error) {
      return quietly(error, 'failed');
    }
  }

  /**
   * Writes the server's copies, keeping any favorite wish still in the outbox: the server has not
   * heard of it yet, and the person must not see their toggle flip back.
   */
  private async store(db: AppDb, restaurants: Restaurant[], moveCursor = true): Promise<void> {
    const tx = db.transaction(['restaurants', 'offline-favorites', 'meta'], 'readwrite');
    const wishes = new Map(
      (await tx.objectStore('offline-favorites').getAll()).map((wish) => [wish.restaurant_id, wish.is_favorite]),
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

/** Offline or a failing server is not an error for a reader: the cached copy stands. */
function quietly<T>(error: unknown, fallback: T): T {
  if (error instanceof NetworkError || error instanceof HttpError) return fallback;
  throw error;
}
