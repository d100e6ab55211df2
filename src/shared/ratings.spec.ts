import { NO_PENDING_RATINGS, NO_RATING, normalizeRatings, withPending } from './ratings';

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
    const added = (ratings: number[]) => ({ ...NO_PENDING_RATINGS, added: ratings });
    const katz = { restaurant_id: 1, average: 4, count: 3 };
    expect(withPending(katz, NO_PENDING_RATINGS)).toEqual({ average: 4, count: 3, pending: 0, changesPending: 0 });
    expect(withPending(katz, added([1]))).toEqual({ average: 3.25, count: 4, pending: 1, changesPending: 0 });
    expect(withPending(undefined, added([5, 4]))).toEqual({ average: 4.5, count: 2, pending: 2, changesPending: 0 });
    expect(withPending(undefined, NO_PENDING_RATINGS)).toBe(NO_RATING);
  });

  it('replaces the rating of an edited review and takes a deleted one out', () => {
    // Server: ratings 5, 4, 3 (average 4). The 3 is edited to 1, the 4 deleted, a 2 added.
    const katz = { restaurant_id: 1, average: 4, count: 3 };
    expect(withPending(katz, { added: [], edited: [{ from: 3, to: 1 }], deleted: [] })).toEqual({
      average: 3.33,
      count: 3,
      pending: 0,
      changesPending: 1,
    });
    expect(withPending(katz, { added: [2], edited: [{ from: 3, to: 1 }], deleted: [4] })).toEqual({
      average: 2.67,
      count: 3,
      pending: 1,
      changesPending: 2,
    });
    // The only review deleted: no figure at all.
    expect(withPending({ restaurant_id: 2, average: 4, count: 1 }, { added: [], edited: [], deleted: [4] })).toBe(NO_RATING);
  });
});
