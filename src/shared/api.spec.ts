import { normalizeRestaurant, normalizeReview, toBoolean, toIsoDate, toNumber } from './api';

describe('API normalization', () => {
  it('reads is_favorite as a boolean whether it comes as a string, a boolean or not at all', () => {
    expect(toBoolean('true')).toBeTrue();
    expect(toBoolean(true)).toBeTrue();
    expect(toBoolean('false')).toBeFalse();
    expect(toBoolean(false)).toBeFalse();
    expect(toBoolean(undefined)).toBeFalse();
    expect(normalizeRestaurant({ id: 1 }).is_favorite).toBeFalse();
    expect(normalizeRestaurant({ id: 1, is_favorite: 'true' }).is_favorite).toBeTrue();
  });

  it('turns numeric strings into numbers and rejects the rest as NaN', () => {
    expect(toNumber('4')).toBe(4);
    expect(toNumber(4)).toBe(4);
    expect(toNumber('')).toBeNaN();
    expect(toNumber('four')).toBeNaN();
    const review = normalizeReview({ id: '7', restaurant_id: '2', rating: '5', name: 'Ana', comments: 'Good' });
    expect(review.id).toBe(7);
    expect(review.restaurant_id).toBe(2);
    expect(review.rating).toBe(5);
  });

  it('turns epoch milliseconds and ISO strings into ISO strings', () => {
    expect(toIsoDate(1504095563444)).toBe('2017-08-30T12:19:23.444Z');
    expect(toIsoDate('1504095563444')).toBe('2017-08-30T12:19:23.444Z');
    expect(toIsoDate('2017-09-01T12:00:00.000Z')).toBe('2017-09-01T12:00:00.000Z');
    expect(toIsoDate('not a date', 'fallback')).toBe('fallback');
    expect(toIsoDate(undefined, 'fallback')).toBe('fallback');
  });

  it('falls back to createdAt when updatedAt is missing, and keeps client_id only when present', () => {
    const review = normalizeReview({ id: 1, createdAt: 1504095563444 });
    expect(review.updatedAt).toBe(review.createdAt);
    expect('client_id' in review).toBeFalse();
    expect(normalizeReview({ id: 1, client_id: 'abc' }).client_id).toBe('abc');
  });

  it('keeps the restaurant shape the app relies on', () => {
    const restaurant = normalizeRestaurant({
      id: '3',
      name: 'Kang Ho Dong Baekjeong',
      latlng: { lat: '40.747143', lng: -73.985414 },
      createdAt: 1504095567183,
    });
    expect(restaurant.id).toBe(3);
    expect(restaurant.latlng).toEqual({ lat: 40.747143, lng: -73.985414 });
    expect(restaurant.photograph).toBe('3');
    expect(restaurant.operating_hours).toEqual({});
  });
});
