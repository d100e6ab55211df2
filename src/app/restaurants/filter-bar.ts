import { ChangeDetectionStrategy, Component, ElementRef, computed, input, output, viewChild } from '@angular/core';
import { type RestaurantFilters, withSelected } from './restaurant-filter';

/**
 * Native selects and a checkbox: they work with every keyboard, screen reader and phone picker.
 * Options are marked `[selected]` one by one because a `[value]` on the select would be set
 * before its options exist.
 */
@Component({
  selector: 'app-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="filters" role="search" aria-label="Filter restaurants" (submit)="$event.preventDefault()">
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

  private readonly firstField = viewChild.required<ElementRef<HTMLSelectElement>>('neighborhood');

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
