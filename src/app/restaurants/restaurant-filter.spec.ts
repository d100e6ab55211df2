import type { Restaurant } from '../../shared/api';
import {
  NO_FILTERS,
  countLabel,
  filterRestaurants,
  filtersFromQuery,
  filtersToQuery,
  hasFilters,
  optionValues,
  withSelected,
} from './restaurant-filter';

function restaurant(id: number, neighborhood: string, cuisine_type: string, is_favorite = false): Restaurant {
  return {
    id,
    name: `Restaurant ${id}`,
    neighborhood,
    cuisine_type,
    is_favorite,
    photograph: String(id),
    address: `${id} Main St`,
    latlng: { lat: 40.7, lng: -73.9 },
    operating_hours: {},
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
}

const restaurants = [
  restaurant(1, 'Manhattan', 'Asian'),
  restaurant(2, 'Brooklyn', 'Pizza', true),
  restaurant(3, 'Manhattan', 'American', true),
  restaurant(4, 'Queens', 'Asian'),
  restaurant(5, 'Brooklyn', 'American'),
  restaurant(6, 'Queens', 'Mexican', true),
];
const ids = (list: readonly Restaurant[]) => list.map((r) => r.id);

describe('filterRestaurants', () => {
  it('returns every restaurant when nothing is filtered', () => {
    expect(filterRestaurants(restaurants, NO_FILTERS)).toBe(restaurants);
  });

  it('keeps one neighborhood', () => {
    expect(ids(filterRestaurants(restaurants, { ...NO_FILTERS, neighborhood: 'Brooklyn' }))).toEqual([2, 5]);
  });

  it('keeps one cuisine', () => {
    expect(ids(filterRestaurants(restaurants, { ...NO_FILTERS, cuisine: 'Asian' }))).toEqual([1, 4]);
  });

  it('keeps favorites only', () => {
    expect(ids(filterRestaurants(restaurants, { ...NO_FILTERS, favoritesOnly: true }))).toEqual([2, 3, 6]);
  });

  it('combines neighborhood and cuisine', () => {
    const filters = { neighborhood: 'Manhattan', cuisine: 'American', favoritesOnly: false };
    expect(ids(filterRestaurants(restaurants, filters))).toEqual([3]);
  });

  it('combines all three filters', () => {
    expect(ids(filterRestaurants(restaurants, { neighborhood: 'Queens', cuisine: 'Mexican', favoritesOnly: true }))).toEqual([6]);
    expect(ids(filterRestaurants(restaurants, { neighborhood: 'Queens', cuisine: 'Asian', favoritesOnly: true }))).toEqual([]);
  });

  it('matches values exactly', () => {
    expect(filterRestaurants(restaurants, { ...NO_FILTERS, neighborhood: 'brooklyn' })).toEqual([]);
  });

  it('filters 10,000 restaurants in well under 100 ms', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      restaurant(i, `Area ${i % 40}`, `Cuisine ${i % 12}`, i % 7 === 0),
    );
    const start = performance.now();
    const result = filterRestaurants(many, { neighborhood: 'Area 7', cuisine: 'Cuisine 7', favoritesOnly: true });
    optionValues(many, 'neighborhood');
    optionValues(many, 'cuisine_type');
    expect(performance.now() - start).toBeLessThan(100);
    expect(result.length).toBeGreaterThan(0);
    expect(result.every((r) => r.neighborhood === 'Area 7' && r.cuisine_type === 'Cuisine 7' && r.is_favorite)).toBeTrue();
  });
});

describe('optionValues', () => {
  it('lists each neighborhood once, sorted', () => {
    expect(optionValues(restaurants, 'neighborhood')).toEqual(['Brooklyn', 'Manhattan', 'Queens']);
  });

  it('lists each cuisine once, sorted', () => {
    expect(optionValues(restaurants, 'cuisine_type')).toEqual(['American', 'Asian', 'Mexican', 'Pizza']);
  });

  it('sorts without regard to case and skips empty values', () => {
    const list = [restaurant(1, 'queens', ''), restaurant(2, 'Bronx', 'Thai'), restaurant(3, '', 'thai')];
    expect(optionValues(list, 'neighborhood')).toEqual(['Bronx', 'queens']);
    expect(optionValues(list, 'cuisine_type')).toEqual(['Thai', 'thai']);
  });

  it('is empty for no restaurants', () => {
    expect(optionValues([], 'neighborhood')).toEqual([]);
  });
});

describe('withSelected', () => {
  it('adds a selected value that no restaurant has', () => {
    expect(withSelected(['Brooklyn'], 'Harlem')).toEqual(['Brooklyn', 'Harlem']);
  });

  it('leaves the options alone otherwise', () => {
    const options = ['Brooklyn'];
    expect(withSelected(options, 'Brooklyn')).toBe(options);
    expect(withSelected(options, '')).toBe(options);
  });
});

describe('filter query', () => {
  it('reads the URL query', () => {
    expect(filtersFromQuery({ neighborhood: 'Queens', cuisine: 'Pizza', favorites: '1' })).toEqual({
      neighborhood: 'Queens',
      cuisine: 'Pizza',
      favoritesOnly: true,
    });
    expect(filtersFromQuery({})).toEqual(NO_FILTERS);
    expect(filtersFromQuery({ favorites: '0' }).favoritesOnly).toBeFalse();
    expect(filtersFromQuery({ favorites: 'true' }).favoritesOnly).toBeTrue();
  });

  it('writes only the filters in use, and reads back what it wrote', () => {
    const filters = { neighborhood: 'Queens', cuisine: '', favoritesOnly: true };
    const query = filtersToQuery(filters);
    expect(query).toEqual({ neighborhood: 'Queens', cuisine: null, favorites: '1' });
    expect(filtersFromQuery({ neighborhood: query['neighborhood'], favorites: query['favorites'] })).toEqual(filters);
  });

  it('knows when a filter is in use', () => {
    expect(hasFilters(NO_FILTERS)).toBeFalse();
    expect(hasFilters({ ...NO_FILTERS, cuisine: 'Pizza' })).toBeTrue();
    expect(hasFilters({ ...NO_FILTERS, favoritesOnly: true })).toBeTrue();
  });
});

describe('countLabel', () => {
  it('counts in words', () => {
    expect(countLabel(0)).toBe('0 restaurants');
    expect(countLabel(1)).toBe('1 restaurant');
    expect(countLabel(2)).toBe('2 restaurants');
    expect(countLabel(999)).toBe('999 restaurants');
    expect(countLabel(10_000)).toBe('10,000 restaurants');
    expect(countLabel(1_234_567)).toBe('1,234,567 restaurants');
    expect(countLabel(10000)).toBe('10,000 restaurants');
  });
});
