/**
 * A fetch-based client for the REST contract, shared by the app and the service worker.
 *
 * It sends no custom request headers, so it also works against the original stage-3 server,
 * whose CORS allows only `content-type`. Everything it returns is normalized.
 */
import {
  type ApiError,
  type CreatedReview,
  type NewReview,
  type Restaurant,
  type Review,
  type ReviewUpdate,
  type WireReview,
  DELTA_HEADER,
  apiPaths,
  normalizeRestaurant,
  normalizeReview,
} from './api';
import {
  type ChangePage,
  FAVORITE_WISH_HEADER,
  FAVORITE_WISH_OUTCOMES,
  type WireChangePage,
  changeFeedPaths,
} from './change-feed';
import { type RatingSummary, normalizeRatings } from './ratings';
import { type BatchItem, type BatchItemResult, REVIEW_BATCH_PATH } from './review-batch';

/** The server answered, and said no. `retryable` covers 5xx (ngsw's made-up 504 included) and 429. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** From `Retry-After`, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** The request never got an answer: offline, refused, reset or timed out. It may have arrived. */
export class NetworkError extends Error {
  constructor(message: string, readonly timedOut = false) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof HttpError && error.retryable);
}

/** Header value in seconds or as an HTTP date → milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Abort and report a (possibly delivered) NetworkError after this long. */
  timeoutMs?: number;
}

/**
 * Where requests go: a fixed base URL ('' for the page's own origin), or one that is only known
 * later (the page's runtime config): then each request waits for it, and nothing else does.
 */
export type BaseUrl = string | (() => Promise<string>);

export class ApiClient {
  constructor(
    private readonly baseUrl: BaseUrl,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The same client (same fetch) pointed at another API: the one a queued write was made for. */
  at(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.fetchFn);
  }

  async restaurants(options: RequestOptions = {}): Promise<Restaurant[]> {
    const body = await this.json<unknown[]>(apiPaths.restaurants(), { method: 'GET' }, options);
    return body.map((raw) => normalizeRestaurant(raw as object));
  }

  /**
   * Only the restaurants changed after `since` (our server's extension), or `undefined` when the
   * server did not confirm it applied the filter: then the caller needs the full list.
   */
  async restaurantsChangedSince(since: string, options: RequestOptions = {}): Promise<Restaurant[] | undefined> {
    const path = `${apiPaths.restaurants()}?updated_since=${encodeURIComponent(since)}`;
    const response = await this.ok(path, { method: 'GET' }, options);
    if (response.headers.get(DELTA_HEADER) !== 'updated_since') return undefined;
    const body = await readJson<unknown[]>(response, path);
    return body.map((raw) => normalizeRestaurant(raw as object));
  }

  /** `undefined` when the server says the restaurant does not exist. */
  async restaurant(id: number, options: RequestOptions = {}): Promise<Restaurant | undefined> {
    try {
      return normalizeRestaurant(await this.json<object>(apiPaths.restaurant(id), { method: 'GET' }, options));
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  async reviewsOf(restaurantId: number, options: RequestOptions = {}): Promise<Review[]> {
    const body = await this.json<unknown[]>(apiPaths.reviewsOf(restaurantId), { method: 'GET' }, options);
    return body.map((raw) => normalizeReview(raw as object));
  }

  /** Our extension (src/shared/ratings.ts). The original server has no such route: it answers 404. */
  async ratings(options: RequestOptions = {}): Promise<RatingSummary[]> {
    return normalizeRatings(await this.json<unknown>(apiPaths.ratings(), { method: 'GET' }, options));
  }

  async setFavorite(id: number, isFavorite: boolean, options: RequestOptions = {}): Promise<Restaurant> {
    return normalizeRestaurant(await this.json<object>(apiPaths.favorite(id, isFavorite), { method: 'PUT' }, options));
  }

  /**
   * The changes after `cursor` (src/shared/change-feed.ts), normalized, or `undefined` when the
   * server has no change feed (the original answers 404): then the caller reads in full.
   */
  async changesAfter(
    cursor: number,
    options: RequestOptions & { limit?: number } = {},
  ): Promise<ChangePage<Restaurant, Review> | undefined> {
    const path = changeFeedPaths.changes(cursor, options.limit);
    let page: WireChangePage;
    try {
      page = await this.json<WireChangePage>(path, { method: 'GET' }, options);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
    const normalized: ChangePage<Restaurant, Review> = {
      cursor: page.cursor,
      restaurants: page.restaurants.map((raw) => normalizeRestaurant(raw as object)),
      reviews: page.reviews.map((raw) => normalizeReview(raw as object)),
      deletedReviews: page.deletedReviews,
      more: page.more,
    };
    if (page.resync) normalized.resync = true;
    return normalized;
  }

  /**
   * A favorite wish with the time the person made it. `applied` is false when the server kept a
   * later wish; `restaurant` is then the server's state, to adopt. Servers without the rule (the
   * original) send no outcome: every wish counts as applied there.
   */
  async setFavoriteWish(
    id: number,
    isFavorite: boolean,
    wishedAtMs: number,
    options: RequestOptions = {},
  ): Promise<{ restaurant: Restaurant; applied: boolean }> {
    const path = changeFeedPaths.favoriteWish(id, isFavorite, wishedAtMs);
    const response = await this.ok(path, { method: 'PUT' }, options);
    const restaurant = normalizeRestaurant(await readJson<object>(response, `PUT ${path}`));
    return { restaurant, applied: response.headers.get(FAVORITE_WISH_HEADER) !== FAVORITE_WISH_OUTCOMES.superseded };
  }

  /** POSTs a review. `edit_token` is kept when the server returns one (ours does). */
  async createReview(review: NewReview, options: RequestOptions = {}): Promise<CreatedReview> {
    const raw = await this.json<CreatedReview>(
      apiPaths.reviews(),
      // A JSON content type triggers no preflight problem: the classic CORS allows `content-type`.
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review) },
      options,
    );
    const created: CreatedReview = normalizeReview(raw);
    if (typeof raw.edit_token === 'string') created.edit_token = raw.edit_token;
    return created;
  }

  /**
   * Many review writes in one request (src/shared/review-batch.ts): one result per item, at its
   * index, reviews normalized. `undefined` when the server has no batch route: the original
   * answers 404 (or 405), and an answer that is not a result per item means the same. The caller
   * then sends one classic request per review.
   */
  async reviewBatch(items: BatchItem[], options: RequestOptions = {}): Promise<Array<BatchItemResult<Review>> | undefined> {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) };
    const response = await this.send(REVIEW_BATCH_PATH, init, options);
    if (response.status === 404 || response.status === 405) return undefined;
    if (!response.ok) throw await toHttpError(response);
    const body = await readJson<{ results?: unknown }>(response, `POST ${REVIEW_BATCH_PATH}`);
    const results = body?.results;
    if (!Array.isArray(results) || results.length !== items.length) return undefined;
    return results.map((raw: { status?: unknown; review?: WireReview & { edit_token?: unknown }; error?: unknown }): BatchItemResult<Review> => {
      const status = typeof raw?.status === 'number' ? raw.status : 0;
      if ((status === 200 || status === 201) && raw.review) {
        const review: CreatedReview = normalizeReview(raw.review);
        if (typeof raw.review.edit_token === 'string') review.edit_token = raw.review.edit_token;
        return { status, review };
      }
      const error = (raw?.error ?? {}) as Partial<ApiError>;
      const message = typeof error.message === 'string' && error.message ? error.message : `Refused with status ${status}`;
      return { status, error: { error: String(error.error ?? 'Error'), message, ...(typeof error.field === 'string' ? { field: error.field } : {}) } };
    });
  }

  /** Changes one of this person's reviews; the token proves it is theirs. */
  async updateReview(id: number, changes: ReviewUpdate, options: RequestOptions = {}): Promise<Review> {
    const raw = await this.json<object>(
      apiPaths.review(id),
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(changes) },
      options,
    );
    return normalizeReview(raw);
  }

  /** Deletes one of this person's reviews. A review that is already gone counts as deleted. */
  async deleteReview(id: number, editToken: string, options: RequestOptions = {}): Promise<void> {
    try {
      await this.json<object>(`${apiPaths.review(id)}?edit_token=${encodeURIComponent(editToken)}`, { method: 'DELETE' }, options);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return;
      throw error;
    }
  }

  private async json<T>(path: string, init: RequestInit, options: RequestOptions): Promise<T> {
    return readJson<T>(await this.ok(path, init, options), `${init.method} ${path}`);
  }

  private async ok(path: string, init: RequestInit, options: RequestOptions): Promise<Response> {
    const response = await this.send(path, init, options);
    if (!response.ok) throw await toHttpError(response);
    return response;
  }

  private async send(path: string, init: RequestInit, { signal, timeoutMs }: RequestOptions): Promise<Response> {
    const base = typeof this.baseUrl === 'string' ? this.baseUrl : await this.baseUrl();
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
    try {
      return await this.fetchFn(base + path, { ...init, cache: 'no-store', signal: controller.signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : (error as Error)?.message || 'network error';
      throw new NetworkError(`${init.method} ${path} failed: ${reason}`, timedOut);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }
}

async function readJson<T>(response: Response, what: string): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch {
    // A body cut off mid-way is a transport failure, not a verdict from the server.
    throw new NetworkError(`The answer to ${what} was cut off`);
  }
}

async function toHttpError(response: Response): Promise<HttpError> {
  let message = `${response.status} ${response.statusText}`.trim();
  let field: string | undefined;
  try {
    const body = (await response.json()) as Partial<ApiError>;
    if (typeof body.message === 'string' && body.message) message = body.message;
    if (typeof body.field === 'string') field = body.field;
  } catch {
    // Not JSON (ngsw's 504, a proxy's HTML page): the status line is all we have.
  }
  return new HttpError(response.status, message, field, parseRetryAfter(response.headers.get('retry-after')));
}
