/**
 * The app's service worker: Angular's ngsw for caching and updates, plus Background Sync for the
 * outbox. Built to `custom-sw.js` after `ng build` (scripts/build-worker.mjs), so it is not part of
 * ngsw's own manifest and a change to it is picked up by the browser's byte-for-byte update check.
 */
/// <reference lib="webworker" />
import { ApiClient } from '../shared/api-client';
import { appDbOpener } from '../shared/db-schema';
import { replayOutboxPatiently } from '../shared/replay';
import {
  KEPT_NOTICES_META_KEY,
  type KeptNotice,
  SYNC_CHANNEL,
  SYNC_TAGS,
  type SyncMessage,
  replayRequestApis,
} from '../shared/sync-protocol';
import { limitNavigationWait } from './navigation-wait';

declare const self: ServiceWorkerGlobalScope;

/** Not in TypeScript's lib yet. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

// Angular's worker (ngsw-worker.js) is loaded by the first line of the bundle, which
// scripts/build-worker.mjs puts there: it registers install/activate/fetch before anything of ours.
// We only add `sync`, one message and a time limit on ngsw's network-first navigations. There
// must be no second `fetch` listener.
limitNavigationWait(self);

const channel = new BroadcastChannel(SYNC_CHANNEL);
const db = appDbOpener();
/** Every record names the absolute API it belongs to; the worker sends it there and nowhere else. */
const apiFor = (baseUrl: string) => new ApiClient(baseUrl);

/** Writes of notices kept for later; a sync event waits for them before it ends. */
const keeping: Array<Promise<unknown>> = [];

function notify(message: SyncMessage): void {
  channel.postMessage(message);
  if (message.type === 'favorite-superseded') keeping.push(keepIfUnseen(message).catch(() => undefined));
}

/** With no tab open, nobody hears the message: the next tab shows it (app/sync/sync-status.ts). */
async function keepIfUnseen(notice: KeptNotice): Promise<void> {
  if ((await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).length) return;
  const tx = (await db()).transaction('meta', 'readwrite');
  const kept = (await tx.store.get(KEPT_NOTICES_META_KEY))?.value;
  await tx.store.put({ key: KEPT_NOTICES_META_KEY, value: [...(Array.isArray(kept) ? kept : []), notice] });
  await tx.done;
}

const keptNotices = () => Promise.all(keeping.splice(0));

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  const only = sync.tag === SYNC_TAGS.favorites ? 'favorites' : sync.tag === SYNC_TAGS.reviews ? 'reviews' : undefined;
  if (!only) return;
  // A server out of reach is tried again a few times within the event (QUICK_RETRIES_MS); then
  // rejecting keeps the tag registered, and the browser retries later. Records are never dropped.
  sync.waitUntil(db().then((database) => replayOutboxPatiently({ db: database, apiFor, only, notify })).finally(keptNotices));
});

// A page without Background Sync asks us to deliver what its own CSP does not let it reach (a
// write made for an API the app is no longer set to). It asks on `online`, which the page can
// hear before the worker's own fetches work again: so the same quick retries as a sync event.
// Only the APIs the request names: the page sends the rest itself. Failures stay queued; the
// page asks again.
self.addEventListener('message', (event) => {
  const apis = replayRequestApis(event.data);
  if (!apis) return;
  const canReach = apis === 'all' ? undefined : (base: string) => apis.has(base);
  event.waitUntil(
    db()
      .then((database) => replayOutboxPatiently({ db: database, apiFor, canReach, notify }))
      .catch(() => undefined),
  );
});
