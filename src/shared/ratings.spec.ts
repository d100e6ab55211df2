import { NO_RATING, normalizeRatings, withPending } from './ratings';

describe('ratings', () => {
  it('keeps only well-formed summaries from the server', () => {
    expect(
      normalizeRatings([
        { restaurant_id: 1, average: 4.33, count: 3 },
        { restaurant_id: '2', average: '3.5', count: '2' },
        { restaurant_id: 0, average: 4, count: 1 },
        { restaurant_id: 3, average: 'x', count: 1 },
        { restaurant_id: 4, average: 4, count: 0 },
        null,
      ]),
    ).toEqual([
      { restaurant_id: 1, average: 4.33, count: 3 },
      { restaurant_id: 2, average: 3.5, count: 2 },
    ]);
    expect(normalizeRatings({ not: 'a list' })).toEqual([]);
  });

  it('folds pending reviews into the server figure and says how many are pending', () => {
    expect(withPending({ restaurant_id: 1, average: 4, count: 3 }, [])).toEqual({ average: 4, count: 3, pending: 0 });
    expect(withPending({ restaurant_id: 1, average: 4, count: 3 }, [1])).toEqual({ average: 3.25, count: 4, pending: 1 });
    expect(withPending(undefined, [5, 4])).toEqual({ average: 4.5, count: 2, pending: 2 });
    expect(withPending(undefined, [])).toBe(NO_RATING);
  });
});
