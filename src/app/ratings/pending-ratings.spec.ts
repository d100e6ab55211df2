import { reviewCreate, reviewDelete, reviewEdit } from '../../testing/records';
import { pendingRatingsByRestaurant } from './pending-ratings';

describe('pending ratings', () => {
  it('counts only new reviews still waiting, per restaurant', () => {
    let localId = 0;
    const stored = <R extends object>(record: R) => ({ ...record, local_id: ++localId });
    const pending = pendingRatingsByRestaurant([
      stored(reviewCreate({ restaurant_id: 1, rating: 5 })),
      stored(reviewCreate({ restaurant_id: 1, rating: 3 })),
      stored(reviewCreate({ restaurant_id: 1, rating: 1, status: 'failed' })),
      stored(reviewEdit(7, { restaurant_id: 2, rating: 2 })),
      stored(reviewDelete(8, { restaurant_id: 3 })),
    ]);
    expect([...pending]).toEqual([[1, [5, 3]]]);
  });
});
