import { DATA_API_META_KEY } from './app-config';
import { favorite, reviewCreate, reviewDelete, reviewEdit, unkeyed } from '../testing/records';
import { type RecordedCall, deleteAppDb, json, ScriptedFetch, wireRestaurant } from '../testing/scripted-fetch';
import { normalizeRestaurant } from './api';
import { ApiClient } from './api-client';
import { type AppDb, openAppDb } from './db-schema';
import type { ReviewCreateRecord, StoredCreate } from './outbox-records';
import { RETRY_AFTER_KEY, RetryLaterError, countPending, replayOutbox, replayOutboxPatiently } from './replay';
import type { SyncMessage } from './sync-protocol';

// Typed as stored; without a key, the store assigns one.
const queuedReview = (overrides: Partial<ReviewCreateRecord> = {}) => reviewCreate(overrides) as StoredCreate;

function serverReview(body: object, id: number): Record<string, unknown> {
  return { ...body, id, createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z' };
}

describe('replayOutbox (real IndexedDB, scripted network)', () => {
  let db: AppDb;
  let network: ScriptedFetch;
  let messages: SyncMessage[];
  let nextId: number;

  const replay = (only?: 'favorites' | 'reviews') =>
    replayOutbox({ db, apiFor: () => new ApiClient('', network.fetch), only, notify: (m) => messages.push(m), timeoutMs: 2000 });

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    messages = [];
    nextId = 100;
    network = new ScriptedFetch((call) =>
      call.method === 'POST' ? json(serverReview(call.body as object, nextId++), 201) : json([]),
    );
  });

  afterEach(() => db.close());

  it('delivers queued reviews, stores the server copies and empties the outbox in the same step', async () => {
    await db.add('offline-reviews', queuedReview({ name: 'Ana' }));
    await db.add('offline-reviews', queuedReview({ name: 'Ben' }));

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(2);
    expect(await db.count('offline-reviews')).toBe(0);
    const stored = await db.getAll('reviews');
    expect(stored.map((r) => r.name).sort()).toEqual(['Ana', 'Ben']);
    expect(stored.every((r) => typeof r.client_id === 'string')).toBeTrue();
    expect(network.calls.filter((c) => c.method === 'POST').length).toBe(2);
    expect(messages).toContain(jasmine.objectContaining({ type: 'replayed', reviewsSent: 2 }));
  });

  it('keeps every record and rejects on a network error, so the browser retries', async () => {
    await db.add('offline-reviews', queuedReview());
    network.respondWith(() => 'network-error');

    await expectAsync(replay()).toBeRejectedWithError(RetryLaterError);
    const [kept] = (await db.getAll('offline-reviews')) as StoredCreate[];
    expect(kept.status).toBe('pending');
    expect(kept.attempts).toBe(1);
  });

  describe('replayOutboxPatiently (right after a reconnect the first requests may still fail)', () => {
    let slept: number[];
    const patiently = () =>
      replayOutboxPatiently({
        db,
        apiFor: () => new ApiClient('', network.fetch),
        timeoutMs: 2000,
        retriesMs: [10, 30],
        sleep: async (ms) => void slept.push(ms),
      });
    beforeEach(() => (slept = []));

    it('tries again after a short wait when the server could not be reached, and delivers', async () => {
      await db.add('offline-reviews', queuedReview());
      let failures = 1;
      network.respondWith((call) => (failures-- > 0 ? 'network-error' : json(serverReview(call.body as object, nextId++), 201)));

      const outcome = await patiently();

      expect(outcome.reviewsSent).toBe(1);
      expect(slept).toEqual([10]);
      expect(await db.count('offline-reviews')).toBe(0);
    });

    it("retries ngsw's made-up 504, then gives up and keeps the records for the browser's retry", async () => {
      await db.add('offline-reviews', queuedReview());
      network.respondWith(() => new Response('', { status: 504, statusText: 'Gateway Timeout' }));

      await expectAsync(patiently()).toBeRejectedWithError(RetryLaterError);
      expect(slept).toEqual([10, 30]);
      expect(network.calls.length).toBe(3);
      expect((await countPending(db)).reviews).toBe(1);
    });

    it("does not retry what the server itself answered: a 429's Retry-After or a 503 are the server's to pace", async () => {
      await db.add('offline-reviews', queuedReview());
      network.respondWith(() => json({ error: 'Too Many Requests', message: 'Slow down' }, 429, { 'retry-after': '30' }));
      await expectAsync(patiently()).toBeRejectedWithError(RetryLaterError);
      await db.delete('meta', RETRY_AFTER_KEY);
      network.respondWith(() => json({ error: 'Service Unavailable', message: 'Busy' }, 503));
      await expectAsync(patiently()).toBeRejectedWithError(RetryLaterError);

      expect(slept).toEqual([]);
      expect(network.calls.length).toBe(2);
    });
  });

  it('treats 5xx (ngsw answers a failed request with a made-up 504) as transient', async () => {
    await db.add('offline-reviews', queuedReview());
    network.respondWith(() => new Response('', { status: 504, statusText: 'Gateway Timeout' }));

    await expectAsync(replay()).toBeRejectedWithError(RetryLaterError);
    expect((await countPending(db)).reviews).toBe(1);
  });

  it('honours Retry-After: a 429 stops the replay and nothing is sent until the time has passed', async () => {
    await db.add('offline-reviews', queuedReview());
    network.respondWith(() => json({ error: 'Too Many Requests', message: 'Slow down' }, 429, { 'retry-after': '30' }));

    const error = await replay().catch((e: RetryLaterError) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).outcome.retryAfterMs).toBe(30_000);

    network.calls.length = 0;
    await expectAsync(replay()).toBeRejectedWithError(RetryLaterError);
    expect(network.calls.length).withContext('no request inside the Retry-After window').toBe(0);
  });

  it('marks a review the server refuses with 400 as failed, keeps it, and still delivers the others', async () => {
    await db.add('offline-reviews', queuedReview({ name: 'Poison', rating: 9 }));
    await db.add('offline-reviews', queuedReview({ name: 'Fine' }));
    network.respondWith((call) =>
      (call.body as { name: string }).name === 'Poison'
        ? json({ error: 'Bad Request', message: 'rating must be an integer from 1 to 5', field: 'rating' }, 400)
        : json(serverReview(call.body as object, nextId++), 201),
    );

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(1);
    expect(outcome.failed).toBe(1);
    const [poison] = (await db.getAll('offline-reviews')) as StoredCreate[];
    expect(poison.name).toBe('Poison');
    expect(poison.status).toBe('failed');
    expect(poison.error).toBe('rating must be an integer from 1 to 5');

    network.calls.length = 0;
    await replay();
    expect(network.calls.length).withContext('a failed record is not retried by itself').toBe(0);
  });

  it('looks a previously tried review up by its client id before sending it again', async () => {
    const record = queuedReview({ attempts: 1 });
    await db.add('offline-reviews', record);
    network.respondWith((call) =>
      call.method === 'GET'
        ? json([serverReview({ restaurant_id: 1, name: 'Ana', rating: 4, comments: 'x', client_id: record.client_id }, 55)])
        : json({}, 500),
    );

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(1);
    expect(network.calls.map((c) => c.method)).toEqual(['GET']);
    expect((await db.get('reviews', 55))?.client_id).toBe(record.client_id);
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('sends the same client id again when a review was tried but did not arrive', async () => {
    const record = queuedReview({ attempts: 2 });
    await db.add('offline-reviews', record);

    await replay();

    const posts = network.calls.filter((c) => c.method === 'POST');
    expect(posts.length).toBe(1);
    expect((posts[0].body as { client_id: string }).client_id).toBe(record.client_id);
  });

  it('sends the latest favorite wish and keeps a newer one made while the PUT was in flight', async () => {
    await db.put('restaurants', normalizeRestaurant(wireRestaurant(2)));
    await db.put('offline-favorites', favorite(2, true, { stamp: 'first' }));
    let puts = 0;
    network.respondWith(async (call) => {
      puts++;
      const wanted = call.url.endsWith('is_favorite=true');
      if (puts === 1) {
        // The person changes their mind while the first PUT is on the wire.
        await db.put('offline-favorites', favorite(2, false, { stamp: 'second' }));
      }
      return json(wireRestaurant(2, { is_favorite: String(wanted) }));
    });

    const outcome = await replay('favorites');

    expect(network.calls.map((c) => c.url)).toEqual(['/restaurants/2/?is_favorite=true', '/restaurants/2/?is_favorite=false']);
    expect(outcome.favoritesSent).toBe(2);
    expect(await db.count('offline-favorites')).toBe(0);
    expect((await db.get('restaurants', 2))?.is_favorite).toBeFalse();
  });

  it('sends when the wish was made; a wish the server answers "superseded" adopts its state, is not re-sent, and is told', async () => {
    await db.put('restaurants', normalizeRestaurant(wireRestaurant(2)));
    await db.put('offline-favorites', favorite(2, true, { wished_at: 1_700_000_000_000 }));
    network.respondWith(() =>
      json(wireRestaurant(2, { name: 'Emily', is_favorite: 'false' }), 200, { 'x-favorite-wish': 'superseded' }),
    );

    const outcome = await replay('favorites');
    await replay('favorites');

    expect(network.calls.map((c) => c.url)).toEqual(['/restaurants/2/?is_favorite=true&wished_at=1700000000000']);
    expect(outcome.favoritesSent).toBe(0);
    expect(await db.count('offline-favorites')).toBe(0);
    expect((await db.get('restaurants', 2))?.is_favorite).toBeFalse();
    expect(messages).toContain({ type: 'favorite-superseded', restaurantId: 2, name: 'Emily', isFavorite: false });
  });

  it('a wish the server applied (or a server that ignores wished_at) counts as saved, without a notice', async () => {
    await db.put('offline-favorites', favorite(2, true, { wished_at: 1_700_000_000_000 }));
    network.respondWith(() => json(wireRestaurant(2, { is_favorite: 'true' })));

    const outcome = await replay('favorites');

    expect(outcome.favoritesSent).toBe(1);
    expect(messages.some((m) => m.type === 'favorite-superseded')).toBeFalse();
  });

  it('runs one replay at a time: two at once send each review once', async () => {
    for (let i = 0; i < 5; i++) await db.add('offline-reviews', queuedReview({ name: `R${i}` }));

    await Promise.all([replay(), replay()]);

    expect(network.calls.filter((c) => c.method === 'POST').length).toBe(5);
    expect(await db.count('reviews')).toBe(5);
  });

  it('keeps the edit token of a created review, and sends an edit and a deletion with it', async () => {
    network.respondWith((call) => {
      if (call.method === 'POST') return json({ ...serverReview(call.body as object, 70), edit_token: 'secret-70' }, 201);
      if (call.method === 'PUT') return json(serverReview({ ...(call.body as object), restaurant_id: 1 }, 70));
      return json(serverReview({ restaurant_id: 1, name: 'Ana', rating: 2, comments: 'x' }, 70));
    });
    await db.add('offline-reviews', queuedReview());
    await replay();
    expect(await db.get('own-reviews', 70)).toEqual({ review_id: 70, restaurant_id: 1, edit_token: 'secret-70' });
    expect((await db.get('reviews', 70)) as unknown).not.toEqual(jasmine.objectContaining({ edit_token: jasmine.anything() }));

    await db.add('offline-reviews', unkeyed(reviewEdit(70, { rating: 2 })));
    await db.add('offline-reviews', unkeyed(reviewDelete(70)));
    const outcome = await replay();

    expect(outcome.editsSent).toBe(2);
    const [put, del] = network.calls.slice(-2);
    expect(put.method).toBe('PUT');
    expect(put.body).toEqual(jasmine.objectContaining({ rating: 2, edit_token: 'secret-70' }));
    expect(del.method).toBe('DELETE');
    expect(del.url).toBe('/reviews/70?edit_token=secret-70');
    expect(await db.get('reviews', 70)).toBeUndefined();
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('turns an edit made while the review was in flight into an edit of the delivered review', async () => {
    const localId = await db.add('offline-reviews', queuedReview({ rating: 3 }));
    let posted = false;
    network.respondWith(async (call) => {
      if (call.method === 'POST' && !posted) {
        posted = true;
        const record = (await db.get('offline-reviews', localId)) as StoredCreate;
        await db.put('offline-reviews', { ...record, rating: 5 });
        return json({ ...serverReview(call.body as object, 80), edit_token: 't80' }, 201);
      }
      return json(serverReview({ ...(call.body as object), restaurant_id: 1 }, 80));
    });

    await replay();

    expect(network.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(network.calls[1].body).toEqual(jasmine.objectContaining({ rating: 5 }));
    expect(await db.count('offline-reviews')).toBe(0);
    expect((await db.get('reviews', 80))?.rating).toBe(5);
  });

  it('sends each record to its own API, and looks a retried review up there too', async () => {
    const elsewhere = new ScriptedFetch((call) =>
      call.method === 'POST' ? json(serverReview(call.body as object, 900), 201) : json([]),
    );
    const clients = new Map([
      ['http://here.test', new ApiClient('http://here.test', network.fetch)],
      ['http://there.test', new ApiClient('http://there.test', elsewhere.fetch)],
    ]);
    await db.add('offline-reviews', queuedReview({ api: 'http://here.test', name: 'Here' }));
    await db.add('offline-reviews', queuedReview({ api: 'http://there.test', name: 'There', attempts: 1 }));
    await db.put('offline-favorites', favorite(2, true, { api: 'http://there.test' }));
    elsewhere.respondWith((call) =>
      call.method === 'PUT' ? json(wireRestaurant(2, { is_favorite: 'true' })) : call.method === 'POST' ? json(serverReview(call.body as object, 900), 201) : json([]),
    );

    await replayOutbox({ db, apiFor: (base) => clients.get(base)!, timeoutMs: 2000 });

    expect(network.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST http://here.test/reviews/']);
    expect(elsewhere.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'PUT http://there.test/restaurants/2/?is_favorite=true',
      'GET http://there.test/reviews/?restaurant_id=1',
      'POST http://there.test/reviews/',
    ]);
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('says which stores and restaurants changed, and sends what the throttle held back at the end', async () => {
    await db.add('offline-reviews', queuedReview({ restaurant_id: 4 }));
    await db.add('offline-reviews', queuedReview({ restaurant_id: 5 }));

    await replay('reviews');

    const changed = messages.filter((m) => m.type === 'changed');
    expect(changed.length).toBeGreaterThan(0);
    for (const message of changed) {
      expect(message).toEqual(jasmine.objectContaining({ stores: ['reviews', 'offline-reviews', 'own-reviews'] }));
    }
    const restaurants = changed.flatMap((m) => (m.type === 'changed' ? (m.restaurantIds ?? []) : []));
    expect([...new Set(restaurants)].sort()).toEqual([4, 5]);
    expect(messages[messages.length - 1]).toEqual(jasmine.objectContaining({ type: 'replayed', reviewsSent: 2 }));
  });

  it('sets a record of an unknown format aside as "Not sent" without sending it, and sends the rest', async () => {
    await db.add('offline-reviews', { ...queuedReview({ name: 'Future' }), v: 99 } as unknown as StoredCreate);
    await db.add('offline-reviews', queuedReview({ name: 'Today' }));

    const outcome = await replay();

    expect(network.calls.filter((c) => c.method === 'POST').map((c) => (c.body as { name: string }).name)).toEqual(['Today']);
    expect(outcome.failed).toBe(1);
    const [kept] = await db.getAll('offline-reviews');
    expect(kept).toEqual(jasmine.objectContaining({ kind: 'unreadable', status: 'failed', original: jasmine.objectContaining({ name: 'Future', v: 99 }) }));

    network.calls.length = 0;
    await replay();
    expect(network.calls.length).withContext('never retried by itself').toBe(0);
  });
});

describe('replayOutbox: every record goes to the API it was made for', () => {
  const B = 'http://api-b.test:4001';
  const C = 'http://api-c.test:4002/v2';
  let db: AppDb;
  let network: ScriptedFetch;
  let nextId: number;

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    nextId = 500;
    network = new ScriptedFetch(serverAnswers);
  });

  /** A server that accepts everything. */
  const serverAnswers = (call: RecordedCall): Response => {
    if (call.method === 'POST') return json(serverReview(call.body as object, nextId++), 201);
    if (call.method === 'PUT') return json(wireRestaurant(Number(/restaurants\/(\d+)/.exec(call.url)![1]), { is_favorite: 'true' }));
    return json([]);
  };
  afterEach(() => db.close());

  const replay = (canReach?: (base: string) => boolean) =>
    replayOutbox({ db, apiFor: (base) => new ApiClient(base, network.fetch), canReach, timeoutMs: 2000 });

  it('sends each favorite and review to its own API, and caches only copies from the API the cache is for', async () => {
    await db.put('meta', { key: DATA_API_META_KEY, value: C });
    await db.add('offline-reviews', queuedReview({ name: 'For B', api: B, restaurant_id: 1 }));
    await db.add('offline-reviews', queuedReview({ name: 'For C', api: C, restaurant_id: 1 }));
    await db.put('offline-favorites', favorite(4, true, { api: B, stamp: 's1' }));

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(2);
    expect(outcome.favoritesSent).toBe(1);
    const posts = network.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => [c.url, (c.body as { name: string }).name]).sort()).toEqual([
      [`${B}/reviews/`, 'For B'],
      [`${C}/reviews/`, 'For C'],
    ]);
    expect(network.calls.filter((c) => c.method === 'PUT').map((c) => c.url)).toEqual([`${B}/restaurants/4/?is_favorite=true`]);
    // B's answers are not C's data: only C's review is cached, B's restaurant is not.
    expect((await db.getAll('reviews')).map((r) => r.name)).toEqual(['For C']);
    expect(await db.get('restaurants', 4)).toBeUndefined();
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it("looks an uncertain review up on its own API only: a copy on another API does not settle it", async () => {
    const record = queuedReview({ name: 'Uncertain', api: B, attempts: 1 });
    await db.add('offline-reviews', record);
    network.respondWith((call) => {
      // C has a review with that client id (say, a copy); B has not.
      if (call.method === 'GET' && call.url.startsWith(C)) return json([serverReview({ ...record, id: 1 }, 1)]);
      if (call.method === 'POST') return json(serverReview(call.body as object, nextId++), 201);
      return json([]);
    });

    await replay();

    expect(network.calls.filter((c) => c.method === 'GET').map((c) => c.url)).toEqual([`${B}/reviews/?restaurant_id=1`]);
    expect(network.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual([`${B}/reviews/`]);
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('an API that is down holds back only its own records: the others are delivered', async () => {
    await db.add('offline-reviews', queuedReview({ name: 'For B 1', api: B }));
    await db.add('offline-reviews', queuedReview({ name: 'For C', api: C }));
    await db.add('offline-reviews', queuedReview({ name: 'For B 2', api: B }));
    await db.put('offline-favorites', favorite(4, true, { api: B, stamp: 's1' }));
    await db.put('offline-favorites', favorite(5, true, { api: C, stamp: 's2' }));
    network.respondWith((call) => (call.url.startsWith(B) ? 'network-error' : serverAnswers(call)));

    const error = await replay().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(RetryLaterError);
    const outcome = (error as RetryLaterError).outcome;
    expect([outcome.reviewsSent, outcome.favoritesSent, outcome.remaining]).toEqual([1, 1, 3]);
    // B was tried once (the first favorite PUT failed; nothing more went to it); C got all of its own.
    expect(network.calls.filter((c) => c.url.startsWith(B)).map((c) => c.method)).toEqual(['PUT']);
    const left = (await db.getAll('offline-reviews')) as StoredCreate[];
    expect(left.map((r) => r.name).sort()).toEqual(['For B 1', 'For B 2']);
    expect(left.every((r) => r.attempts <= 1 && r.status === 'pending')).toBeTrue();
    expect((await db.getAll('offline-favorites')).map((f) => f.api)).toEqual([B]);
  });

  it('leaves records it may not reach untouched (no attempt counted) and says how many', async () => {
    await db.add('offline-reviews', queuedReview({ name: 'For B', api: B }));
    await db.add('offline-reviews', queuedReview({ name: 'For C', api: C }));
    await db.put('offline-favorites', favorite(4, true, { api: B, stamp: 's1' }));

    const outcome = await replay((base) => base === C);

    expect(outcome.unreachable).toBe(2);
    expect(outcome.unreachableApis).toEqual([B]);
    expect(outcome.reviewsSent).toBe(1);
    expect(outcome.remaining).toBe(2);
    expect(network.calls.every((c) => c.url.startsWith(C))).toBeTrue();
    const left = (await db.getAll('offline-reviews')) as StoredCreate[];
    expect(left.map((r) => [r.name, r.attempts, r.status])).toEqual([['For B', 0, 'pending']]);
    expect(await db.count('offline-favorites')).toBe(1);
  });
});
