import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { type Observable, of, startWith, switchMap } from 'rxjs';
import type { RestaurantView } from '../../shared/pending-view';
import { LOADING, type Loaded } from '../core/loaded';
import { whenInDom } from '../core/focus-on-navigation';
import { NotFound } from '../core/not-found';
import { samePlaces } from '../map/map-place';
import { RestaurantMap } from '../map/restaurant-map';
import { ReviewData, type ReviewItem } from '../reviews/review-data';
import { ReviewForm } from '../reviews/review-form';
import { ReviewList } from '../reviews/review-list';
import { RatingSummary } from '../ratings/rating-summary';
import { FavoriteToggle } from './favorite-toggle';
import { OpeningHours } from './opening-hours';
import { ART_HEIGHT, ART_WIDTH, artAlt, artFor, artHue } from './restaurant-art';
import { ListMemory, RETURN_TO_LIST } from './list-memory';
import { RestaurantData } from './restaurant-data';
import { openNow } from './open-now';
import { ShareButton } from './share-button';

const NOT_FOUND: Loaded<never> = { state: 'not-found' };
const APP_NAME = 'Restaurant Reviews';

/** `/restaurant/:id`. Anything but a positive whole number is a restaurant that cannot exist. */
export function parseRestaurantId(id: string): number | undefined {
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const value = Number(id);
  return value > 0 ? value : undefined;
}

@Component({
  selector: 'app-restaurant-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NotFound, ShareButton, FavoriteToggle, OpeningHours, RestaurantMap, ReviewList, ReviewForm, RatingSummary],
  templateUrl: './restaurant-page.html',
  styleUrl: './restaurant-page.css',
})
export class RestaurantPage {
  /** The `:id` route parameter, bound by the router. */
  readonly id = input.required<string>();

  private readonly restaurants = inject(RestaurantData);
  private readonly reviewData = inject(ReviewData);

  /** "← All restaurants" goes back to the list as the person left it. */
  protected readonly listQuery = inject(ListMemory).query;
  protected readonly returnToList = RETURN_TO_LIST;

  protected readonly restaurantId = computed(() => parseRestaurantId(this.id()));

  protected readonly restaurant = toSignal(
    this.streamFor((id) => this.restaurants.one(id)),
    { initialValue: LOADING as Loaded<RestaurantView> },
  );
  protected readonly reviews = toSignal(
    this.streamFor((id) => this.reviewData.forRestaurant(id)),
    { initialValue: LOADING as Loaded<ReviewItem[]> },
  );

  protected readonly current = computed(() => {
    const restaurant = this.restaurant();
    return restaurant.state === 'ready' ? restaurant.value : undefined;
  });
  protected readonly stale = computed(() => {
    const restaurant = this.restaurant();
    return restaurant.state === 'ready' && restaurant.stale;
  });
  /** Unchanged by a favorite toggle or a refresh, so the map keeps its marker as it is. */
  protected readonly places = computed(
    () => {
      const restaurant = this.current();
      return restaurant ? [restaurant] : [];
    },
    { equal: samePlaces },
  );

  /** "Open now · closes 11 pm", from the device's clock when the page opened. */
  protected readonly openNow = computed(() => {
    const restaurant = this.current();
    return restaurant ? openNow(restaurant.operating_hours, new Date()) : undefined;
  });
  /** A maps search for the place; any device opens it in its maps app or the browser. */
  protected readonly directions = computed(() => {
    const restaurant = this.current();
    if (!restaurant) return undefined;
    const { lat, lng } = restaurant.latlng;
    const destination = Number.isFinite(lat) && Number.isFinite(lng) ? `${lat},${lng}` : restaurant.address;
    return destination ? `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}` : undefined;
  });
  protected readonly pageUrl = computed(() => new URL(`/restaurant/${this.current()?.id ?? ''}`, location.origin).href);

  /** A plain `#…` link would leave the page under `<base href="/">`: move to the form directly. */
  protected toReviewForm(event: Event): void {
    event.preventDefault();
    this.formWanted.set(true);
    // The form may still be loading (it is deferred): move to it once its first field is there.
    whenInDom(
      () => document.querySelector<HTMLElement>('#review-form input'),
      (input) => {
        document.getElementById('review-form')?.scrollIntoView({ block: 'start' });
        input.focus({ preventScroll: true });
      },
    );
  }

  /** "Write a review" was pressed before the deferred form loaded by itself. */
  protected readonly formWanted = signal(false);

  protected readonly artWidth = ART_WIDTH;
  protected readonly artHeight = ART_HEIGHT;
  protected readonly art = computed(() => artFor(this.current()?.cuisine_type ?? ''));
  protected readonly alt = computed(() => {
    const restaurant = this.current();
    return restaurant ? artAlt(restaurant) : '';
  });
  protected readonly hue = computed(() => artHue(this.current()?.id ?? 0));

  constructor() {
    const title = inject(Title);
    effect(() => {
      const restaurant = this.restaurant();
      if (restaurant.state === 'ready') title.setTitle(`${restaurant.value.name} · ${APP_NAME}`);
      else if (restaurant.state === 'not-found') title.setTitle(`Restaurant not found · ${APP_NAME}`);
    });
  }

  /** A new id starts from "loading", so the previous restaurant never shows under the new address. */
  private streamFor<T>(load: (id: number) => Observable<Loaded<T>>): Observable<Loaded<T>> {
    return toObservable(this.restaurantId).pipe(
      switchMap((id) => (id === undefined ? of(NOT_FOUND) : load(id).pipe(startWith(LOADING)))),
    );
  }
}
