import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { groupDigits } from '../../shared/counts';
import { FocusOnNavigation, whenInDom } from '../core/focus-on-navigation';
import { InPlaceStatus } from '../core/in-place-status';
import type { Loaded } from '../core/loaded';
import { Toaster } from '../core/toaster';
import { Connectivity } from '../sync/connectivity';
import { EditRequest } from './edit-request';
import { isLongText } from './long-text';
import { type ReviewItem, ReviewData } from './review-data';
import { ReviewForm } from './review-form';
import { reviewState } from './review-state';
import { StarRating } from './star-rating';

/**
 * Reviews drawn at first, and added by each "Show more". A restaurant with thousands of reviews
 * then costs no more to draw than one with twenty, also while a large outbox drains and the list
 * is read again after every settled batch.
 */
export const REVIEWS_PER_STEP = 20;

/**
 * The reviews of one restaurant, the server's and this device's queued ones together. Comments
 * are interpolated as text, never as HTML. The person's own reviews can be edited or deleted,
 * offline too: the change goes through the outbox like a new review.
 */
@Component({
  selector: 'app-review-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, StarRating, ReviewForm],
  templateUrl: './review-list.html',
  styleUrl: './review-list.css',
})
export class ReviewList {
  readonly reviews = input.required<Loaded<ReviewItem[]>>();

  private readonly data = inject(ReviewData);
  private readonly toaster = inject(Toaster);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly connectivity = inject(Connectivity);

  protected readonly items = computed(() => {
    const reviews = this.reviews();
    return reviews.state === 'ready' ? reviews.value : [];
  });
  /**
   * How many of the list are drawn. Reviews the server refused always are, wherever they sit: they
   * wait for the person to act on them.
   */
  private readonly limit = signal(REVIEWS_PER_STEP);
  protected readonly shown = computed(() => {
    const items = this.items();
    const limit = this.limit();
    return items.length <= limit ? items : items.filter((item, i) => i < limit || item.sync === 'failed');
  });
  protected readonly notShown = computed(() => this.items().length - this.shown().length);
  protected readonly nextStep = computed(() => Math.min(REVIEWS_PER_STEP, this.notShown()));
  protected readonly groupDigits = groupDigits;

  protected readonly stale = computed(() => {
    const reviews = this.reviews();
    return reviews.state === 'ready' && reviews.stale;
  });

  /** The key of the review being edited, or being asked "Delete this review?" about. */
  protected readonly editing = signal<string | undefined>(undefined);
  protected readonly confirming = signal<string | undefined>(undefined);

  constructor() {
    // Each review says "Sent" itself here: the sync toast would only cover that.
    inject(DestroyRef).onDestroy(inject(InPlaceStatus).showReviews());
    // "Edit" in the "Not sent" banner: open that review's form once the list shows it.
    const request = inject(EditRequest);
    const focusOnNavigation = inject(FocusOnNavigation);
    effect(() => {
      const localId = request.requested();
      const key = localId === undefined ? undefined : this.items().find((item) => item.localId === localId)?.key;
      if (key === undefined) return;
      untracked(() => {
        request.done();
        this.editing.set(key);
        focusOnNavigation.claim();
        whenInDom(
          () => this.host.nativeElement.querySelector<HTMLElement>(`[data-review="${CSS.escape(key)}"] textarea`),
          (field) => {
            field.scrollIntoView({ block: 'center' });
            field.focus({ preventScroll: true });
          },
        );
      });
    });
  }

  /** Keys of the long reviews opened with "Read more". */
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  protected readonly isLong = isLongText;

  protected toggleText(key: string): void {
    this.expanded.update((keys) => {
      const next = new Set(keys);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }

  /** Draws the next reviews and moves focus to the first of them, where reading goes on. */
  protected showMore(): void {
    const before = new Set(this.shown().map((item) => item.key));
    this.limit.update((limit) => limit + REVIEWS_PER_STEP);
    const first = this.shown().find((item) => !before.has(item.key));
    if (first) whenInDom(() => this.host.nativeElement.querySelector<HTMLElement>(`[data-review="${CSS.escape(first.key)}"]`), (card) => card.focus());
  }

  protected stateOf(review: ReviewItem) {
    return reviewState(review, this.connectivity.online());
  }

  protected stopEditing(review: ReviewItem): void {
    this.editing.set(undefined);
    this.focusReview(review);
  }

  protected async remove(review: ReviewItem): Promise<void> {
    this.confirming.set(undefined);
    await this.data.remove(review);
    this.heading().nativeElement.focus();
    this.toaster.show('Your review was deleted.');
  }

  private focusReview(review: ReviewItem): void {
    this.host.nativeElement.querySelector<HTMLElement>(`[data-review="${CSS.escape(review.key)}"]`)?.focus();
  }

  protected async retry(review: ReviewItem): Promise<void> {
    if (review.localId === undefined) return;
    // The buttons vanish once the review is pending again; focus stays on the review itself.
    this.focusReview(review);
    await this.data.retry(review.localId);
    this.toaster.show('Sending the review again.');
  }

  protected async discard(review: ReviewItem): Promise<void> {
    if (review.localId === undefined) return;
    await this.data.discard(review.localId);
    this.heading().nativeElement.focus();
    this.toaster.show(review.change === 'create' ? 'The review was discarded.' : 'Your change was discarded.');
  }
}
