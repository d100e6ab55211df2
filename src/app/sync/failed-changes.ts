import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { describeRecord } from '../../shared/outbox-records';
import { Outbox } from './outbox';
import { OutboxStatus } from './outbox-status';

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
    @if (status.failedCount()) {
      <section class="banner banner-warning" aria-labelledby="failed-changes-title">
        <p id="failed-changes-title" class="banner-title"><strong>Not sent</strong></p>
        <p>The server refused these changes. Fix or retry them, or discard them.</p>
        <ul class="failed-list">
          @for (favorite of status.failedFavorites(); track favorite.restaurant_id) {
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
          @for (record of status.failedReviews(); track record.local_id) {
            <li>
              <span>
                {{ describe(record) }}
                @if (record.restaurant_id !== undefined) {
                  {{ record.kind === 'unreadable' ? 'for' : 'of' }} <a [routerLink]="['/restaurant', record.restaurant_id]">restaurant {{ record.restaurant_id }}</a>
                }:
                {{ record.error }}
              </span>
              @if (record.kind !== 'unreadable') {
                <button type="button" class="button button-quiet" (click)="outbox.retryReview(record.local_id)">
                  Retry
                </button>
              }
              <button type="button" class="button button-quiet" (click)="outbox.discardReview(record.local_id)">
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
  protected readonly describe = describeRecord;
}
