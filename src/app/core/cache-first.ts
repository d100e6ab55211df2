import type { PendingTasks } from '@angular/core';
import { EMPTY, Observable, concat, defer, exhaustMap, from, map, merge, switchMap } from 'rxjs';
import { HttpError, NetworkError } from '../../shared/api-client';
import { LOADING, type Loaded, ready } from './loaded';
import { oneAtATime } from './one-at-a-time';
import { shareUnchanged } from './share-unchanged';

/**
 * What asking the network gave: a fresh copy (now in IndexedDB), the answer that nothing changed
 * since the stored copy (so it is fresh as it is), a "does not exist", or nothing.
 */
export type RefreshResult = 'fresh' | 'unchanged' | 'missing' | 'failed';

export interface CacheFirstSource<T> {
  /** Reads the local copy from IndexedDB. */
  read: () => Promise<T>;
  /** Asks the network and stores its answer in IndexedDB. Never throws for offline. */
  refresh: () => Promise<RefreshResult>;
  /** Re-read whenever this emits: the outbox, the worker or another tab changed something. */
  changes: Observable<unknown>;
  /** True when the local copy is no copy at all (nothing cached yet). */
  isEmpty: (value: T) => boolean;
  /** Ask the network again whenever this emits (connectivity came back: sync/reconnect.ts). */
  refreshes?: Observable<unknown>;
  /** The network's copy as soon as it is parsed, before it is stored (a first visit): shown as fresh. */
  early?: Observable<T>;
  /**
   * The app's pending tasks: the first refresh is one of them, so `ApplicationRef.whenStable()`
   * means "the first screen's data is in". What waits for it (the service worker's registration
   * with its prefetch of every app file, the live connection) then no longer competes with that
   * data for the browser's six connections per host and its CPU: on a first visit at 10,000
   * restaurants the first card came 230–460 ms later in two of three visits while they did.
   */
  pendingTasks?: PendingTasks;
}

/**
 * The read path of every data service: the IndexedDB copy at once (stale), then the network's copy
 * once it is stored, then a fresh read after every change. Offline, the local copy stands, with no
 * error; with no local copy either, the stream says `unavailable`. What did not change keeps its
 * objects, and an emission that changes nothing is dropped (share-unchanged.ts).
 */
export function cacheFirst<T>({
  read,
  refresh,
  changes,
  isEmpty,
  refreshes = EMPTY,
  early = EMPTY,
  pendingTasks,
}: CacheFirstSource<T>): Observable<Loaded<T>> {
  return defer(() => {
    let result: RefreshResult | undefined;
    let lastRead: { value: T } | undefined;
    const readStored = () => read().then((value) => ((lastRead = { value }), value));
    /**
     * After a refresh, what IndexedDB holds. A refresh that stored nothing leaves it as last read:
     * a replay that delivered something refreshes every open view, and the list read all 10,000
     * restaurants again for an answer of zero changed ones.
     */
    const afterRefresh = (answer: RefreshResult) => {
      result = answer;
      return answer === 'unchanged' && lastRead ? [lastRead.value] : readStored();
    };
    const toLoaded = (value: T): Loaded<T> => {
      if (result === 'missing') return { state: 'not-found' };
      if (result === 'fresh' || result === 'unchanged') return ready(value, false);
      if (!isEmpty(value)) return ready(value, true);
      return result === 'failed' ? { state: 'unavailable' } : LOADING;
    };
    const cached = from(readStored()).pipe(switchMap((value) => (isEmpty(value) ? [] : [ready(value, true)])));
    const first = refresh();
    if (pendingTasks) {
      const done = pendingTasks.add();
      first.then(done, done);
    }
    const fresh = from(first).pipe(switchMap(afterRefresh), map(toLoaded));
    const updates = readOnChange(changes, readStored).pipe(map(toLoaded));
    // Each answer replaces what the view says about freshness: back online, "saved data" goes.
    const again = refreshes.pipe(
      exhaustMap(() => retrySoon(refresh, (answer) => answer === 'failed')),
      switchMap(afterRefresh),
      map(toLoaded),
    );
    // The stored copy read back after an early one is equal to it: shareUnchanged drops it, so a
    // first visit's 10,000 restaurants are not sorted and drawn twice.
    const shownEarly = early.pipe(map((value) => ready(value, false)));
    return merge(shownEarly, concat(cached, fresh), updates, again).pipe(shareUnchanged());
  });
}

/**
 * Waits before a failed refresh after a reconnect is tried again. Right after `online` the first
 * requests can still fail for a moment (the page hears `online` before the service worker's own
 * fetches, which carry its reads, work again); without a retry the view would keep "Showing saved
 * data" until the next reconnect.
 */
export const RETRIES_AFTER_RECONNECT_MS: readonly number[] = [300, 1_000, 3_000];

/** Runs `task`, and again after each of `delaysMs` while it `failed` and the browser says it is online. */
export async function retrySoon<T>(
  task: () => Promise<T>,
  failed: (result: T) => boolean,
  delaysMs: readonly number[] = RETRIES_AFTER_RECONNECT_MS,
): Promise<T> {
  let result = await task();
  for (const ms of delaysMs) {
    if (!failed(result) || !navigator.onLine) break;
    await new Promise((resolve) => setTimeout(resolve, ms));
    result = await task();
  }
  return result;
}

/**
 * Reads again after changes, one read at a time: a change that arrives during a read asks for one
 * more read after it, however many arrive. (`switchMap` would start a read for every change and
 * drop all but the last answer; while a large outbox drains, those reads of thousands of records
 * piled up and competed with the drain for IndexedDB.) The last value always follows the last change.
 */
export function readOnChange<T>(changes: Observable<unknown>, read: () => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const readNow = oneAtATime(async () => {
      const value = await read();
      if (!subscriber.closed) subscriber.next(value);
    });
    const subscription = changes.subscribe({
      next: () => void readNow().catch((error: unknown) => subscriber.error(error)),
      error: (error: unknown) => subscriber.error(error),
    });
    return () => subscription.unsubscribe();
  });
}

/** Offline or a failing server is not an error for a reader: the cached copy stands. */
export function quietly(error: unknown): 'failed' {
  if (error instanceof NetworkError || error instanceof HttpError) return 'failed';
  throw error;
}
