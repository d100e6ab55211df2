/**
 * Replays the outbox (`offline-favorites`, `offline-reviews`) against the API.
 *
 * One implementation for both replayers: the service worker's `sync` handler and the page's
 * fallback where Background Sync is missing. A Web Lock makes sure only one of them runs at once.
 *
 * Delivery is at-least-once on the wire and exactly-once in effect:
 * - every review carries a client UUID, which our server uses to answer a re-sent POST with the
 *   stored review instead of a new one;
 * - a review that was already tried once (the answer may have been lost: timeout, reset, a closed
 *   tab) is first looked up by its UUID among the restaurant's reviews, which covers servers that
 *   ignore the UUID, such as the original stage-3 server.
 */
import type { CreatedReview, Restaurant, Review } from './api';
import { ApiClient, HttpError, isRetryable } from './api-client';
import { DATA_API_META_KEY } from './app-config';
import type { AppDb, OfflineFavorite, OfflineReview } from './db-schema';
import { REPLAY_LOCK, type SyncMessage } from './sync-protocol';

export interface ReplayOptions {
  db: AppDb;
  /** The client for one API base URL. Every request for a record goes to `apiFor(record's api)`. */
  apiFor: (baseUrl: string) => ApiClient;
  /**
   * Whether this context may connect to that API at all (a page's CSP names only the API it is
   * set to now). Records it may not reach are left waiting, untouched, and counted as `unreachable`.
   */
  canReach?: (baseUrl: string) => boolean;
  /** Replay only one part of the outbox (one sync tag); both when omitted. */
  only?: 'favorites' | 'reviews';
  /** Per request. Long enough for a slow server, short enough not to hang a sync event. */
  timeoutMs?: number;
  /** Reviews in flight at once. */
  concurrency?: number;
  notify?: (message: SyncMessage) => void;
  now?: () => number;
}

export interface ReplayOutcome {
  reviewsSent: number;
  /** Edits and deletions of the person's own reviews. */
  editsSent: number;
  favoritesSent: number;
  failed: number;
  failures: string[];
  /** Records still waiting because the server could not be reached or asked us to wait. */
  remaining: number;
  /** Records left alone because this context may not connect to their API (`canReach`). */
  unreachable: number;
  retryAfterMs?: number;
}

/** The replay stopped on a transient failure; the records are kept. Reject the sync event with it. */
export class RetryLaterError extends Error {
  constructor(
    readonly outcome: ReplayOutcome,
    override readonly cause?: unknown,
  ) {
    super(`${outcome.remaining} change(s) kept for a later retry: ${(cause as Error)?.message ?? 'server asked to wait'}`);
    this.name = 'RetryLaterError';
  }
}

/** Meta key: no request before this time (epoch ms), from a server's Retry-After. */
export const RETRY_AFTER_KEY = 'retryAfterUntil';
const FLUSH_EVERY = 25;
const CHANGED_THROTTLE_MS = 250;

/**
 * The API a record must be delivered to. A record of the previous release has no `api`; that
 * release only ever sent to the app's own origin, so it belongs there.
 */
export function apiOfRecord(record: { api?: string }): string {
  return record.api ?? globalThis.location.origin;
}

/** Runs `task` while holding the replay lock, where the platform has Web Locks. */
export function withReplayLock<T>(task: () => Promise<T>): Promise<T> {
  // Windows and workers both have `navigator.locks`; very old browsers have neither.
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  return locks ? (locks.request(REPLAY_LOCK, task) as Promise<T>) : task();
}

export function replayOutbox(options: ReplayOptions): Promise<ReplayOutcome> {
  return withReplayLock(() => new Replay(options).run());
}

/** Pending records left in the outbox (failed ones wait for the person, not for the network). */
export async function countPending(db: AppDb): Promise<{ favorites: number; reviews: number; failed: number }> {
  const tx = db.transaction(['offline-favorites', 'offline-reviews']);
  const [favorites, reviews] = await Promise.all([
    tx.objectStore('offline-favorites').getAll(),
    tx.objectStore('offline-reviews').getAll(),
  ]);
  const failed = [...favorites, ...reviews].filter((r) => r.status === 'failed').length;
  return {
    favorites: favorites.filter((f) => f.status === 'pending').length,
    reviews: reviews.filter((r) => r.status === 'pending').length,
    failed,
  };
}

class Replay {
  private readonly db: AppDb;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly outcome: ReplayOutcome = {
    reviewsSent: 0,
    editsSent: 0,
    favoritesSent: 0,
    failed: 0,
    failures: [],
    remaining: 0,
    unreachable: 0,
  };
  private readonly clients = new Map<string, ApiClient>();
  /** The API the cached server copies belong to; answers from another one are not cached. */
  private dataApi = '';
  /**
   * Transient failures by API. Once an API failed, nothing new is sent to it in this run; the
   * others go on, so an API that is down (or gone) does not hold back writes for another.
   */
  private readonly held = new Map<string, unknown>();
  private lastChanged = 0;
  private readonly countedUnreachable = new Set<number>();

  constructor(private readonly options: ReplayOptions) {
    this.db = options.db;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async run(): Promise<ReplayOutcome> {
    const dataApi = (await this.db.get('meta', DATA_API_META_KEY))?.value;
    this.dataApi = typeof dataApi === 'string' ? dataApi : globalThis.location.origin;
    const waitMs = await this.backOffRemaining();
    if (waitMs > 0) {
      this.outcome.retryAfterMs = waitMs;
      this.outcome.remaining = await this.countRemaining();
      if (this.outcome.remaining) throw new RetryLaterError(this.outcome);
      return this.outcome;
    }
    if (this.options.only !== 'reviews') await this.replayFavorites();
    if (this.options.only !== 'favorites') await this.replayReviews();

    this.outcome.remaining = await this.countRemaining();
    if (this.outcome.reviewsSent || this.outcome.editsSent || this.outcome.favoritesSent || this.outcome.failed) {
      this.options.notify?.({ type: 'replayed', ...pick(this.outcome) });
    }
    if (this.held.size) throw new RetryLaterError(this.outcome, this.held.values().next().value);
    return this.outcome;
  }

  // ---- Favorites ------------------------------------------------------------------------------

  private async replayFavorites(): Promise<void> {
    // A toggle made while a PUT was in flight leaves a record with a new stamp: send it too.
    const sent = new Set<string>();
    for (let pass = 0; pass < 3; pass++) {
      const pending = (await this.db.getAll('offline-favorites')).filter((f) => f.status === 'pending' && !sent.has(f.stamp));
      const due = pending.filter((f) => this.reachable(f));
      if (pass === 0) this.outcome.unreachable += pending.length - due.length;
      if (!due.length) return;
      for (const favorite of due) {
        if (this.isHeld(favorite)) continue;
        sent.add(favorite.stamp);
        await this.sendFavorite(favorite);
      }
    }
  }

  private async sendFavorite(favorite: OfflineFavorite): Promise<void> {
    try {
      const restaurant = await this.apiOf(favorite).setFavorite(favorite.restaurant_id, favorite.is_favorite, {
        timeoutMs: this.timeoutMs,
      });
      await this.settleFavorite(favorite, restaurant);
      this.outcome.favoritesSent++;
      this.changed();
    } catch (error) {
      if (isRetryable(error)) return this.holdOn(error, favorite);
      await this.failFavorite(favorite, messageOf(error));
    }
  }

  private async settleFavorite(sent: OfflineFavorite, restaurant: Restaurant): Promise<void> {
    const tx = this.db.transaction(['restaurants', 'offline-favorites'], 'readwrite');
    const outbox = tx.objectStore('offline-favorites');
    const current = await outbox.get(sent.restaurant_id);
    if (!this.isDataApi(sent)) {
      // Delivered to an API whose data this device no longer shows: nothing to cache.
      if (current?.stamp === sent.stamp) await outbox.delete(sent.restaurant_id);
    } else if (current?.stamp === sent.stamp) {
      await outbox.delete(sent.restaurant_id);
      await tx.objectStore('restaurants').put(restaurant);
    } else {
      // A newer wish is queued: keep it, and keep showing it.
      const wish = current?.is_favorite ?? restaurant.is_favorite;
      await tx.objectStore('restaurants').put({ ...restaurant, is_favorite: wish });
    }
    await tx.done;
  }

  private async failFavorite(sent: OfflineFavorite, message: string): Promise<void> {
    const tx = this.db.transaction('offline-favorites', 'readwrite');
    const current = await tx.store.get(sent.restaurant_id);
    if (current?.stamp === sent.stamp) await tx.store.put({ ...current, status: 'failed', error: message });
    await tx.done;
    this.recordFailure(`Favorite for restaurant ${sent.restaurant_id}: ${message}`);
  }

  // ---- Reviews --------------------------------------------------------------------------------

  private async replayReviews(): Promise<void> {
    // Settling a review can queue a follow-up (an edit or deletion made while it was in flight).
    for (let pass = 0; pass < 3; pass++) {
      const due = await this.markAttempt();
      if (!due.length) return;
      const creates = due.filter((r) => !r.op || r.op === 'create');
      // New reviews first (in parallel), then edits and deletions in the order they were made.
      if (creates.length) await this.replayCreates(creates);
      for (const change of due.filter((r) => r.op === 'update' || r.op === 'delete')) {
        if (this.isHeld(change)) continue;
        await this.sendChange(change);
      }
    }
  }

  private async replayCreates(due: OfflineReview[]): Promise<void> {
    const alreadyThere = await this.findDelivered(due.filter((r) => r.attempts > 1));

    const delivered: Array<{ sent: OfflineReview; review: CreatedReview }> = [];
    const flush = async () => {
      if (!delivered.length) return;
      await this.settleReviews(delivered.splice(0));
      this.changed();
    };

    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        // Read it again just before sending: the person may have edited or deleted it meanwhile.
        const record = await this.db.get('offline-reviews', due[next++].local_id!);
        if (!record || record.status !== 'pending' || this.isHeld(record)) continue;
        const found = alreadyThere.get(deliveredKey(record, record.client_id));
        const review = found ?? (await this.sendReview(record));
        if (review) {
          delivered.push({ sent: record, review });
          if (delivered.length >= FLUSH_EVERY) await flush();
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 6 }, worker));
    await flush();
  }

  /**
   * Counts one more attempt for every pending review, in one transaction, before anything is sent.
   * If this context dies mid-send, the next replay knows these may have arrived.
   */
  private async markAttempt(): Promise<OfflineReview[]> {
    const tx = this.db.transaction('offline-reviews', 'readwrite');
    const due: OfflineReview[] = [];
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      // A record whose API failed in this run is not tried again in it: no attempt to count.
      if (cursor.value.status !== 'pending' || this.isHeld(cursor.value)) continue;
      if (!this.reachable(cursor.value)) {
        // Counted once per run, not once per pass.
        if (!this.countedUnreachable.has(cursor.value.local_id!)) this.outcome.unreachable++;
        this.countedUnreachable.add(cursor.value.local_id!);
        continue;
      }
      const record = { ...cursor.value, attempts: cursor.value.attempts + 1 };
      await cursor.update(record);
      due.push(record);
    }
    await tx.done;
    return due;
  }

  /**
   * Reviews that a previous, unconfirmed attempt already delivered, keyed by API and client UUID:
   * each record is looked up on its own API, and only an answer from that API settles it.
   */
  private async findDelivered(retried: OfflineReview[]): Promise<Map<string, Review>> {
    const found = new Map<string, Review>();
    const lookups = new Map(retried.map((r) => [`${apiOfRecord(r)} ${r.restaurant_id}`, r]));
    for (const record of lookups.values()) {
      if (this.isHeld(record)) continue;
      try {
        const reviews = await this.apiOf(record).reviewsOf(record.restaurant_id, { timeoutMs: this.timeoutMs });
        for (const review of reviews) if (review.client_id) found.set(deliveredKey(record, review.client_id), review);
      } catch (error) {
        // Not knowing is not safe to send blind: treat it like any transient failure.
        if (isRetryable(error)) this.holdOn(error, record);
        // A 4xx here (say, an unknown restaurant) is answered by the POST itself.
      }
    }
    return found;
  }

  private async sendReview(record: OfflineReview): Promise<CreatedReview | undefined> {
    try {
      const { restaurant_id, name, rating, comments, client_id } = record;
      return await this.apiOf(record).createReview({ restaurant_id, name, rating, comments, client_id }, { timeoutMs: this.timeoutMs });
    } catch (error) {
      if (isRetryable(error)) {
        this.holdOn(error, record);
      } else {
        await this.failReview(record, messageOf(error));
      }
      return undefined;
    }
  }

  /**
   * Stores the server's copies and clears their outbox records, in one transaction. If the person
   * edited or deleted a review while it was in flight, their record becomes an edit or deletion
   * of the review the server now has, instead of being lost.
   */
  private async settleReviews(delivered: Array<{ sent: OfflineReview; review: CreatedReview }>): Promise<void> {
    const tx = this.db.transaction(['reviews', 'offline-reviews', 'own-reviews'], 'readwrite');
    const cached = tx.objectStore('reviews');
    const outbox = tx.objectStore('offline-reviews');
    const own = tx.objectStore('own-reviews');
    await Promise.all(
      delivered.map(async ({ sent, review: { edit_token, ...review } }) => {
        const localId = sent.local_id!;
        // A copy from an API whose data this device no longer shows is not cached.
        const reviews = { put: (copy: Review) => (this.isDataApi(sent) ? cached.put(copy) : undefined) };
        // The token arrives once, with the 201: keep it, or this person can never edit the review.
        if (edit_token) await own.put({ review_id: review.id, restaurant_id: review.restaurant_id, edit_token });
        const current = await outbox.get(localId);
        if (!current) {
          await outbox.put({ ...sent, op: 'delete', review_id: review.id, status: 'pending', attempts: 0 });
          await reviews.put(review);
        } else if (current.name !== sent.name || current.rating !== sent.rating || current.comments !== sent.comments) {
          await outbox.put({ ...current, op: current.op === 'delete' ? 'delete' : 'update', review_id: review.id, attempts: 0 });
          await reviews.put(review);
        } else if (current.op === 'delete') {
          await outbox.put({ ...current, review_id: review.id, attempts: 0 });
          await reviews.put(review);
        } else {
          await outbox.delete(localId);
          await reviews.put(review);
        }
      }),
    );
    await tx.done;
    this.outcome.reviewsSent += delivered.length;
  }

  /** An edit or deletion of a review already on the server, proven ours by its edit token. */
  private async sendChange(record: OfflineReview): Promise<void> {
    const reviewId = record.review_id!;
    const own = await this.db.get('own-reviews', reviewId);
    if (!own) return this.failReview(record, 'This device has no edit token for that review');
    try {
      const updated =
        record.op === 'delete'
          ? undefined
          : await this.apiOf(record).updateReview(
              reviewId,
              { name: record.name, rating: record.rating, comments: record.comments, edit_token: own.edit_token },
              { timeoutMs: this.timeoutMs },
            );
      if (record.op === 'delete') await this.apiOf(record).deleteReview(reviewId, own.edit_token, { timeoutMs: this.timeoutMs });
      const tx = this.db.transaction(['reviews', 'offline-reviews', 'own-reviews'], 'readwrite');
      if (updated) {
        if (this.isDataApi(record)) await tx.objectStore('reviews').put(updated);
      } else {
        if (this.isDataApi(record)) await tx.objectStore('reviews').delete(reviewId);
        await tx.objectStore('own-reviews').delete(reviewId);
      }
      await tx.objectStore('offline-reviews').delete(record.local_id!);
      await tx.done;
      this.outcome.editsSent++;
      this.changed();
    } catch (error) {
      if (isRetryable(error)) this.holdOn(error, record);
      else await this.failReview(record, messageOf(error));
    }
  }

  private async failReview(record: OfflineReview, message: string): Promise<void> {
    const tx = this.db.transaction('offline-reviews', 'readwrite');
    const current = await tx.store.get(record.local_id!);
    // The person may have discarded it meanwhile; then there is nothing to mark.
    if (current) await tx.store.put({ ...current, status: 'failed', error: message });
    await tx.done;
    this.recordFailure(`Review by ${record.name}: ${message}`);
  }

  // ---- Shared -----------------------------------------------------------------------------------

  private apiOf(record: { api?: string }): ApiClient {
    const base = apiOfRecord(record);
    let client = this.clients.get(base);
    if (!client) this.clients.set(base, (client = this.options.apiFor(base)));
    return client;
  }

  private reachable(record: { api?: string }): boolean {
    return this.options.canReach?.(apiOfRecord(record)) ?? true;
  }

  private isDataApi(record: { api?: string }): boolean {
    return apiOfRecord(record) === this.dataApi;
  }

  private isHeld(record: { api?: string }): boolean {
    return this.held.has(apiOfRecord(record));
  }

  private holdOn(error: unknown, record: { api?: string }): void {
    const api = apiOfRecord(record);
    if (!this.held.has(api)) this.held.set(api, error);
    const retryAfterMs = error instanceof HttpError ? error.retryAfterMs : undefined;
    if (retryAfterMs) {
      this.outcome.retryAfterMs = Math.max(this.outcome.retryAfterMs ?? 0, retryAfterMs);
      void this.db.put('meta', { key: RETRY_AFTER_KEY, value: this.now() + retryAfterMs });
    }
  }

  private recordFailure(message: string): void {
    this.outcome.failed++;
    this.outcome.failures.push(message);
    this.changed(true);
  }

  private async backOffRemaining(): Promise<number> {
    const until = (await this.db.get('meta', RETRY_AFTER_KEY))?.value;
    return typeof until === 'number' ? Math.max(0, until - this.now()) : 0;
  }

  private async countRemaining(): Promise<number> {
    const { favorites, reviews } = await countPending(this.db);
    return (this.options.only === 'reviews' ? 0 : favorites) + (this.options.only === 'favorites' ? 0 : reviews);
  }

  /** Tells the pages to re-read, at most every 250 ms while a large outbox drains. */
  private changed(force = false): void {
    const now = this.now();
    if (!force && now - this.lastChanged < CHANGED_THROTTLE_MS) return;
    this.lastChanged = now;
    this.options.notify?.({ type: 'changed' });
  }
}

function deliveredKey(record: { api?: string }, clientId: string): string {
  return `${apiOfRecord(record)} ${clientId}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pick({ reviewsSent, editsSent, favoritesSent, failed, failures }: ReplayOutcome) {
  return { reviewsSent, editsSent, favoritesSent, failed, failures };
}
