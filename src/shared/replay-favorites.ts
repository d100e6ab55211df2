/**
 * Replays favorite wishes (`offline-favorites`): one PUT per restaurant, the latest wish only.
 * The server's answer is stored as the server's copy; the view (pending-view.ts) still shows a
 * newer wish queued meanwhile, because the record with the newer stamp stays.
 *
 * Each wish carries when it was made (`wished_at`); the server keeps the later one across
 * devices. A wish it answers "superseded" is settled like a delivered one, with the server's
 * state, and a `favorite-superseded` message tells the person ("Changed on another device").
 */
import type { Restaurant } from './api';
import { isRetryable } from './api-client';
import { type FavoriteRecord, isCurrent } from './outbox-records';
import { type ReplayRun, messageOf } from './replay-run';

export async function replayFavorites(run: ReplayRun): Promise<void> {
  // A toggle made while a PUT was in flight leaves a record with a new stamp: send it too.
  const sent = new Set<string>();
  for (let pass = 0; pass < 3; pass++) {
    const due: FavoriteRecord[] = [];
    for (const record of await run.db.getAll('offline-favorites')) {
      if (!isCurrent(record) || record.kind !== 'favorite') await run.setAside('offline-favorites', record.restaurant_id, record);
      else if (record.status !== 'pending' || sent.has(record.stamp) || run.isHeld(record)) continue;
      else if (run.reachable(record, `favorite ${record.restaurant_id}`)) due.push(record);
    }
    if (!due.length) return;
    for (const favorite of due) {
      if (run.isHeld(favorite)) continue;
      sent.add(favorite.stamp);
      await send(run, favorite);
    }
  }
}

async function send(run: ReplayRun, favorite: FavoriteRecord): Promise<void> {
  try {
    const { restaurant, applied } = await put(run, favorite);
    // Superseded: a later wish from another device stands. Its state is adopted (the record is
    // settled with the server's copy, never sent again) and the person is told.
    await settle(run, favorite, restaurant);
    if (applied) run.outcome.favoritesSent++;
    else run.notify({ type: 'favorite-superseded', restaurantId: restaurant.id, name: restaurant.name, isFavorite: restaurant.is_favorite });
    run.changed({ stores: ['restaurants', 'offline-favorites'], restaurantIds: [favorite.restaurant_id] });
  } catch (error) {
    if (isRetryable(error)) return run.holdOn(error, favorite);
    await fail(run, favorite, messageOf(error));
  }
}

/** With the time of the wish where the record has one; a record from before the rule is a wish made now. */
async function put(run: ReplayRun, favorite: FavoriteRecord): Promise<{ restaurant: Restaurant; applied: boolean }> {
  const api = run.api(favorite);
  const options = { timeoutMs: run.timeoutMs };
  if (favorite.wished_at === undefined) {
    return { restaurant: await api.setFavorite(favorite.restaurant_id, favorite.is_favorite, options), applied: true };
  }
  return api.setFavoriteWish(favorite.restaurant_id, favorite.is_favorite, favorite.wished_at, options);
}

/** Stores the server's copy; clears the wish only if no newer one was queued while the PUT was out. */
async function settle(run: ReplayRun, sent: FavoriteRecord, restaurant: Restaurant): Promise<void> {
  const tx = run.db.transaction(['restaurants', 'offline-favorites'], 'readwrite');
  const outbox = tx.objectStore('offline-favorites');
  const current = await outbox.get(sent.restaurant_id);
  if (current?.stamp === sent.stamp) await outbox.delete(sent.restaurant_id);
  // A copy from an API whose data this device no longer shows is not cached.
  if (run.caches(sent)) await tx.objectStore('restaurants').put(restaurant);
  await tx.done;
}

async function fail(run: ReplayRun, sent: FavoriteRecord, message: string): Promise<void> {
  const tx = run.db.transaction('offline-favorites', 'readwrite');
  const current = await tx.store.get(sent.restaurant_id);
  if (current?.stamp === sent.stamp) await tx.store.put({ ...current, status: 'failed', error: message });
  await tx.done;
  run.refused(sent, message, { stores: ['offline-favorites'], restaurantIds: [sent.restaurant_id] });
}
