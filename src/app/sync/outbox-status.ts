import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { StoreName } from '../../shared/db-schema';
import { outboxSummary } from '../../shared/pending-view';
import { Database } from '../core/database';
import { oneAtATime } from '../core/one-at-a-time';
import { RuntimeConfig } from '../core/runtime-config';
import { SyncEvents } from './sync-events';

const OUTBOX_STORES: StoreName[] = ['offline-favorites', 'offline-reviews'];

/** What is waiting and what was refused, for the status line and the "Not sent" list. */
@Injectable({ providedIn: 'root' })
export class OutboxStatus {
  private readonly database = inject(Database);
  private readonly config = inject(RuntimeConfig);
  private readonly records = signal<Parameters<typeof outboxSummary>>([[], []]);
  private readonly summary = computed(() => {
    const [favorites, reviews] = this.records();
    // Until the API is known, nothing is said to be going elsewhere, and no queued review is
    // folded into figures (outboxSummary would count every API's as this one's).
    const api = this.config.apiBaseUrl();
    return { ...outboxSummary(favorites, reviews, api), ...(api === undefined ? { waitingElsewhere: [], queuedReviews: [] } : {}) };
  });

  /** Changes queued and not yet confirmed by the server. */
  readonly pendingCount = computed(() => this.summary().pending);
  /** Changes the server refused; they wait for the person to retry or discard them. */
  readonly failedFavorites = computed(() => this.summary().failedFavorites);
  readonly failedReviews = computed(() => this.summary().failedReviews);
  readonly failedCount = computed(() => this.failedFavorites().length + this.failedReviews().length);
  /**
   * Pending changes made for an API other than the one the app is set to now, by API: they still
   * go there (and only there), and the person is told so.
   */
  readonly waitingElsewhere = computed(() => this.summary().waitingElsewhere);
  /**
   * Queued review records meant for the API the app uses now, for views that fold them into what
   * they show (ratings). Records for another API say nothing about this API's figures.
   */
  readonly queuedReviews = computed(() => this.summary().queuedReviews);

  constructor() {
    inject(SyncEvents)
      .changes({ stores: OUTBOX_STORES })
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.refresh());
  }

  /**
   * Re-reads the outbox, one read at a time: a change during a read asks for one more after it.
   * While thousands of queued reviews drain, change notices come every 250 ms; overlapping reads
   * of the whole outbox would compete with the drain itself.
   */
  readonly refresh = oneAtATime(async () => {
    const db = await this.database.get();
    const tx = db.transaction(OUTBOX_STORES);
    const [favorites, reviews] = await Promise.all([
      tx.objectStore('offline-favorites').getAll(),
      tx.objectStore('offline-reviews').getAll(),
    ]);
    this.records.set([favorites, reviews]);
  });
}
