/**
 * What a read stream emits: the cached copy first (`stale` until the network confirms it), then the
 * fresh one. `unavailable` means there is no local copy and the network could not be reached.
 */
export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly value: T; readonly stale: boolean }
  | { readonly state: 'not-found' }
  | { readonly state: 'unavailable' };

export const LOADING: Loaded<never> = { state: 'loading' };

export function ready<T>(value: T, stale: boolean): Loaded<T> {
  return { state: 'ready', value, stale };
}
