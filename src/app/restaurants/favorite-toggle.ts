import { ChangeDetectionStrategy, Component, inject, input, linkedSignal } from '@angular/core';
import type { SyncState } from '../../shared/pending-view';
import { Toaster } from '../core/toaster';
import { RestaurantData } from './restaurant-data';

/**
 * One heart button for cards and the restaurant page. Its name stays "Favorite <name>" in both
 * states; `aria-pressed` carries the state, so a screen reader says "Favorite Emily, toggle
 * button, pressed".
 *
 * A wish still waiting for the server says so, next to the heart and in the button's description:
 * what the person sees is the server's state plus their own pending change, and which is which.
 * (A wish the server refused is listed, with Retry and Discard, in the "Not sent" banner.)
 */
@Component({
  selector: 'app-favorite-toggle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="favorite-toggle"
      [attr.aria-pressed]="pressed()"
      [attr.aria-label]="'Favorite ' + name()"
      [attr.aria-describedby]="sync() === 'pending' ? waitingId : null"
      (click)="toggle()"
    >
      <svg class="heart" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          d="M12 20.6 10.6 19.3C5.4 14.6 2 11.5 2 7.8 2 4.8 4.4 2.5 7.4 2.5c1.7 0 3.3.8 4.6 2.1 1.3-1.3 2.9-2.1 4.6-2.1 3 0 5.4 2.3 5.4 5.3 0 3.7-3.4 6.8-8.6 11.5z"
        />
      </svg>
      <span aria-hidden="true">Favorite</span>
      @if (sync() === 'pending') {
        <span class="favorite-waiting" [id]="waitingId">Waiting to sync</span>
      }
    </button>
  `,
  styles: `
    .favorite-toggle {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      min-height: 44px;
      padding: 0.4rem 0.9rem 0.4rem 0.7rem;
      border: 1px solid var(--border-strong);
      border-radius: 999px;
      background: var(--surface);
      color: var(--text);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    .favorite-waiting {
      padding-left: 0.4rem;
      border-left: 1px solid var(--border-strong);
      color: var(--text-muted);
      font-size: 0.8rem;
      font-weight: normal;
    }
    .favorite-toggle:hover {
      border-color: var(--accent);
    }
    .heart {
      fill: transparent;
      stroke: var(--accent);
      stroke-width: 2;
    }
    .favorite-toggle[aria-pressed='true'] {
      border-color: var(--accent);
      background: var(--accent-soft);
    }
    .favorite-toggle[aria-pressed='true'] .heart {
      fill: var(--accent);
    }
    @media (prefers-reduced-motion: no-preference) {
      .heart {
        transition: fill 120ms ease-out, transform 120ms ease-out;
      }
      .favorite-toggle:active .heart {
        transform: scale(0.85);
      }
    }
  `,
})
export class FavoriteToggle {
  readonly restaurantId = input.required<number>();
  readonly name = input.required<string>();
  readonly favorite = input.required<boolean>();
  /** Whether `favorite` is the server's, or this device's wish still waiting to be sent. */
  readonly sync = input<SyncState>('synced');

  private static next = 0;
  protected readonly waitingId = `favorite-waiting-${FavoriteToggle.next++}`;

  private readonly data = inject(RestaurantData);
  private readonly toaster = inject(Toaster);

  /** Flips in the same frame as the click; the data stream confirms it (or corrects it) later. */
  protected readonly pressed = linkedSignal(() => this.favorite());

  protected async toggle(): Promise<void> {
    const wish = !this.pressed();
    this.pressed.set(wish);
    try {
      await this.data.setFavorite(this.restaurantId(), wish);
    } catch {
      // Only a failing IndexedDB gets here; the network never blocks a favorite.
      this.pressed.set(!wish);
      this.toaster.show(`${this.name()} could not be saved as a favorite on this device.`);
    }
  }
}
