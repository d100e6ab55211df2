import { reviewCreate, reviewDelete, reviewEdit } from '../../testing/records';
import { pendingRatingsByRestaurant, reviewsChangedByPending } from './pending-ratings';

describe('pending ratings', () => {
  let localId = 0;
  const stored = <R extends object>(record: R) => ({ ...record, local_id: ++localId });
  const queued = [
    stored(reviewCreate({ restaurant_id: 1, rating: 5 })),
    stored(reviewCreate({ restaurant_id: 1, rating: 3 })),
    stored(reviewCreate({ restaurant_id: 1, rating: 1, status: 'failed' })),
    stored(reviewEdit(7, { restaurant_id: 2, rating: 2 })),
    stored(reviewEdit(9, { restaurant_id: 2, rating: 4 })),
    stored(reviewDelete(8, { restaurant_id: 3 })),
    stored(reviewDelete(11, { restaurant_id: 3, status: 'failed' })),
  ];

  it('names the server reviews that pending edits and deletions change', () => {
    expect(reviewsChangedByPending(queued)).toEqual([7, 8, 9]);
  });

  it('folds new reviews, and edits and deletions whose server rating is known', () => {
    // Review 9's server rating is not known here; review 7 goes from 5 to 2; review 8 (a 4) goes.
    const pending = pendingRatingsByRestaurant(queued, new Map([[7, 5], [8, 4], [11, 1]]));
    expect([...pending]).toEqual([
      [1, { added: [5, 3], edited: [], deleted: [] }],
      [2, { added: [], edited: [{ from: 5, to: 2 }], deleted: [] }],
      [3, { added: [], edited: [], deleted: [4] }],
    ]);
  });

  it('leaves out an edit that keeps the rating', () => {
    const pending = pendingRatingsByRestaurant([stored(reviewEdit(7, { restaurant_id: 2, rating: 5 }))], new Map([[7, 5]]));
    expect([...pending]).toEqual([]);
  });
});
