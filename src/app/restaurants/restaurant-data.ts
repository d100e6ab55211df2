import { Injectable, PendingTasks, inject } from '@angular/core';
import { type Observable, Subject, defer } from 'rxjs';
import type { Restaurant } from '../../shared/api';
import { type AppDb, FIRST_SCREEN_META_KEY, type StoreName } from '../../shared/db-schema';
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
 * Kept under FIRST_SCREEN_META_KEY: the ids of the first cards the list last showed, per view
 * (filters, search, sort). A repeat visit reads those few records by key and paints them before
 * the whole store (10,000 records: hundreds of milliseconds) is read. Ids only, so the
 * restaurants store stays the one copy.
 */
interface FirstScreenHint {
  view: string;
  ids: number[];
}

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
  private readonly pendingTasks = inject(PendingTasks);
  /** Back online (or back from a while away): every open view asks the network again. */
  private readonly refreshes = inject(Reconnect).refreshes$;

  all(): Observable<Loaded<RestaurantView[]>> {
    return defer(() => {
      // First visit: the network's list is shown as soon as it is parsed, not after 10,000
      // records have been written to IndexedDB and read back.
      const fetched = new Subject<RestaurantView[]>();
      return cacheFirst({
        read: () => this.readAll(),
        refresh: () => this.refreshAll(fetched),
        changes: this.events.changes({ stores: STORES }),
        isEmpty: (list) => list.length === 0,
        refreshes: this.refreshes,
        early: fetched,
        pendingTasks: this.pendingTasks,
      });
    });
  }

  /**
   * The first cards of `view` as the list last showed them, read by key (a few records, not the
   * store); undefined when this view was never shown on this device or its records are gone.
   */
  async firstScreen(view: string): Promise<RestaurantView[] | undefined> {
    try {
      const tx = (await this.database.get()).transaction(['meta', ...STORES]);
      const hint = (await tx.objectStore('meta').get(FIRST_SCREEN_META_KEY))?.value as FirstScreenHint | undefined;
      if (hint?.view !== view || !Array.isArray(hint.ids) || !hint.ids.length) return undefined;
      const restaurants = tx.objectStore('restaurants');
      const favorites = tx.objectStore('offline-favorites');
      const [found, wishes] = await Promise.all([
        Promise.all(hint.ids.map((id) => restaurants.get(id))),
        Promise.all(hint.ids.map((id) => favorites.get(id))),
      ]);
      const list = restaurantsView(found.filter(isDefined), wishes.filter(isDefined), this.target.current());
      return list.length ? list : undefined;
    } catch {
      // Only a head start: without it the list waits for the whole store, as before.
      return undefined;
    }
  }

  /** What `firstScreen(view)` reads on the next visit; written only when it changed. */
  async rememberFirstScreen(view: string, ids: readonly number[]): Promise<void> {
    const key = `${view}\n${ids.join(',')}`;
    if (key === this.rememberedFirstScreen) return;
    this.rememberedFirstScreen = key;
    const value: FirstScreenHint = { view, ids: [...ids] };
    try {
      await (await this.database.get()).put('meta', { key: FIRST_SCREEN_META_KEY, value });
    } catch {
      this.rememberedFirstScreen = undefined;
    }
  }

  private rememberedFirstScreen?: string;

  one(id: number): Observable<Loaded<RestaurantView>> {
    return cacheFirst<RestaurantView | undefined>({
      read: () => this.readOne(id),
      refresh: () => this.refreshOne(id),
      changes: this.events.changes({ stores: STORES, restaurantId: id }),
      isEmpty: (restaurant) => restaurant === undefined,
      refreshes: this.refreshes,
      pendingTasks: this.pendingTasks,
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

  /** `fetched` hears the full list before it is stored, when this device had no copy at all. */
  private async refreshAll(fetched?: Subject<RestaurantView[]>): Promise<RefreshResult> {
    try {
      const db = await this.database.get();
      const cursor = (await db.get('meta', CURSOR_KEY))?.value as string | undefined;
      const hasCopy = (await db.count('restaurants')) > 0;
      const options = { timeoutMs: READ_TIMEOUT_MS };
      const changed = hasCopy && cursor ? await this.api.restaurantsChangedSince(cursor, options) : undefined;
      // Nothing changed since the stored copy: nothing to write, and nothing to read back.
      if (changed?.length === 0) return 'unchanged';
      const restaurants = changed ?? (await this.api.restaurants(options));
      if (!hasCopy && restaurants.length && fetched) {
        fetched.next(restaurantsView(restaurants, await db.getAll('offline-favorites'), this.target.current()));
        // Writing 10,000 records serializes each on the main thread: let the list paint first.
        await afterNextPaint();
      }
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

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** After the next frame is painted; a hidden tab (no frames) goes on after 100 ms. */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(fallback), resolve())));
  });
}
