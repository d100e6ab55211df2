import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, signal, viewChild } from '@angular/core';
import type { Loaded } from '../core/loaded';
import { Toaster } from '../core/toaster';
import { type ReviewItem, ReviewData } from './review-data';
import { ReviewForm } from './review-form';
import { StarRating } from './star-rating';

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

  protected readonly items = computed(() => {
    const reviews = this.reviews();
    return reviews.state === 'ready' ? reviews.value : [];
  });
  protected readonly stale = computed(() => {
    const reviews = this.reviews();
    return reviews.state === 'ready' && reviews.stale;
  });

  /** The key of the review being edited, or being asked "Delete this review?" about. */
  protected readonly editing = signal<string | undefined>(undefined);
  protected readonly confirming = signal<string | undefined>(undefined);

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
