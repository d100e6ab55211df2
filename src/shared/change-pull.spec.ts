import { favorite, reviewCreate, reviewEdit, testApi, unkeyed } from '../testing/records';
import { ScriptedFetch, deleteAppDb, json, wireRestaurant } from '../testing/scripted-fetch';
import { ApiClient, NetworkError } from './api-client';
import { DATA_API_META_KEY } from './app-config';
import { adoptBaseline, pullChanges, readCursor } from './change-pull';
import { type AppDb, CHANGE_CURSOR_META_KEY, openAppDb } from './db-schema';
import { reviewsView } from './pending-view';

function wireReview(id: number, restaurantId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    restaurant_id: restaurantId,
    name: `Reviewer ${id}`,
    rating: 4,
    comments: `Review ${id}`,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

interface WirePage {
  cursor: number;
  restaurants?: unknown[];
  reviews?: unknown[];
  deletedReviews?: number[];
  more?: boolean;
  resync?: true;
}

const page = (p: WirePage) => json({ restaurants: [], reviews: [], deletedReviews: [], more: false, ...p });

describe('pullChanges (real IndexedDB, scripted network)', () => {
  let db: AppDb;
  let network: ScriptedFetch;
  const api = testApi();
  /** Answers by the `after` asked for. */
  let pages: Map<number, Response | (() => Response | 'network-error')>;

  const pull = () => pullChanges(db, new ApiClient(api, network.fetch), api, { limit: 2 });
  const asked = () => network.calls.map((c) => new URL(c.url).searchParams.get('after'));

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    pages = new Map();
    network = new ScriptedFetch((call) => {
      const after = Number(new URL(call.url).searchParams.get('after'));
      const answer = pages.get(after);
      if (!answer) return json({ error: 'Not Found', message: 'no such route' }, 404);
      return typeof answer === 'function' ? answer() : answer.clone();
    });
  });

  afterEach(() => db.close());

  it('with no cursor asks nothing; the first cursor is adopted once, for this API, and pulls go on from it', async () => {
    expect(await pull()).toEqual({ kind: 'no-cursor' });
    expect(network.calls).toEqual([]);

    expect(await adoptBaseline(db, api, 7)).toBeTrue();
    expect(await adoptBaseline(db, api, 9)).toBeFalse();
    expect((await db.get('meta', CHANGE_CURSOR_META_KEY))?.value).toEqual({ api, cursor: 7 });

    pages.set(7, page({ cursor: 9, restaurants: [wireRestaurant(1), wireRestaurant(2)], more: true }));
    pages.set(9, page({ cursor: 12, reviews: [wireReview(7, 1)] }));
    const outcome = await pull();

    expect(outcome).toEqual(jasmine.objectContaining({ kind: 'pulled', cursor: 12, resynced: false }));
    expect(asked()).toEqual(['7', '9']);
    expect((await db.getAll('restaurants')).map((r) => r.id)).toEqual([1, 2]);
    expect((await db.get('reviews', 7))?.comments).toBe('Review 7');
    expect(await readCursor(db, api)).toBe(12);
  });

  it('after a cursor: stores changes, removes deleted reviews, moves the cursor, and says which restaurants changed', async () => {
    await db.put('meta', { key: CHANGE_CURSOR_META_KEY, value: { api, cursor: 10 } });
    await db.put('reviews', wireReview(3, 1) as never);
    await db.put('reviews', wireReview(4, 2) as never);
    pages.set(10, page({ cursor: 13, restaurants: [wireRestaurant(5, { is_favorite: 'true' })], reviews: [wireReview(4, 2, { comments: 'Edited' })], deletedReviews: [3, 99] }));

    const outcome = await pull();

    expect(asked()).toEqual(['10']);
    expect(await db.get('reviews', 3)).toBeUndefined();
    expect((await db.get('reviews', 4))?.comments).toBe('Edited');
    expect((await db.get('restaurants', 5))?.is_favorite).toBeTrue();
    expect(await readCursor(db, api)).toBe(13);
    if (outcome.kind !== 'pulled') throw new Error(outcome.kind);
    expect(outcome.scope?.stores.sort()).toEqual(['restaurants', 'reviews']);
    expect(outcome.scope?.restaurantIds?.sort()).toEqual([1, 2, 5]);
  });

  it('never touches the outbox: pending reviews and favorites stay, and stay on top of the pulled data', async () => {
    await db.put('meta', { key: CHANGE_CURSOR_META_KEY, value: { api, cursor: 10 } });
    await db.add('offline-reviews', unkeyed(reviewCreate({ restaurant_id: 2, comments: 'Mine, pending', createdAt: '2026-11-25T10:00:00.000Z' })));
    await db.add('offline-reviews', unkeyed(reviewEdit(4, { restaurant_id: 2, name: 'Me', rating: 2, comments: 'My pending edit' })));
    await db.put('offline-favorites', favorite(2, true));
    await db.put('reviews', wireReview(4, 2) as never);
    pages.set(10, page({ cursor: 12, restaurants: [wireRestaurant(2, { is_favorite: 'false' })], reviews: [wireReview(4, 2, { comments: 'Edited elsewhere' }), wireReview(8, 2, { createdAt: '2026-11-19T10:00:00.000Z' })] }));

    await pull();

    expect(await db.count('offline-reviews')).toBe(2);
    expect((await db.get('offline-favorites', 2))?.is_favorite).toBeTrue();
    const view = reviewsView(
      await db.getAllFromIndex('reviews', 'restaurant_id', 2),
      await db.getAllFromIndex('offline-reviews', 'restaurant_id', 2),
      [4],
      api,
    );
    expect(view.map((item) => [item.comments, item.sync])).toEqual([
      ['Mine, pending', 'pending'],
      ['My pending edit', 'pending'],
      ['Review 8', 'synced'],
    ]);
  });

  it('a resync answer reads everything again from 0 and forgets what the server no longer has', async () => {
    await db.put('meta', { key: CHANGE_CURSOR_META_KEY, value: { api, cursor: 50 } });
    await db.put('reviews', wireReview(3, 1) as never);
    pages.set(50, page({ cursor: 0, more: true, resync: true }));
    pages.set(0, page({ cursor: 6, restaurants: [wireRestaurant(1)], reviews: [wireReview(9, 1)] }));

    const outcome = await pull();

    expect(asked()).toEqual(['50', '0']);
    expect(outcome).toEqual(jasmine.objectContaining({ kind: 'pulled', cursor: 6, resynced: true }));
    expect(await db.get('reviews', 3)).toBeUndefined();
    expect(await db.get('reviews', 9)).toBeDefined();
    expect(await readCursor(db, api)).toBe(6);
  });

  it('says "no feed" against a server without one (404), and stores nothing', async () => {
    await adoptBaseline(db, api, 1);
    await db.put('reviews', wireReview(3, 1) as never);
    const outcome = await pull();
    expect(outcome).toEqual({ kind: 'no-feed' });
    expect(await readCursor(db, api)).toBe(1);
    expect(await db.count('reviews')).toBe(1);
  });

  it("does not reuse another API's cursor, and stores nothing while the cache holds another API's data", async () => {
    await db.put('meta', { key: CHANGE_CURSOR_META_KEY, value: { api: 'http://elsewhere.test', cursor: 40 } });
    expect(await readCursor(db, api)).toBeUndefined();
    expect(await pull()).toEqual({ kind: 'no-cursor' });
    expect(network.calls).toEqual([]);

    await db.delete('meta', CHANGE_CURSOR_META_KEY);
    await adoptBaseline(db, api, 3);
    await db.put('meta', { key: DATA_API_META_KEY, value: 'http://elsewhere.test' });
    pages.set(3, page({ cursor: 4, restaurants: [wireRestaurant(2)] }));
    expect(await pull()).toEqual({ kind: 'stale' });
    expect(await db.count('restaurants')).toBe(0);
    // Nor is a first cursor adopted for data that is not this API's.
    await db.delete('meta', CHANGE_CURSOR_META_KEY);
    expect(await adoptBaseline(db, api, 5)).toBeFalse();
  });

  it('a delta cut off by the network keeps the pages it finished, with their cursor', async () => {
    await db.put('meta', { key: CHANGE_CURSOR_META_KEY, value: { api, cursor: 10 } });
    pages.set(10, page({ cursor: 12, reviews: [wireReview(1, 1), wireReview(2, 1)], more: true }));
    pages.set(12, () => 'network-error');

    await expectAsync(pull()).toBeRejectedWithError(NetworkError);

    expect(await db.count('reviews')).toBe(2);
    expect(await readCursor(db, api)).toBe(12);
  });
});
