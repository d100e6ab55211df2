import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  linkedSignal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { Restaurant } from '../../shared/api';
import type { RestaurantView } from '../../shared/pending-view';
import { LOADING, type Loaded } from '../core/loaded';
import { RestaurantMap } from '../map/restaurant-map';
import { samePlaces } from '../map/map-place';
import { Connectivity } from '../sync/connectivity';
import { FilterBar } from './filter-bar';
import { RestaurantCard } from './restaurant-card';
import { RestaurantData } from './restaurant-data';
import {
  type RestaurantFilters,
  NO_FILTERS,
  countLabel,
  filterRestaurants,
  filtersFromQuery,
  filtersToQuery,
  hasFilters,
  optionValues,
} from './restaurant-filter';

/**
 * Cards rendered per step. The list grows by a "Show more" button rather than virtual scrolling:
 * every rendered card stays in the DOM, in order, reachable by Tab and by a screen reader's
 * list navigation, and 10,000 restaurants still cost only the cards on screen.
 */
const PAGE_SIZE = 24;
/** Cards in the first row or two, whose art is loaded at once for the largest paint. */
const EAGER_CARDS = 4;
const NONE: readonly Restaurant[] = [];

@Component({
  selector: 'app-restaurant-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FilterBar, RestaurantCard, RestaurantMap],
  templateUrl: './restaurant-list.html',
  styleUrl: './restaurant-list.css',
})
export class RestaurantList {
  // Query parameters, bound by the router (`withComponentInputBinding`): the URL is the filter state.
  readonly neighborhood = input<string>();
  readonly cuisine = input<string>();
  readonly favorites = input<string>();

  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  protected readonly connectivity = inject(Connectivity);

  private readonly filterBar = viewChild.required(FilterBar);
  private readonly cardList = viewChild<ElementRef<HTMLElement>>('cards');

  protected readonly data = toSignal(inject(RestaurantData).all(), {
    initialValue: LOADING as Loaded<RestaurantView[]>,
  });

  protected readonly restaurants = computed(() => {
    const data = this.data();
    return data.state === 'ready' ? data.value : NONE;
  });
  protected readonly stale = computed(() => {
    const data = this.data();
    return data.state === 'ready' && data.stale;
  });

  protected readonly filters = computed(
    () => filtersFromQuery({ neighborhood: this.neighborhood(), cuisine: this.cuisine(), favorites: this.favorites() }),
    { equal: sameFilters },
  );
  protected readonly filtering = computed(() => hasFilters(this.filters()));

  // Options come from all restaurants, not the filtered ones, so no choice ever disappears.
  protected readonly neighborhoods = computed(() => optionValues(this.restaurants(), 'neighborhood'), {
    equal: sameStrings,
  });
  protected readonly cuisines = computed(() => optionValues(this.restaurants(), 'cuisine_type'), {
    equal: sameStrings,
  });

  protected readonly filtered = computed(() => filterRestaurants(this.restaurants(), this.filters()));
  /** What the map draws: unchanged by a favorite toggle, so the map does not redraw for it. */
  protected readonly places = computed(() => this.filtered(), { equal: samePlaces });

  /** Back to one page whenever the filters change; kept when only the data refreshes. */
  private readonly limit = linkedSignal({ source: this.filters, computation: () => PAGE_SIZE });
  protected readonly shown = computed(() => this.filtered().slice(0, this.limit()));
  protected readonly eagerCards = EAGER_CARDS;

  protected readonly countText = computed(() =>
    this.data().state === 'ready' ? countLabel(this.filtered().length) : '',
  );

  protected applyFilters(filters: RestaurantFilters): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: filtersToQuery(filters),
      queryParamsHandling: 'merge',
      // A filter is not a new page: no history entry, no jump to the top.
      replaceUrl: true,
      scroll: 'manual',
    });
  }

  protected clearFilters(): void {
    this.applyFilters(NO_FILTERS);
    // The button goes away with the empty state; focus goes where the person will act next.
    this.filterBar().focus();
  }

  protected showMore(): void {
    const firstNew = this.shown().length;
    this.limit.update((limit) => limit + PAGE_SIZE);
    // Continue where the new cards start, instead of leaving focus on a button that moved down.
    afterNextRender(
      () => this.cardList()?.nativeElement.querySelectorAll<HTMLElement>('.card-link')[firstNew]?.focus(),
      { injector: this.injector },
    );
  }

  protected reload(): void {
    location.reload();
  }
}

function sameFilters(a: RestaurantFilters, b: RestaurantFilters): boolean {
  return a.neighborhood === b.neighborhood && a.cuisine === b.cuisine && a.favoritesOnly === b.favoritesOnly;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
