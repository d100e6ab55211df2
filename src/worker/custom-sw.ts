/**
 * The app's service worker: Angular's ngsw for caching and updates, plus Background Sync for the
 * outbox. Built to `custom-sw.js` after `ng build` (scripts/build-worker.mjs), so it is not part of
 * ngsw's own manifest and a change to it is picked up by the browser's byte-for-byte update check.
 */
/// <reference lib="webworker" />
import { ApiClient } from '../shared/api-client';
import { appDbOpener } from '../shared/db-schema';
import { replayOutbox } from '../shared/replay';
import { SYNC_CHANNEL, SYNC_TAGS, type SyncMessage, isReplayRequest } from '../shared/sync-protocol';

declare const self: ServiceWorkerGlobalScope;

/** Not in TypeScript's lib yet. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

// Angular's worker (ngsw-worker.js) is loaded by the first line of the bundle, which
// scripts/build-worker.mjs puts there: it registers install/activate/fetch before anything of ours.
// We only add `sync` and one message. There must be no second `fetch` listener.

const channel = new BroadcastChannel(SYNC_CHANNEL);
const db = appDbOpener();
/** Every record names the absolute API it belongs to; the worker sends it there and nowhere else. */
const apiFor = (baseUrl: string) => new ApiClient(baseUrl);

function notify(message: SyncMessage): void {
  channel.postMessage(message);
}

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  const only = sync.tag === SYNC_TAGS.favorites ? 'favorites' : sync.tag === SYNC_TAGS.reviews ? 'reviews' : undefined;
  if (!only) return;
  // Rejecting keeps the tag registered, and the browser retries later; records are never dropped.
  sync.waitUntil(db().then((database) => replayOutbox({ db: database, apiFor, only, notify })));
});

// A page without Background Sync asks us to deliver what its own CSP does not let it reach (a
// write made for an API the app is no longer set to). Failures stay queued; the page asks again.
self.addEventListener('message', (event) => {
  if (!isReplayRequest(event.data)) return;
  event.waitUntil(
    db()
      .then((database) => replayOutbox({ db: database, apiFor, notify }))
      .catch(() => undefined),
  );
});
