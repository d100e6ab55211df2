import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { OfflineReview } from '../../shared/db-schema';
import { Database } from '../core/database';
import { EditRequest } from '../reviews/edit-request';
import { Outbox } from './outbox';

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
    @if (outbox.failedCount()) {
      <section class="banner banner-warning" aria-labelledby="failed-changes-title">
        <p id="failed-changes-title" class="banner-title"><strong>Not sent</strong></p>
        <p>The server refused {{ outbox.failedCount() === 1 ? 'this change' : 'these changes' }}. Edit or retry, or discard.</p>
        <ul class="failed-list">
          @for (favorite of outbox.failedFavorites(); track favorite.restaurant_id) {
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
          @for (review of outbox.failedReviews(); track review.client_id) {
            <li>
              <span [id]="'failed-review-' + review.client_id">
                {{ describe(review) }}
                <a [routerLink]="['/restaurant', review.restaurant_id]">{{ nameOf(review.restaurant_id) }}</a>:
                {{ review.error }}
              </span>
              @if (review.op !== 'delete') {
                <button
                  type="button"
                  class="button button-quiet"
                  [attr.aria-describedby]="'failed-review-' + review.client_id"
                  (click)="edit(review)"
                >
                  Edit
                </button>
              }
              <button
                type="button"
                class="button button-quiet"
                [attr.aria-describedby]="'failed-review-' + review.client_id"
                (click)="outbox.retryReview(review.local_id!)"
              >
                Retry
              </button>
              <button
                type="button"
                class="button button-quiet"
                [attr.aria-describedby]="'failed-review-' + review.client_id"
                (click)="outbox.discardReview(review.local_id!)"
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
  private readonly database = inject(Database);
  private readonly router = inject(Router);
  private readonly editRequest = inject(EditRequest);

  /** Names of the restaurants with refused changes, read from this device's copy. */
  private readonly names = signal<ReadonlyMap<number, string>>(new Map());

  constructor() {
    effect(() => {
      const ids = [
        ...this.outbox.failedFavorites().map((f) => f.restaurant_id),
        ...this.outbox.failedReviews().map((r) => r.restaurant_id),
      ];
      if (ids.length) void this.loadNames(ids);
    });
  }

  /** "Emily"; "restaurant 2" only while (or if) this device has no copy of it. */
  protected nameOf(restaurantId: number): string {
    return this.names().get(restaurantId) ?? `restaurant ${restaurantId}`;
  }

  protected describe(review: OfflineReview): string {
    const op = review.op ?? 'create';
    if (op === 'delete') return `Deleting the review by ${review.name} of`;
    return `${op === 'update' ? 'Your change to the review' : 'Review'} by ${review.name} of`;
  }

  /** Reopens the review in the form, with its text, on its restaurant's page. */
  protected edit(review: OfflineReview): void {
    this.editRequest.ask(review.local_id!);
    void this.router.navigate(['/restaurant', review.restaurant_id]);
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
