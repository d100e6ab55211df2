/**
 * The wire contract of two-way sync, shared by the server and our client: the change feed, the
 * live notices that say when to pull it, and the favorite wish with its time.
 *
 * Only our client uses any of this; classic clients keep the classic routes (src/shared/api.ts).
 * The module imports nothing, so that the server (NodeNext, explicit extensions) and the app
 * (bundler resolution) can both import it: the record types are parameters instead.
 *
 * The feed (Replicache's pull): the server numbers every committed write with a monotonic change
 * sequence. `GET /changes?after=N` answers with every restaurant and review whose latest write
 * is numbered after N, and the ids of reviews deleted after N, plus the cursor to send next time.
 * A record changed several times appears once, in its latest state.
 *
 * The notices (Replicache's poke): `GET /changes/live` is a Server-Sent Events stream of tiny
 * notices "there is something after cursor N" (the event id is N). A notice carries no records:
 * a lost notice costs nothing, and the pull stays the one source of truth.
 */

// ---- Paths -----------------------------------------------------------------------------------

export const CHANGES_PATH = '/changes';
export const LIVE_PATH = '/changes/live';

/** Paths relative to the API base URL, like `apiPaths` in api.ts. */
export const changeFeedPaths = {
  changes: (after: number, limit?: number) =>
    `${CHANGES_PATH}?after=${after}${limit === undefined ? '' : `&limit=${limit}`}`,
  /** EventSource cannot send a header on its first connect: the cursor goes in the query. */
  live: (after: number) => `${LIVE_PATH}?after=${after}`,
  favoriteWish: (id: number, isFavorite: boolean, wishedAtMs: number) =>
    `/restaurants/${id}/?is_favorite=${isFavorite}&${FAVORITE_WISHED_AT_PARAM}=${Math.trunc(wishedAtMs)}`,
} as const;

// ---- The feed --------------------------------------------------------------------------------

/** Records per page when the request names no `limit`, and the largest `limit` accepted. */
export const CHANGE_PAGE_LIMITS = { default: 500, max: 1000 } as const;

/**
 * One answer of `GET /changes`. On the wire, records have the classic shapes (normalize them
 * with normalizeRestaurant / normalizeReview); ApiClient.changesAfter returns them normalized.
 */
export interface ChangePage<R, V> {
  /** Send as `after` next time. Everything up to it is in this page or an earlier one. */
  cursor: number;
  /** Restaurants whose latest change is after the request's cursor (favorites included). */
  restaurants: R[];
  /** Reviews created or edited after the cursor, in their latest state. */
  reviews: V[];
  /** Ids of reviews deleted after the cursor. */
  deletedReviews: number[];
  /** True when the page is full: pull again at once with the new cursor. */
  more: boolean;
  /**
   * The cursor cannot be served: deletions after it are no longer all known (their tombstones
   * were pruned, see TOMBSTONE_RETENTION_DAYS), or it comes from another database. The page is
   * empty and `cursor` is 0: forget the records this server gave you (keep your pending
   * changes) and read everything again, from `after=0` or the classic routes.
   */
  resync?: true;
}

/** What `GET /changes` may send: the records are whatever the classic routes send. */
export type WireChangePage = ChangePage<unknown, unknown>;

// ---- Live notices (Server-Sent Events) -------------------------------------------------------

/** The SSE event type of a notice: `source.addEventListener(LIVE_EVENT, …)`. */
export const LIVE_EVENT = 'changes';

/** The data of a notice (JSON); the event id carries the same cursor for Last-Event-ID. */
export interface LiveNotice {
  /** The newest committed cursor: pull `GET /changes?after=<your cursor>`. */
  cursor: number;
}

// ---- Favorites across devices ----------------------------------------------------------------

/**
 * Query parameter of `PUT /restaurants/{id}/?is_favorite=…`: when the person made the wish, in
 * epoch milliseconds of the device's clock. The server keeps the later wish (see server/README).
 */
export const FAVORITE_WISHED_AT_PARAM = 'wished_at';

/**
 * Response header sent when the PUT carried `wished_at`: whether the wish was applied or was
 * older than the last change on the server (the body is then the server's current restaurant).
 * Absent from the original server's answers: there, every wish is applied.
 */
export const FAVORITE_WISH_HEADER = 'x-favorite-wish';
export const FAVORITE_WISH_OUTCOMES = { applied: 'applied', superseded: 'superseded' } as const;
export type FavoriteWishOutcome = (typeof FAVORITE_WISH_OUTCOMES)[keyof typeof FAVORITE_WISH_OUTCOMES];
