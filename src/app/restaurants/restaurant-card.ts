import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Restaurant } from '../../shared/api';
import type { RestaurantView } from '../../shared/pending-view';
import { RatingSummary } from '../ratings/rating-summary';
import { FavoriteToggle } from './favorite-toggle';
import { ART_HEIGHT, ART_WIDTH, artAlt, artFor, artHue } from './restaurant-art';

/**
 * One restaurant in the list. The name's link stretches over the whole card for pointers, while
 * keyboard and screen reader users meet one link and one button per card.
 */
@Component({
  selector: 'app-restaurant-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, FavoriteToggle, RatingSummary],
  template: `
    <article class="card">
      <img
        class="card-art art"
        [src]="art()"
        [alt]="alt()"
        [width]="artWidth"
        [height]="artHeight"
        [attr.loading]="eager() ? 'eager' : 'lazy'"
        [attr.fetchpriority]="priority() ? 'high' : null"
        decoding="async"
        [style.--art-hue]="hue()"
      />
      <div class="card-body">
        <h2 class="card-title">
          <a class="card-link" [routerLink]="['/restaurant', restaurant().id]">{{ restaurant().name }}</a>
        </h2>
        <app-rating-summary class="card-rating" [restaurantId]="restaurant().id" />
        <p class="card-meta">{{ restaurant().neighborhood }}<span aria-hidden="true"> · </span><span class="visually-hidden">, </span>{{ restaurant().cuisine_type }}</p>
        <p class="card-address">{{ restaurant().address }}</p>
        <app-favorite-toggle
          class="card-favorite"
          [restaurantId]="restaurant().id"
          [name]="restaurant().name"
          [favorite]="restaurant().is_favorite"
          [sync]="restaurant().favoriteSync ?? 'synced'"
        />
      </div>
    </article>
  `,
  styleUrl: './restaurant-card.css',
})
export class RestaurantCard {
  readonly restaurant = input.required<Restaurant & Partial<Pick<RestaurantView, 'favoriteSync'>>>();
  /** The first cards are above the fold: load their art at once for a fast largest paint. */
  readonly eager = input(false);
  readonly priority = input(false);

  protected readonly artWidth = ART_WIDTH;
  protected readonly artHeight = ART_HEIGHT;
  protected readonly art = computed(() => artFor(this.restaurant().cuisine_type));
  protected readonly alt = computed(() => artAlt(this.restaurant()));
  protected readonly hue = computed(() => artHue(this.restaurant().id));
}
