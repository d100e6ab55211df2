import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { Stored, StoredReview, StoredReviewSlot, UnreadableRecord } from '../../shared/outbox-records';
import { Database } from '../core/database';
import { EditRequest } from '../reviews/edit-request';
import { Outbox } from './outbox';
import { OutboxStatus } from './outbox-status';

/**
 * Every change the server refused for good, in one place, each named by its restaurant, with
 * Edit (reviews), Retry and Discard. Reviews also show on their restaurant's page; a refused
 * favorite has no other home, and neither is ever dropped without the person's say.
 */
@Component({
  selector: 'app-failed-changes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  host: { class: 'failed-changes' },
  template: `
    @if (status.failedCount()) {
      <section class="banner banner-warning" aria-labelledby="failed-changes-title">
        <p id="failed-changes-title" class="banner-title"><strong>Not sent</strong></p>
        <p>The server refused {{ status.failedCount() === 1 ? 'this change' : 'these changes' }}. Edit or retry, or discard.</p>
        <ul class="failed-list">
          @for (favorite of status.failedFavorites(); track favorite.restaurant_id) {
            <li>
              <span [id]="'failed-favorite-' + favorite.restaurant_id">
                {{ favorite.is_favorite ? 'Favorite' : 'Unfavorite' }}
                <a [routerLink]="['/restaurant', favorite.restaurant_id]">{{ nameOf(favorite.restaurant_id) }}</a>:
                {{ favorite.error }}
              </span>
              <button
                type="button"
                class="button button-quiet"
                [attr.aria-describedby]="'failed-favorite-' + favorite.restaurant_id"
                (click)="outbox.retryFavorite(favorite.restaurant_id)"
              >
                Retry
              </button>
              <button
                type="button"
                class="button button-quiet"
                [attr.aria-describedby]="'failed-favorite-' + favorite.restaurant_id"
                (click)="outbox.discardFavorite(favorite.restaurant_id)"
              >
                Discard
              </button>
            </li>
          }
          @for (record of status.failedReviews(); track record.local_id) {
            <li>
              <span [id]="'failed-review-' + record.local_id">
                {{ describe(record) }}
                @if (record.restaurant_id !== undefined) {
                  <a [routerLink]="['/restaurant', record.restaurant_id]">{{ nameOf(record.restaurant_id) }}</a>
                }:
                {{ record.error }}
              </span>
              @if (record.kind === 'review-create' || record.kind === 'review-edit') {
                <button
                  type="button"
                  class="button button-quiet"
                  [attr.aria-describedby]="'failed-review-' + record.local_id"
                  (click)="edit(record)"
                >
                  Edit
                </button>
              }
              @if (record.kind !== 'unreadable') {
                <button
                  type="button"
                  class="button button-quiet"
                  [attr.aria-describedby]="'failed-review-' + record.local_id"
                  (click)="outbox.retryReview(record.local_id)"
                >
                  Retry
                </button>
              }
              <button
                type="button"
                class="button button-quiet"
                [attr.aria-describedby]="'failed-review-' + record.local_id"
                (click)="outbox.discardReview(record.local_id)"
              >
                Discard
              </button>
            </li>
          }
        </ul>
      </section>
    }
  `,
})
export class FailedChanges {
  protected readonly outbox = inject(Outbox);
  protected readonly status = inject(OutboxStatus);
  private readonly database = inject(Database);
  private readonly router = inject(Router);
  private readonly editRequest = inject(EditRequest);

  /** Names of the restaurants with refused changes, read from this device's copy. */
  private readonly names = signal<ReadonlyMap<number, string>>(new Map());

  constructor() {
    effect(() => {
      const ids = [
        ...this.status.failedFavorites().map((f) => f.restaurant_id),
        ...this.status.failedReviews().flatMap((r) => (r.restaurant_id === undefined ? [] : [r.restaurant_id])),
      ];
      if (ids.length) void this.loadNames(ids);
    });
  }

  /** "Emily"; "restaurant 2" only while (or if) this device has no copy of it. */
  protected nameOf(restaurantId: number): string {
    return this.names().get(restaurantId) ?? `restaurant ${restaurantId}`;
  }

  protected describe(record: StoredReviewSlot): string {
    switch (record.kind) {
      case 'review-create':
        return `Review by ${record.name} of`;
      case 'review-edit':
        return `Your change to the review by ${record.name} of`;
      case 'review-delete':
        return 'Deleting your review of';
      case 'unreadable':
        return describeUnreadable(record);
    }
  }

  /** Reopens the review in the form, with its text, on its restaurant's page. */
  protected edit(record: StoredReview): void {
    this.editRequest.ask(record.local_id);
    void this.router.navigate(['/restaurant', record.restaurant_id]);
  }

  private async loadNames(ids: readonly number[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.names().has(id));
    if (!missing.length) return;
    try {
      const db = await this.database.get();
      const found = await Promise.all(missing.map((id) => db.get('restaurants', id)));
      const names = new Map(this.names());
      for (const restaurant of found) if (restaurant) names.set(restaurant.id, restaurant.name);
      this.names.set(names);
    } catch {
      // The ids stay as they are: still a working link.
    }
  }
}

function describeUnreadable(record: Stored<UnreadableRecord>): string {
  return record.restaurant_id === undefined ? 'A change' : 'A change for';
}
