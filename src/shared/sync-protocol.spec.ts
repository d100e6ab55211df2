import { concerns, mergeScopes, replayRequest, replayRequestApis } from './sync-protocol';

describe('scoped change messages', () => {
  const list = { stores: ['restaurants', 'offline-favorites'] as const };
  const reviewsOf3 = { stores: ['reviews', 'offline-reviews', 'own-reviews'] as const, restaurantId: 3 };

  it('concern a view only when a store it reads changed, for its restaurant', () => {
    expect(concerns({ type: 'changed', stores: ['offline-reviews'], restaurantIds: [3] }, list)).toBeFalse();
    expect(concerns({ type: 'changed', stores: ['offline-reviews'], restaurantIds: [3] }, reviewsOf3)).toBeTrue();
    expect(concerns({ type: 'changed', stores: ['offline-reviews'], restaurantIds: [4] }, reviewsOf3)).toBeFalse();
    // No restaurant named: any of them.
    expect(concerns({ type: 'changed', stores: ['reviews'] }, reviewsOf3)).toBeTrue();
    expect(concerns({ type: 'changed', stores: ['offline-favorites'], restaurantIds: [9] }, list)).toBeTrue();
  });

  it('treat an unscoped message from the previous release as concerning everything', () => {
    expect(concerns({ type: 'changed' } as never, list)).toBeTrue();
  });

  it('never ask a view to re-read for a replay summary', () => {
    const summary = { type: 'replayed', reviewsSent: 1, editsSent: 0, favoritesSent: 0, failed: 0, failures: [] } as const;
    expect(concerns({ ...summary, failures: [] }, list)).toBeFalse();
  });

  it('add up scopes: union of stores and restaurants, "any restaurant" wins', () => {
    expect(mergeScopes(undefined, { stores: ['reviews'], restaurantIds: [1] })).toEqual({ stores: ['reviews'], restaurantIds: [1] });
    expect(mergeScopes({ stores: ['reviews'], restaurantIds: [1] }, { stores: ['offline-reviews'], restaurantIds: [2, 1] })).toEqual({
      stores: ['reviews', 'offline-reviews'],
      restaurantIds: [1, 2],
    });
    expect(mergeScopes({ stores: ['reviews'], restaurantIds: [1] }, { stores: ['reviews'] })).toEqual({ stores: ['reviews'] });
  });
});

describe('replay requests (page → worker)', () => {
  it('name the APIs the page hands over; an older tab\'s request names none and means all', () => {
    const apis = replayRequestApis(replayRequest(['http://b.test:4001']));
    expect(apis instanceof Set && [...apis]).toEqual(['http://b.test:4001']);
    expect(replayRequestApis({ type: 'replay-outbox' })).toBe('all');
    expect(replayRequestApis({ type: 'changed', stores: [] })).toBeUndefined();
    expect(replayRequestApis(null)).toBeUndefined();
    const junk = replayRequestApis({ type: 'replay-outbox', apis: ['http://b.test:4001', 7] });
    expect(junk instanceof Set && [...junk]).toEqual(['http://b.test:4001']);
  });
});
