import { EMPTY, Observable, concat, defer, exhaustMap, from, map, merge, switchMap } from 'rxjs';
import { HttpError, NetworkError } from '../../shared/api-client';
import { LOADING, type Loaded, ready } from './loaded';

/** What asking the network gave: a fresh copy (now in IndexedDB), a "does not exist", or nothing. */
export type RefreshResult = 'fresh' | 'missing' | 'failed';

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
}

/**
 * The read path of every data service: the IndexedDB copy at once (stale), then the network's copy
 * once it is stored, then a fresh read after every change. Offline, the local copy stands, with no
 * error; with no local copy either, the stream says `unavailable`.
 */
export function cacheFirst<T>({ read, refresh, changes, isEmpty, refreshes = EMPTY }: CacheFirstSource<T>): Observable<Loaded<T>> {
  return defer(() => {
    let result: RefreshResult | undefined;
    const toLoaded = (value: T): Loaded<T> => {
      if (result === 'missing') return { state: 'not-found' };
      if (result === 'fresh') return ready(value, false);
      if (!isEmpty(value)) return ready(value, true);
      return result === 'failed' ? { state: 'unavailable' } : LOADING;
    };
    const cached = from(read()).pipe(switchMap((value) => (isEmpty(value) ? [] : [ready(value, true)])));
    const fresh = from(refresh()).pipe(
      switchMap((answer) => {
        result = answer;
        return read();
      }),
      map(toLoaded),
    );
    const updates = changes.pipe(
      switchMap(() => read()),
      map(toLoaded),
    );
    // Each answer replaces what the view says about freshness: back online, "saved data" goes.
    const again = refreshes.pipe(
      exhaustMap(() => refresh()),
      switchMap((answer) => {
        result = answer;
        return read();
      }),
      map(toLoaded),
    );
    return merge(concat(cached, fresh), updates, again);
  });
}

/** Offline or a failing server is not an error for a reader: the cached copy stands. */
export function quietly(error: unknown): 'failed' {
  if (error instanceof NetworkError || error instanceof HttpError) return 'failed';
  throw error;
}
