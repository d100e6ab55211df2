/**
 * Names and messages shared by the pages and the service worker about the outbox.
 */
import type { StoreName } from './db-schema';

export const SYNC_TAGS = {
  favorites: 'syncFavorite',
  reviews: 'syncReviews',
} as const;
export type SyncTag = (typeof SYNC_TAGS)[keyof typeof SYNC_TAGS];

/** Every tab and the worker talk on this channel; BroadcastChannel reaches all same-origin contexts. */
export const SYNC_CHANNEL = 'restaurant-reviews-sync';

/** Held by whoever replays the outbox, window or worker, so only one replay runs at a time. */
export const REPLAY_LOCK = 'restaurant-reviews-outbox-replay';

/**
 * Held by the one tab that keeps the browser's single live-notice connection (`GET /changes/live`)
 * and relays what it hears to the others: one connection per browser, not per tab.
 */
export const LIVE_LOCK = 'restaurant-reviews-live-notices';

/** Held while a pull of the change feed runs, so two tabs hearing one notice pull once. */
export const PULL_LOCK = 'restaurant-reviews-change-pull';

/**
 * A page that may not reach some queued write's API itself (its CSP names only the API it is set
 * to now) posts this to its service worker, which may reach any API and replays the outbox.
 */
const REPLAY_REQUEST_TYPE = 'replay-outbox';

/**
 * A page asks the worker to deliver the records for `apis`: the ones its own CSP does not let it
 * reach. Only those: the page sends the rest itself, and a worker replay that took them too (it
 * retries for seconds while the network comes back) would race the page for them.
 */
export function replayRequest(apis: readonly string[]): { type: typeof REPLAY_REQUEST_TYPE; apis: string[] } {
  return { type: REPLAY_REQUEST_TYPE, apis: [...apis] };
}

/**
 * The APIs a replay request names; `'all'` for a request from a tab of an earlier release, which
 * named none and meant everything; undefined for any other message.
 */
export function replayRequestApis(data: unknown): ReadonlySet<string> | 'all' | undefined {
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== REPLAY_REQUEST_TYPE) return undefined;
  const apis = (data as { apis?: unknown }).apis;
  return Array.isArray(apis) ? new Set(apis.filter((api): api is string => typeof api === 'string')) : 'all';
}

/**
 * What changed in IndexedDB: which stores, and for which restaurants (absent: any of them, e.g.
 * a full refresh of the list). A view re-reads only when a change concerns it.
 */
export interface ChangeScope {
  stores: StoreName[];
  restaurantIds?: number[];
}

export type SyncMessage =
  /** Some stores changed; the views they concern re-read IndexedDB. */
  | ({ type: 'changed' } & ChangeScope)
  /** A replay ended. Counts are what it delivered or gave up on. */
  | {
      type: 'replayed';
      reviewsSent: number;
      editsSent: number;
      favoritesSent: number;
      failed: number;
      /** Failure messages worth showing, e.g. "Review by Ana: rating must be …". */
      failures: string[];
    }
  /** The live connection heard "there is something after `cursor`" (relayed by the tab holding it). */
  | { type: 'live-notice'; api: string; cursor: number }
  /**
   * The server is reachable again (the live connection reopened): every open view refreshes from
   * the network. Sent by the tab holding the connection, for every tab.
   */
  | { type: 'reconnected' }
  /**
   * A favorite wish arrived after a later one made on another device: the server kept that one,
   * and this device now shows it.
   */
  | { type: 'favorite-superseded'; restaurantId: number; name: string; isFavorite: boolean };

/** True when `message` says something changed that a view reading `interest` must re-read for. */
export function concerns(message: SyncMessage, interest: { stores: readonly StoreName[]; restaurantId?: number }): boolean {
  if (message.type !== 'changed') return false;
  // A context still running the previous release sends `{ type: 'changed' }` alone: that is everything.
  if (!Array.isArray(message.stores)) return true;
  if (!message.stores.some((store) => interest.stores.includes(store))) return false;
  return interest.restaurantId === undefined || !message.restaurantIds || message.restaurantIds.includes(interest.restaurantId);
}

/** Adds up scopes: the union of their stores and restaurants (any restaurant wins over a list). */
export function mergeScopes(a: ChangeScope | undefined, b: ChangeScope): ChangeScope {
  if (!a) return { stores: [...b.stores], ...(b.restaurantIds ? { restaurantIds: [...b.restaurantIds] } : {}) };
  const stores = [...new Set([...a.stores, ...b.stores])];
  if (!a.restaurantIds || !b.restaurantIds) return { stores };
  return { stores, restaurantIds: [...new Set([...a.restaurantIds, ...b.restaurantIds])] };
}

/** "2 reviews sent", "1 favorite saved", "1 review could not be sent" — for a polite toast. */
export function describeReplay(message: Extract<SyncMessage, { type: 'replayed' }>): string | undefined {
  const parts: string[] = [];
  if (message.reviewsSent) parts.push(plural(message.reviewsSent, 'review') + ' sent');
  if (message.editsSent) parts.push(plural(message.editsSent, 'review change') + ' saved');
  if (message.favoritesSent) parts.push(plural(message.favoritesSent, 'favorite') + ' saved');
  if (message.failed) parts.push(`${plural(message.failed, 'change')} could not be sent`);
  return parts.length ? capitalize(parts.join(', ')) : undefined;
}

/** "Changed on another device: Katz's Delicatessen is a favorite (a later change there replaced yours)". */
/**
 * Meta key of the notices the service worker had for the person while no tab was open (a wish
 * that lost to a later one on another device). The next tab to open shows them once, and clears them.
 */
export const KEPT_NOTICES_META_KEY = 'keptNotices';

export type KeptNotice = Extract<SyncMessage, { type: 'favorite-superseded' }>;

export function isKeptNotice(value: unknown): value is KeptNotice {
  const notice = value as Partial<KeptNotice> | undefined;
  return notice?.type === 'favorite-superseded' && typeof notice.name === 'string' && typeof notice.isFavorite === 'boolean';
}

export function describeSuperseded(message: Extract<SyncMessage, { type: 'favorite-superseded' }>): string {
  const state = message.isFavorite ? 'a favorite' : 'not a favorite';
  return `Changed on another device: ${message.name} is ${state} (a later change there replaced yours)`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
