import { ChangeDetectionStrategy, Component, ElementRef, computed, input, output, viewChild } from '@angular/core';
import { type RestaurantFilters, withSelected } from './restaurant-filter';
import { SORT_KEYS, SORT_LABELS, type SortKey, parseSort } from './restaurant-search';

/**
 * Native selects and a checkbox: they work with every keyboard, screen reader and phone picker.
 * Options are marked `[selected]` one by one because a `[value]` on the select would be set
 * before its options exist.
 */
@Component({
  selector: 'app-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="filters" role="search" aria-label="Find restaurants" (submit)="$event.preventDefault()">
      <div class="field field-search">
        <label for="filter-search">Search by name</label>
        <input
          #search
          id="filter-search"
          class="input"
          type="search"
          enterkeyhint="search"
          autocomplete="off"
          spellcheck="false"
          [value]="query()"
          (input)="queryChange.emit(search.value)"
        />
      </div>
      <div class="field">
        <label for="filter-neighborhood">Neighborhood</label>
        <select
          #neighborhood
          id="filter-neighborhood"
          class="select"
          (change)="changed({ neighborhood: neighborhood.value })"
        >
          <option value="" [selected]="!filters().neighborhood">All</option>
          @for (option of neighborhoodOptions(); track option) {
            <option [value]="option" [selected]="option === filters().neighborhood">{{ option }}</option>
          }
        </select>
      </div>
      <div class="field">
        <label for="filter-cuisine">Cuisine</label>
        <select #cuisine id="filter-cuisine" class="select" (change)="changed({ cuisine: cuisine.value })">
          <option value="" [selected]="!filters().cuisine">All</option>
          @for (option of cuisineOptions(); track option) {
            <option [value]="option" [selected]="option === filters().cuisine">{{ option }}</option>
          }
        </select>
      </div>
      <label class="check">
        <input
          #favorites
          type="checkbox"
          [checked]="filters().favoritesOnly"
          (change)="changed({ favoritesOnly: favorites.checked })"
        />
        <span>Favorites only</span>
      </label>
      <div class="field field-sort">
        <label for="filter-sort">Sort by</label>
        <select #sortSelect id="filter-sort" class="select" (change)="sortChange.emit(parse(sortSelect.value))">
          @for (key of sortKeys; track key) {
            <option [value]="key" [selected]="key === sort()">{{ sortLabels[key] }}</option>
          }
        </select>
      </div>
    </form>
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 0.75rem 1rem;
      margin: 0;
    }
    .field {
      display: flex;
      flex: 1 1 10rem;
      flex-direction: column;
      gap: 0.25rem;
      max-width: 18rem;
    }
    .field-search {
      flex: 2 1 14rem;
      max-width: 24rem;
    }
    .field-sort {
      margin-left: auto;
    }
    .check {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      min-height: 44px;
      font-weight: 600;
      cursor: pointer;
    }
    .check input {
      width: 1.25rem;
      height: 1.25rem;
      margin: 0;
      accent-color: var(--accent);
    }
  `,
})
export class FilterBar {
  readonly neighborhoods = input.required<readonly string[]>();
  readonly cuisines = input.required<readonly string[]>();
  readonly filters = input.required<RestaurantFilters>();
  readonly filtersChange = output<RestaurantFilters>();
  readonly query = input('');
  readonly queryChange = output<string>();
  readonly sort = input.required<SortKey>();
  readonly sortChange = output<SortKey>();

  protected readonly sortKeys = SORT_KEYS;
  protected readonly sortLabels = SORT_LABELS;
  protected readonly parse = parseSort;

  private readonly firstField = viewChild.required<ElementRef<HTMLInputElement>>('search');

  protected readonly neighborhoodOptions = computed(() =>
    withSelected(this.neighborhoods(), this.filters().neighborhood),
  );
  protected readonly cuisineOptions = computed(() => withSelected(this.cuisines(), this.filters().cuisine));

  /** Where focus goes after "Clear filters" removes the button that had it. */
  focus(): void {
    this.firstField().nativeElement.focus();
  }

  protected changed(change: Partial<RestaurantFilters>): void {
    this.filtersChange.emit({ ...this.filters(), ...change });
  }
}
