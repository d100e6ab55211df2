import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { ratingText, reviewCountText } from './rating-text';
import { RatingData } from './rating-data';

/**
 * "★ 4.3 · 12 reviews (1 pending)" for one restaurant. One sentence for screen readers; the star
 * and separators are for the eye only. Pending reviews and changes are this device's, not yet on
 * the server.
 */
@Component({
  selector: 'app-rating-summary',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'rating-summary', '[class.has-pending]': 'rating().pending + rating().changesPending > 0' },
  template: `
    @if (rating().count) {
      <span aria-hidden="true" class="rating-star">★</span>
      <span aria-hidden="true" class="rating-value">{{ value() }}</span>
      <span aria-hidden="true"> · </span>
    }
    <span aria-hidden="true" class="rating-count">{{ countText() }}</span>
    <span class="visually-hidden">{{ spoken() }}</span>
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 0.25rem;
      color: var(--text-muted);
      font-size: 0.95rem;
    }
    .rating-star {
      color: var(--star);
    }
    .rating-value {
      color: var(--text);
      font-weight: 700;
    }
  `,
})
export class RatingSummary {
  readonly restaurantId = input.required<number>();

  private readonly ratings = inject(RatingData);
  protected readonly rating = computed(() => this.ratings.ratingOf(this.restaurantId()));
  protected readonly value = computed(() => ratingText(this.rating().average));
  protected readonly countText = computed(() => reviewCountText(this.rating()));
  protected readonly spoken = computed(() => {
    const rating = this.rating();
    if (!rating.count) return 'No reviews yet';
    const pending = rating.pending ? `, ${rating.pending} of them waiting to be sent from this device` : '';
    const changes = rating.changesPending
      ? `, counting ${rating.changesPending === 1 ? 'a change' : `${rating.changesPending} changes`} to reviews not sent from this device yet`
      : '';
    return `Rated ${this.value()} out of 5 from ${reviewCountText({ ...rating, pending: 0, changesPending: 0 })}${pending}${changes}`;
  });
}
