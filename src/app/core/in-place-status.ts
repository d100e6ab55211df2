import { Injectable, computed, signal } from '@angular/core';

/**
 * Whether the page shows review deliveries in place (each review says "Sent" itself). A toast
 * repeating that would only cover what it repeats, so the sync toasts skip such news then.
 */
@Injectable({ providedIn: 'root' })
export class InPlaceStatus {
  private readonly views = signal(0);
  readonly reviewsShown = computed(() => this.views() > 0);

  /** Returns the function that ends this view's claim (call it on destroy). */
  showReviews(): () => void {
    this.views.update((n) => n + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.views.update((n) => n - 1);
    };
  }
}
