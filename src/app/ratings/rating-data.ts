import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { debounceTime, filter, merge, switchMap } from 'rxjs';
import { NO_PENDING_RATINGS, NO_RATING, type RatingSummary, type ShownRating, withPending } from '../../shared/ratings';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { OutboxStatus } from '../sync/outbox-status';
import { Reconnect } from '../sync/reconnect';
import { SyncEvents } from '../sync/sync-events';
import { pendingRatingsByRestaurant, reviewsChangedByPending } from './pending-ratings';

/** The last answer of `GET /ratings`, kept in the shared `meta` store for offline visits. */
const CACHE_KEY = 'ratings';
const READ_TIMEOUT_MS = 15_000;

/**
 * Average rating and review count per restaurant: the server's figures (cached on the device, so
 * they show offline too) plus this device's pending new reviews, edits and deletions, which the
 * view marks as pending.
 * A server without `GET /ratings` (the original one) leaves the figures empty and nothing breaks.
 */
@Injectable({ providedIn: 'root' })
export class RatingData {
  private readonly api = inject(Api);
  private readonly database = inject(Database);
  private readonly outbox = inject(OutboxStatus);

  private readonly summaries = signal<ReadonlyMap<number, RatingSummary>>(new Map());
  /** The server's rating of each review a pending edit or deletion changes, from its stored copy. */
  private readonly serverRatings = signal<ReadonlyMap<number, number>>(new Map());
  private readonly changedReviews = computed(() => reviewsChangedByPending(this.outbox.queuedReviews()), {
    equal: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  private readonly pending = computed(() => pendingRatingsByRestaurant(this.outbox.queuedReviews(), this.serverRatings()));

  /** Only restaurants with reviews (server or pending) are in it; the rest have NO_RATING. */
  private readonly shown = computed(() => {
    const summaries = this.summaries();
    const pending = this.pending();
    const shown = new Map<number, ShownRating>();
    for (const [id, summary] of summaries) shown.set(id, withPending(summary, pending.get(id) ?? NO_PENDING_RATINGS));
    for (const [id, ratings] of pending) if (!summaries.has(id)) shown.set(id, withPending(undefined, ratings));
    return shown;
  });

  /** Read inside a `computed` or template, it follows every change of the figures. */
  readonly ratingOf = (restaurantId: number): ShownRating => this.shown().get(restaurantId) ?? NO_RATING;
  /** The whole table, for sorting a list by it. */
  readonly table = this.shown;

  private refreshing?: Promise<void>;

  constructor() {
    void this.readCache().then(() => this.refresh());
    // Re-read the server copies when the changed reviews are others, or a pull brought new copies.
    merge(toObservable(this.changedReviews), inject(SyncEvents).changes({ stores: ['reviews'] }))
      .pipe(
        switchMap(() => this.readServerRatings(this.changedReviews())),
        takeUntilDestroyed(),
      )
      .subscribe((ratings) => this.serverRatings.set(ratings));
    // Something reached the server: its figures changed.
    inject(SyncEvents)
      .messages$.pipe(
        filter((m) => m.type === 'replayed' && m.reviewsSent + m.editsSent > 0),
        takeUntilDestroyed(),
      )
      .subscribe(() => void this.refresh());
    // Back online, and whenever a pull brought reviews from elsewhere.
    merge(inject(Reconnect).refreshes$, inject(SyncEvents).changes({ stores: ['reviews'] }).pipe(debounceTime(300)))
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.refresh());
  }

  /** Asks the server again; offline or without the route, the figures shown stay as they are. */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetch().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async fetch(): Promise<void> {
    let summaries: RatingSummary[];
    try {
      summaries = await this.api.ratings({ timeoutMs: READ_TIMEOUT_MS });
    } catch {
      return;
    }
    this.summaries.set(toMap(summaries));
    try {
      const db = await this.database.get();
      await db.put('meta', { key: CACHE_KEY, value: summaries });
    } catch {
      // Not cached: the next offline visit shows no figures, nothing worse.
    }
  }

  private async readServerRatings(reviewIds: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const ratings = new Map<number, number>();
    if (reviewIds.length === 0) return ratings;
    try {
      const tx = (await this.database.get()).transaction('reviews');
      const copies = await Promise.all(reviewIds.map((id) => tx.store.get(id)));
      for (const copy of copies) if (copy) ratings.set(copy.id, copy.rating);
    } catch {
      // Unread: those changes are left to the server's figure, as for a review never stored here.
    }
    return ratings;
  }

  private async readCache(): Promise<void> {
    try {
      const record = await (await this.database.get()).get('meta', CACHE_KEY);
      // A network answer that came first wins over the older cached one.
      if (Array.isArray(record?.value) && this.summaries().size === 0) this.summaries.set(toMap(record.value as RatingSummary[]));
    } catch {
      // No cache: the network's answer will do.
    }
  }
}

function toMap(summaries: readonly RatingSummary[]): ReadonlyMap<number, RatingSummary> {
  return new Map(summaries.map((s) => [s.restaurant_id, s]));
}
