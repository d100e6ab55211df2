/**
 * Pulls the change feed (`GET /changes?after=<cursor>`, src/shared/change-feed.ts) into the cached
 * server copies: restaurants (favorites included) and reviews are stored in their latest state,
 * deleted reviews are removed. The outbox is never touched, so a pull cannot overwrite, hide or
 * reorder a pending change: the views lay those over the server copies (pending-view.ts).
 *
 * The cursor lives in `meta` (CHANGE_CURSOR_META_KEY) with the API it came from, and moves in the
 * same transaction as the records of its page: whatever is stored is exactly "everything up to
 * the cursor". A device starts with no cursor and pulls nothing until it has one: reading the
 * feed from 0 would copy every review of the server (100,000 at scale) onto a device that shows
 * a few. Its first cursor is the one the live connection announces (`adoptBaseline`), after which
 * the open views read the network again, so what is cached is at least that new. A pull the
 * server answers `resync` (a cursor older than its tombstones, or from another database) reads
 * the whole feed from 0 once, and then forgets the copies the feed no longer has.
 */
import type { Restaurant, Review } from './api';
import type { ApiClient } from './api-client';
import { DATA_API_META_KEY } from './app-config';
import type { ChangePage } from './change-feed';
import { type AppDb, CHANGE_CURSOR_META_KEY, type ChangeCursor, type StoreName } from './db-schema';
import { type ChangeScope, mergeScopes } from './sync-protocol';

export type PullOutcome =
  /** The cache now holds everything up to `cursor`. */
  | { kind: 'pulled'; cursor: number; scope?: ChangeScope; resynced: boolean }
  /** The server has no change feed (the original server answers 404): read in full instead. */
  | { kind: 'no-feed' }
  /** This device has no cursor for this API yet: nothing was asked (see adoptBaseline). */
  | { kind: 'no-cursor' }
  /** The cache holds another API's data now (the setting changed meanwhile): nothing was stored. */
  | { kind: 'stale' };

export interface PullOptions {
  /** Records per page (the server's default when omitted). */
  limit?: number;
  timeoutMs?: number;
}

type Page = ChangePage<Restaurant, Review>;

/** The cursor this device holds for `api`, or undefined (none yet, or one from another API). */
export function readCursor(db: AppDb, api: string): Promise<number | undefined> {
  return cursorIn({ get: (key) => db.get('meta', key) }, api);
}

/**
 * Pulls everything after this device's cursor for `api` from `client` (which must point there),
 * page by page until the server says there is no more.
 */
export async function pullChanges(db: AppDb, client: ApiClient, api: string, options: PullOptions = {}): Promise<PullOutcome> {
  const start = await readCursor(db, api);
  if (start === undefined) return { kind: 'no-cursor' };
  let full = false;
  let after = start;
  let resynced = false;
  let scope: ChangeScope | undefined;
  let seen = new Seen();
  for (;;) {
    const page = await client.changesAfter(after, { limit: options.limit, timeoutMs: options.timeoutMs });
    if (!page) return { kind: 'no-feed' };
    if (page.resync) {
      // The cursor cannot be served (tombstones pruned, another database): read it all again.
      if (full && after === 0) throw new Error('The change feed asked for a resync of a read from the beginning');
      full = true;
      resynced = true;
      after = 0;
      seen = new Seen();
      continue;
    }
    seen.add(page);
    const applied = await applyPage(db, api, page, full ? undefined : { from: after });
    if (!applied) return { kind: 'stale' };
    if (applied.stores.length) scope = mergeScopes(scope, applied);
    after = page.cursor;
    if (!page.more) break;
  }
  if (full) {
    const forgotten = await finishFullRead(db, api, after, seen);
    if (!forgotten) return { kind: 'stale' };
    if (forgotten.stores.length) scope = mergeScopes(scope, forgotten);
  }
  return { kind: 'pulled', cursor: after, resynced, ...(scope ? { scope } : {}) };
}

/**
 * A device's first cursor for `api`: the server's newest, as the live connection announced it.
 * Kept only if the device has none yet and its cache holds this API's data. True when adopted:
 * the caller then has the open views read the network again.
 */
export async function adoptBaseline(db: AppDb, api: string, cursor: number): Promise<boolean> {
  const tx = db.transaction('meta', 'readwrite');
  if (!(await holdsDataOf(tx.store, api)) || (await cursorIn(tx.store, api)) !== undefined) {
    await tx.done;
    return false;
  }
  await tx.store.put({ key: CHANGE_CURSOR_META_KEY, value: { api, cursor } satisfies ChangeCursor });
  await tx.done;
  return true;
}

/** What a read from 0 saw, to forget afterwards what the server no longer has. */
class Seen {
  readonly restaurants = new Set<number>();
  readonly reviews = new Set<number>();
  /** The newest server time seen: a copy stored later (by a replay) is newer, and is kept. */
  newest = '';

  add(page: Page): void {
    for (const restaurant of page.restaurants) {
      this.restaurants.add(restaurant.id);
      if (restaurant.updatedAt > this.newest) this.newest = restaurant.updatedAt;
    }
    for (const review of page.reviews) {
      this.reviews.add(review.id);
      if (review.updatedAt > this.newest) this.newest = review.updatedAt;
    }
  }
}

/**
 * Stores one page and, for a delta (`delta.from`), moves the cursor with it, in one transaction.
 * Returns what changed, or undefined when the cache is not this API's (or another context moved
 * the cursor meanwhile): then nothing is stored.
 */
async function applyPage(db: AppDb, api: string, page: Page, delta: { from: number } | undefined): Promise<ChangeScope | undefined> {
  const tx = db.transaction(['restaurants', 'reviews', 'meta'], 'readwrite');
  const meta = tx.objectStore('meta');
  const reviews = tx.objectStore('reviews');
  if (!(await holdsDataOf(meta, api)) || (delta && (await cursorIn(meta, api)) !== delta.from)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return undefined;
  }
  const stores = new Set<StoreName>();
  const restaurantIds = new Set<number>();
  const writes: Promise<unknown>[] = [];
  for (const restaurant of page.restaurants) {
    stores.add('restaurants');
    restaurantIds.add(restaurant.id);
    writes.push(tx.objectStore('restaurants').put(restaurant));
  }
  for (const review of page.reviews) {
    stores.add('reviews');
    restaurantIds.add(review.restaurant_id);
    writes.push(reviews.put(review));
  }
  for (const id of page.deletedReviews) {
    // Only a copy this device holds concerns a view; its restaurant says which.
    const cached = await reviews.get(id);
    if (!cached) continue;
    stores.add('reviews');
    restaurantIds.add(cached.restaurant_id);
    writes.push(reviews.delete(id));
  }
  if (delta) writes.push(meta.put({ key: CHANGE_CURSOR_META_KEY, value: { api, cursor: page.cursor } satisfies ChangeCursor }));
  await Promise.all(writes);
  await tx.done;
  return { stores: [...stores], restaurantIds: [...restaurantIds] };
}

/**
 * The end of a read from 0: the copies the feed did not name are gone from the server (or came
 * from another database), unless they are newer than the read; then the cursor is stored.
 */
async function finishFullRead(db: AppDb, api: string, cursor: number, seen: Seen): Promise<ChangeScope | undefined> {
  const tx = db.transaction(['restaurants', 'reviews', 'meta'], 'readwrite');
  const meta = tx.objectStore('meta');
  if (!(await holdsDataOf(meta, api))) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return undefined;
  }
  const stores = new Set<StoreName>();
  const restaurantIds = new Set<number>();
  for (let c = await tx.objectStore('restaurants').openCursor(); c; c = await c.continue()) {
    if (seen.restaurants.has(c.value.id) || c.value.updatedAt > seen.newest) continue;
    stores.add('restaurants');
    restaurantIds.add(c.value.id);
    await c.delete();
  }
  for (let c = await tx.objectStore('reviews').openCursor(); c; c = await c.continue()) {
    if (seen.reviews.has(c.value.id) || c.value.updatedAt > seen.newest) continue;
    stores.add('reviews');
    restaurantIds.add(c.value.restaurant_id);
    await c.delete();
  }
  await meta.put({ key: CHANGE_CURSOR_META_KEY, value: { api, cursor } satisfies ChangeCursor });
  await tx.done;
  return { stores: [...stores], restaurantIds: [...restaurantIds] };
}

type MetaStore = {
  get(key: string): Promise<{ key: string; value: unknown } | undefined>;
};

/** The cached server copies are this API's (the runtime config records whose they are). */
async function holdsDataOf(meta: MetaStore, api: string): Promise<boolean> {
  const dataApi = (await meta.get(DATA_API_META_KEY))?.value;
  return (typeof dataApi === 'string' ? dataApi : globalThis.location.origin) === api;
}

async function cursorIn(meta: MetaStore, api: string): Promise<number | undefined> {
  const value = (await meta.get(CHANGE_CURSOR_META_KEY))?.value as Partial<ChangeCursor> | undefined;
  return value?.api === api && typeof value.cursor === 'number' ? value.cursor : undefined;
}
