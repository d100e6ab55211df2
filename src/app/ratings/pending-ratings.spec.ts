import { pendingRatingsByRestaurant } from './pending-ratings';

describe('pending ratings', () => {
  it('counts only new reviews still waiting, per restaurant', () => {
    const pending = pendingRatingsByRestaurant([
      { restaurant_id: 1, rating: 5, status: 'pending' },
      { restaurant_id: 1, rating: 3, status: 'pending', op: 'create' },
      { restaurant_id: 1, rating: 1, status: 'failed' },
      { restaurant_id: 2, rating: 2, status: 'pending', op: 'update' },
      { restaurant_id: 3, rating: 4, status: 'pending', op: 'delete' },
    ]);
    expect([...pending]).toEqual([[1, [5, 3]]]);
  });
});
