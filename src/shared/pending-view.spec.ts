import { favorite, reviewCreate, reviewDelete, reviewEdit } from '../testing/records';
import { wireRestaurant } from '../testing/scripted-fetch';
import { type Review, normalizeRestaurant } from './api';
import type { StoredReviewSlot } from './outbox-records';
import { outboxSummary, restaurantsView, reviewsView } from './pending-view';

const API = 'http://api.test';
const OTHER = 'http://other.test';

function server(id: number, overrides: Partial<Review> = {}): Review {
  return {
    id,
    restaurant_id: 1,
    name: `Server ${id}`,
    rating: 3,
    comments: `Comment ${id}`,
    createdAt: `2026-11-0${id}T10:00:00.000Z`,
    updatedAt: `2026-11-0${id}T10:00:00.000Z`,
    ...overrides,
  };
}

let nextKey = 1;
const stored = <R extends object>(record: R) => ({ ...record, local_id: nextKey++ }) as unknown as StoredReviewSlot;

describe('pending-view: server data plus this device’s pending changes', () => {
  describe('restaurantsView', () => {
    const restaurants = [1, 2, 3].map((id) => normalizeRestaurant(wireRestaurant(id, { is_favorite: false })));

    it('lays the latest wish over the server copy and says whether it is pending or refused', () => {
      const view = restaurantsView(
        restaurants,
        [favorite(1, true, { api: API }), favorite(2, true, { api: API, status: 'failed', error: 'No such restaurant' })],
        API,
      );
      expect(view.map((r) => [r.id, r.is_favorite, r.favoriteSync, r.favoriteError])).toEqual([
        [1, true, 'pending', undefined],
        [2, true, 'failed', 'No such restaurant'],
        [3, false, 'synced', undefined],
      ]);
    });

    it('leaves the server copy alone (a new object, same fields)', () => {
      const [view] = restaurantsView(restaurants, [favorite(1, true, { api: API })], API);
      expect(restaurants[0].is_favorite).toBeFalse();
      expect({ ...view, is_favorite: false, favoriteSync: undefined }).toEqual({ ...restaurants[0], favoriteSync: undefined });
    });

    it('ignores a wish meant for another API', () => {
      const [view] = restaurantsView(restaurants, [favorite(1, true, { api: OTHER })], API);
      expect(view.is_favorite).toBeFalse();
      expect(view.favoriteSync).toBe('synced');
    });
  });

  describe('reviewsView', () => {
    it('shows the server’s reviews and this device’s unsent ones, newest first, with their sync state', () => {
      const queued = stored(reviewCreate({ api: API, name: 'Ana', createdAt: '2026-11-09T10:00:00.000Z' }));
      const items = reviewsView([server(1), server(2)], [queued], [], API);

      expect(items.map((i) => [i.name, i.sync, i.change, i.mine])).toEqual([
        ['Ana', 'pending', 'create', true],
        ['Server 2', 'synced', undefined, false],
        ['Server 1', 'synced', undefined, false],
      ]);
      expect(items[0].localId).toBe((queued as { local_id: number }).local_id);
    });

    it('shows a delivered review once, from the server, under the same key as while it was queued', () => {
      const queued = reviewCreate({ api: API, name: 'Ana' });
      const before = reviewsView([], [stored(queued)], [], API);
      const after = reviewsView([server(7, { name: 'Ana', client_id: queued.client_id })], [stored(queued)], [7], API);

      expect(after.length).toBe(1);
      expect(after[0]).toEqual(jasmine.objectContaining({ id: 7, sync: 'synced', mine: true }));
      expect(after[0].key).toBe(before[0].key);
    });

    it('shows a pending edit instead of the server’s text, and hides a review whose deletion is pending', () => {
      const items = reviewsView(
        [server(1), server(2)],
        [stored(reviewEdit(1, { api: API, name: 'Ana', rating: 5, comments: 'Better now' })), stored(reviewDelete(2, { api: API }))],
        [1, 2],
        API,
      );
      expect(items.map((i) => [i.id, i.comments, i.rating, i.sync, i.change])).toEqual([[1, 'Better now', 5, 'pending', 'edit']]);
    });

    it('shows a refused deletion again, with the reason, so the person can retry or discard it', () => {
      const [item] = reviewsView([server(2)], [stored(reviewDelete(2, { api: API, status: 'failed', error: 'Wrong token' }))], [2], API);
      expect(item).toEqual(jasmine.objectContaining({ id: 2, sync: 'failed', change: 'delete', error: 'Wrong token' }));
    });

    it('ignores changes meant for another API and records an update could not read', () => {
      const unreadable = stored({ kind: 'unreadable', v: 2, api: API, restaurant_id: 1, status: 'failed', error: 'x', original: {} });
      const items = reviewsView([server(1)], [stored(reviewEdit(1, { api: OTHER, comments: 'Elsewhere' })), unreadable], [], API);
      expect(items.map((i) => [i.comments, i.sync])).toEqual([['Comment 1', 'synced']]);
    });
  });

  it('outboxSummary counts what waits and lists what was refused', () => {
    const refused = stored(reviewCreate({ status: 'failed', error: 'Bad rating' }));
    const summary = outboxSummary([favorite(1, true), favorite(2, false, { status: 'failed' })], [stored(reviewCreate()), refused]);
    expect(summary.pending).toBe(2);
    expect(summary.failedFavorites.map((f) => f.restaurant_id)).toEqual([2]);
    expect(summary.failedReviews).toEqual([refused]);
  });

  it('outboxSummary lists the review records for the API, refused ones too, and none for another', () => {
    const ours = [stored(reviewCreate({ api: API })), stored(reviewEdit(1, { api: API, status: 'failed', error: 'x' }))];
    const summary = outboxSummary([], [...ours, stored(reviewCreate({ api: OTHER }))], API);
    expect(summary.queuedReviews).toEqual(ours);
  });
});
