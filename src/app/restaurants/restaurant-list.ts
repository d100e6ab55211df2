import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { filter, from, switchMap } from 'rxjs';
import { ActivatedRoute, NavigationStart, type Params, Router } from '@angular/router';
import type { Restaurant } from '../../shared/api';
import type { RestaurantView } from '../../shared/pending-view';
import { LOADING, type Loaded } from '../core/loaded';
import { RestaurantMap } from '../map/restaurant-map';
import { samePlaces } from '../map/map-place';
import { Connectivity } from '../sync/connectivity';
import { FocusOnNavigation } from '../core/focus-on-navigation';
import { mediaQuery } from '../core/media-query';
import { RatingData } from '../ratings/rating-data';
import { type ListPlace, ListMemory, sameQuery } from './list-memory';
import { FilterBar } from './filter-bar';
import { RestaurantCard } from './restaurant-card';
import { RestaurantData } from './restaurant-data';
import {
  type RestaurantFilters,
  NO_FILTERS,
  countLabel,
  filtersFromQuery,
  filtersToQuery,
  hasFilters,
  matcher,
  optionValues,
} from './restaurant-filter';
import { DEFAULT_SORT, type SortKey, parseSort, search, sortForSearch } from './restaurant-search';

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
  /** `?q=`: the name search. */
  readonly q = input<string>();
  /** `?sort=name|rating|reviews`. */
  readonly sort = input<string>();

  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  protected readonly connectivity = inject(Connectivity);
  private readonly ratings = inject(RatingData);

  private readonly filterBar = viewChild.required(FilterBar);
  private readonly cardList = viewChild<ElementRef<HTMLElement>>('cards');

  private readonly restaurantData = inject(RestaurantData);
  /** The first cards as last shown (a few records read by key), until the whole store is read. */
  private readonly firstScreen = signal<readonly RestaurantView[] | undefined>(undefined);
  /**
   * The first screen is read before the whole store, so its few records are not queued behind
   * 10,000 (whose decoding also holds the main thread): a few milliseconds, then the usual stream.
   */
  protected readonly data = toSignal(
    from(this.readFirstScreen()).pipe(switchMap(() => this.restaurantData.all())),
    { initialValue: LOADING as Loaded<RestaurantView[]> },
  );
  /** Every restaurant is read: counts, options, "Show more" and empty states can be trusted. */
  protected readonly complete = computed(() => this.data().state === 'ready');
  /** Only the first cards are there: they show, but nothing claims to know the whole list yet. */
  protected readonly partial = computed(() => this.data().state === 'loading' && this.firstScreen() !== undefined);
  /**
   * What the template shows: first cards that match count as a (partial) list while the rest
   * loads; none matching is no empty state yet ("No restaurants match" would be a guess).
   */
  protected readonly shownState = computed(() => (this.partial() && this.filtered().length ? 'ready' : this.data().state));

  protected readonly restaurants = computed(() => {
    const data = this.data();
    return data.state === 'ready' ? data.value : (this.firstScreen() ?? NONE);
  });
  protected readonly stale = computed(() => {
    const data = this.data();
    return (data.state === 'ready' && data.stale) || this.partial();
  });

  protected readonly filters = computed(
    () => filtersFromQuery({ neighborhood: this.neighborhood(), cuisine: this.cuisine(), favorites: this.favorites() }),
    { equal: sameFilters },
  );
  /**
   * What is typed, ahead of the URL: the list follows each keystroke at once, while the URL
   * (which the router updates asynchronously) catches up; a Back or a shared link resets it.
   */
  protected readonly query = linkedSignal(() => this.q() ?? '');
  protected readonly sortKey = computed(() => parseSort(this.sort()));
  /** "Favorites only" and nothing else, with no favorite at all: say how to add one. */
  protected readonly noFavoritesYet = computed(() => {
    const { favoritesOnly, neighborhood, cuisine } = this.filters();
    return favoritesOnly && !neighborhood && !cuisine && !this.restaurants().some((r) => r.is_favorite);
  });
  protected readonly skeletons = Array.from({ length: 6 });
  protected readonly filtering = computed(() => hasFilters(this.filters()) || this.query().trim() !== '');

  // Options come from all restaurants, not the filtered ones, so no choice ever disappears.
  protected readonly neighborhoods = computed(() => optionValues(this.restaurants(), 'neighborhood'), {
    equal: sameStrings,
  });
  protected readonly cuisines = computed(() => optionValues(this.restaurants(), 'cuisine_type'), {
    equal: sameStrings,
  });

  /** Sorted (and search keys made) when the data or the order changes, never per keystroke. */
  private readonly sorted = computed(() => sortForSearch(this.restaurants(), this.sortKey(), this.ratings.ratingOf));
  protected readonly filtered = computed(() => search(this.sorted(), this.query(), matcher(this.filters())));
  /** What the map draws: unchanged by a favorite toggle, so the map does not redraw for it. */
  protected readonly places = computed(() => this.filtered(), { equal: samePlaces });

  private readonly memory = inject(ListMemory);
  /** Coming back from a restaurant (Back, or "← All restaurants"): the list's place, restored once. */
  private readonly returning = this.placeToRestore();

  /** Back to one page whenever the filters change; kept when only the data refreshes. */
  private readonly limit = linkedSignal<unknown, number>({
    source: () => [this.filters(), this.query(), this.sortKey()],
    computation: (_source, previous) => (previous === undefined && this.returning ? this.returning.limit : PAGE_SIZE),
  });
  protected readonly shown = computed(() => this.filtered().slice(0, this.limit()));
  protected readonly eagerCards = EAGER_CARDS;

  protected readonly countText = computed(() =>
    this.complete() ? countLabel(this.filtered().length) : this.partial() ? 'Loading all restaurants…' : '',
  );

  /** This list's first screen (viewKey): its filters, search and sort. */
  private readonly view = computed(() => viewKey(this.filters(), this.query(), this.sortKey()));

  /** From the URL as it is now: the router binds the inputs only after the component is made. */
  private async readFirstScreen(): Promise<void> {
    const params = this.route.snapshot.queryParams;
    const filters = filtersFromQuery({ neighborhood: params['neighborhood'], cuisine: params['cuisine'], favorites: params['favorites'] });
    const view = viewKey(filters, params['q'] ?? '', parseSort(params['sort']));
    const cards = await this.restaurantData.firstScreen(view);
    if (cards && !this.complete()) this.firstScreen.set(cards);
  }

  protected applyFilters(filters: RestaurantFilters): void {
    this.navigate(filtersToQuery(filters));
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams,
      queryParamsHandling: 'merge',
      // A filter is not a new page: no history entry, no jump to the top.
      replaceUrl: true,
      scroll: 'manual',
    });
  }

  protected search(query: string): void {
    this.query.set(query);
    this.navigate({ q: query.trim() ? query : null });
  }

  protected sortBy(sort: SortKey): void {
    this.navigate({ sort: sort === DEFAULT_SORT ? null : sort });
  }

  protected clearFilters(): void {
    this.query.set('');
    this.navigate({ ...filtersToQuery(NO_FILTERS), q: null });
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

  constructor() {
    afterNextRender(() => requestIdleCallback(() => this.idle.set(true), { timeout: 2_000 }));
    // Once everything is read: the first cards of what is shown, for the next visit's first paint.
    effect(() => {
      if (!this.complete()) return;
      const ids = this.filtered().slice(0, PAGE_SIZE).map((restaurant) => restaurant.id);
      void this.restaurantData.rememberFirstScreen(this.view(), ids);
    });
    // At NavigationStart, while the list is still on the page: once the next page replaces it,
    // the browser has already clamped the scroll position to the shorter page.
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationStart),
        takeUntilDestroyed(),
      )
      .subscribe(() =>
        this.memory.remember({ query: { ...this.route.snapshot.queryParams }, limit: this.limit(), scrollY: window.scrollY }),
      );
    const place = this.returning;
    if (place) {
      const focusOnNavigation = inject(FocusOnNavigation);
      focusOnNavigation.claim();
      // Once the cards are there (from IndexedDB, a moment after the route), scroll to where the
      // person was; the heading takes focus without moving the page.
      const restore = effect(() => {
        if (this.data().state !== 'ready') return;
        restore.destroy();
        afterNextRender(
          () => {
            document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
            window.scrollTo({ top: place.scrollY, behavior: 'instant' });
          },
          { injector: this.injector },
        );
      });
    }
  }

  private placeToRestore(): ListPlace | undefined {
    const place = this.memory.take();
    const navigation = this.router.currentNavigation();
    const back = navigation?.trigger === 'popstate' || navigation?.extras.state?.['returnToList'] === true;
    return place && back && sameQuery(place.query, this.route.snapshot.queryParams) ? place : undefined;
  }

  /** Narrow screens: the map is shown only on request. Wide screens always show it beside the list. */
  protected readonly mapOpen = signal(false);
  /** Wide screens, where the map stands beside the list: restaurant-list.css's breakpoint. */
  private readonly wide = mediaQuery('(min-width: 64rem)');
  /**
   * Leaflet (150 KB, and a long task on a phone's CPU) loads only for a map that is shown: on a
   * narrow screen, not until "Show map"; once loaded, a hidden map is kept, not made again.
   */
  private readonly mapRequested = signal(false);
  /** The cards have painted and the browser has a moment: a wide screen's map may load then. */
  private readonly idle = signal(false);
  protected readonly mapWanted = computed(() => this.mapRequested() || (this.wide() && this.idle()));

  protected toggleMap(): void {
    this.mapRequested.set(true);
    this.mapOpen.update((open) => !open);
  }

  /** Past the map's markers and zoom buttons in one step, to whatever follows it. */
  protected skipMap(event: Event): void {
    event.preventDefault();
    document.getElementById('after-map')?.focus();
  }

  protected reload(): void {
    location.reload();
  }
}

/** Which first screen a list is: the same filters, search and sort show the same first cards. */
function viewKey(filters: RestaurantFilters, query: string, sort: SortKey): string {
  return JSON.stringify([filters.neighborhood, filters.cuisine, filters.favoritesOnly, query.trim(), sort]);
}

function sameFilters(a: RestaurantFilters, b: RestaurantFilters): boolean {
  return a.neighborhood === b.neighborhood && a.cuisine === b.cuisine && a.favoritesOnly === b.favoritesOnly;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
