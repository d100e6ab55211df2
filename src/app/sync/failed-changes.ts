import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Outbox } from './outbox';

/**
 * Every change the server refused for good, in one place, with Retry and Discard. Reviews also show
 * on their restaurant's page; a refused favorite has no other home, and neither is ever dropped
 * without the person's say.
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
        <p>The server refused these changes. Fix or retry them, or discard them.</p>
        <ul class="failed-list">
          @for (favorite of outbox.failedFavorites(); track favorite.restaurant_id) {
            <li>
              <span>
                {{ favorite.is_favorite ? 'Favorite' : 'Unfavorite' }}
                <a [routerLink]="['/restaurant', favorite.restaurant_id]">restaurant {{ favorite.restaurant_id }}</a>:
                {{ favorite.error }}
              </span>
              <button type="button" class="button button-quiet" (click)="outbox.retryFavorite(favorite.restaurant_id)">
                Retry
              </button>
              <button type="button" class="button button-quiet" (click)="outbox.discardFavorite(favorite.restaurant_id)">
                Discard
              </button>
            </li>
          }
          @for (review of outbox.failedReviews(); track review.client_id) {
            <li>
              <span>
                Review by {{ review.name }} of
                <a [routerLink]="['/restaurant', review.restaurant_id]">restaurant {{ review.restaurant_id }}</a>:
                {{ review.error }}
              </span>
              <button type="button" class="button button-quiet" (click)="outbox.retryReview(review.local_id!)">
                Retry
              </button>
              <button type="button" class="button button-quiet" (click)="outbox.discardReview(review.local_id!)">
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
}
