/**
 * Replays favorite wishes (`offline-favorites`): one PUT per restaurant, the latest wish only.
 * The server's answer is stored as the server's copy; the view (pending-view.ts) still shows a
 * newer wish queued meanwhile, because the record with the newer stamp stays.
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
    const restaurant = await run.api(favorite).setFavorite(favorite.restaurant_id, favorite.is_favorite, {
      timeoutMs: run.timeoutMs,
    });
    await settle(run, favorite, restaurant);
    run.outcome.favoritesSent++;
    run.changed({ stores: ['restaurants', 'offline-favorites'], restaurantIds: [favorite.restaurant_id] });
  } catch (error) {
    if (isRetryable(error)) return run.holdOn(error, favorite);
    await fail(run, favorite, messageOf(error));
  }
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
