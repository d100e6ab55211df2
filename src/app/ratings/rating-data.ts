import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { debounceTime, filter, merge } from 'rxjs';
import { type RatingSummary, NO_RATING, type ShownRating, withPending } from '../../shared/ratings';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { OutboxStatus } from '../sync/outbox-status';
import { Reconnect } from '../sync/reconnect';
import { SyncEvents } from '../sync/sync-events';
import { pendingRatingsByRestaurant } from './pending-ratings';

/** The last answer of `GET /ratings`, kept in the shared `meta` store for offline visits. */
const CACHE_KEY = 'ratings';
const READ_TIMEOUT_MS = 15_000;

/**
 * Average rating and review count per restaurant: the server's figures (cached on the device, so
 * they show offline too) plus this device's pending new reviews, which the view marks as pending.
 * A server without `GET /ratings` (the original one) leaves the figures empty and nothing breaks.
 */
@Injectable({ providedIn: 'root' })
export class RatingData {
  private readonly api = inject(Api);
  private readonly database = inject(Database);
  private readonly outbox = inject(OutboxStatus);

  private readonly summaries = signal<ReadonlyMap<number, RatingSummary>>(new Map());
  private readonly pending = computed(() => pendingRatingsByRestaurant(this.outbox.queuedReviews()));

  /** Only restaurants with reviews (server or pending) are in it; the rest have NO_RATING. */
  private readonly shown = computed(() => {
    const summaries = this.summaries();
    const pending = this.pending();
    const shown = new Map<number, ShownRating>();
    for (const [id, summary] of summaries) shown.set(id, withPending(summary, pending.get(id) ?? []));
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
