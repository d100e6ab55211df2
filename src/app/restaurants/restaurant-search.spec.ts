import type { Restaurant } from '../../shared/api';
import { NO_RATING, type ShownRating } from '../../shared/ratings';
import { parseSort, search, searchKey, sortForSearch } from './restaurant-search';

function restaurant(id: number, name: string, extra: Partial<Restaurant> = {}): Restaurant {
  return {
    id,
    name,
    neighborhood: 'Queens',
    cuisine_type: 'Asian',
    is_favorite: false,
    photograph: String(id),
    address: '',
    latlng: { lat: 0, lng: 0 },
    operating_hours: {},
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

const list = [
  restaurant(1, 'Mission Chinese Food'),
  restaurant(2, 'Café Ñandú', { is_favorite: true }),
  restaurant(3, 'emily'),
  restaurant(4, 'Casa Enrique'),
];
const ratings = new Map<number, ShownRating>([
  [1, { average: 4, count: 10, pending: 0, changesPending: 0 }],
  [2, { average: 4.5, count: 2, pending: 1, changesPending: 0 }],
  [4, { average: 4, count: 12, pending: 0, changesPending: 0 }],
]);
const ratingOf = (id: number) => ratings.get(id) ?? NO_RATING;
const names = (items: readonly Restaurant[]) => items.map((r) => r.name);

describe('restaurant search and sort', () => {
  it('makes accent- and case-free keys', () => {
    expect(searchKey('  Café   ÑANDÚ ')).toBe('cafe nandu');
    expect(searchKey('Crème Brûlée')).toBe('creme brulee');
  });

  it('finds names whatever the accents and case of either side', () => {
    const items = sortForSearch(list, 'name', ratingOf);
    expect(names(search(items, 'nandu'))).toEqual(['Café Ñandú']);
    expect(names(search(items, 'CAFÉ'))).toEqual(['Café Ñandú']);
    expect(names(search(items, 'ca'))).toEqual(['Café Ñandú', 'Casa Enrique']);
    expect(names(search(items, '  '))).toEqual(names(items.map((i) => i.restaurant)));
    expect(search(items, 'zzz')).toEqual([]);
  });

  it('combines the search with the other filters and keeps the order', () => {
    const items = sortForSearch(list, 'name', ratingOf);
    expect(names(search(items, 'a', (r) => r.is_favorite))).toEqual(['Café Ñandú']);
  });

  it('sorts by name ignoring case and accents', () => {
    expect(names(sortForSearch(list, 'name', ratingOf).map((i) => i.restaurant))).toEqual([
      'Café Ñandú',
      'Casa Enrique',
      'emily',
      'Mission Chinese Food',
    ]);
  });

  it('sorts by rating (then count, then name), with unrated restaurants last', () => {
    expect(names(sortForSearch(list, 'rating', ratingOf).map((i) => i.restaurant))).toEqual([
      'Café Ñandú',
      'Casa Enrique',
      'Mission Chinese Food',
      'emily',
    ]);
  });

  it('sorts by number of reviews', () => {
    expect(names(sortForSearch(list, 'reviews', ratingOf).map((i) => i.restaurant))).toEqual([
      'Casa Enrique',
      'Mission Chinese Food',
      'Café Ñandú',
      'emily',
    ]);
  });

  it('reads an unknown sort from a URL as the default', () => {
    expect(parseSort('rating')).toBe('rating');
    expect(parseSort('reviews')).toBe('reviews');
    expect(parseSort('price')).toBe('name');
    expect(parseSort(undefined)).toBe('name');
  });
});
