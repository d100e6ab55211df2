import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { REVIEW_LIMITS } from '../../shared/api';

/** "4 out of 5 stars"; out-of-range ratings from old data are shown within the scale. */
export function starLabel(rating: number, max: number = REVIEW_LIMITS.ratingMax): string {
  const stars = clampStars(rating, max);
  return `${stars} out of ${max} ${max === 1 ? 'star' : 'stars'}`;
}

function clampStars(rating: number, max: number): number {
  return Number.isFinite(rating) ? Math.min(max, Math.max(0, Math.round(rating))) : 0;
}

/**
 * Stars are drawn for the eye only: the element is one image named "4 out of 5 stars". The same
 * words are in the DOM as hidden text, so they are also found by text search and copy-paste.
 */
@Component({
  selector: 'app-star-rating',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'img', '[attr.aria-label]': 'label()', class: 'star-rating' },
  template: `
    @for (filled of stars(); track $index) {
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false" [class.filled]="filled">
        <path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z" />
      </svg>
    }
    <span class="visually-hidden">{{ label() }}</span>
  `,
  styles: `
    :host {
      display: inline-flex;
      gap: 0.1rem;
      vertical-align: middle;
    }
    svg {
      fill: none;
      stroke: var(--star-empty);
      stroke-width: 1.6;
      stroke-linejoin: round;
    }
    svg.filled {
      fill: var(--star);
      stroke: var(--star);
    }
  `,
})
export class StarRating {
  readonly rating = input.required<number>();
  readonly max = input<number>(REVIEW_LIMITS.ratingMax);

  protected readonly label = computed(() => starLabel(this.rating(), this.max()));
  protected readonly stars = computed(() => {
    const filled = clampStars(this.rating(), this.max());
    return Array.from({ length: this.max() }, (_, i) => i < filled);
  });
}
