import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { normalizeRestaurant } from '../../shared/api';
import { ApiClient } from '../../shared/api-client';
import { openAppDb } from '../../shared/db-schema';
import type { StoredCreate } from '../../shared/outbox-records';
import { restaurantView } from '../../shared/pending-view';
import { ScriptedFetch, deleteAppDb, json, wireRestaurant } from '../../testing/scripted-fetch';
import { Api } from '../core/api';
import { Connectivity } from './connectivity';
import { Delivery } from './delivery';
import { Outbox } from './outbox';
import { OutboxStatus } from './outbox-status';

describe('Outbox (real IndexedDB, no service worker, scripted network)', () => {
  let network: ScriptedFetch;
  let outbox: Outbox;
  let delivery: Delivery;
  let status: OutboxStatus;

  beforeEach(async () => {
    await deleteAppDb();
    const db = await openAppDb();
    await db.put('restaurants', normalizeRestaurant(wireRestaurant(2)));
    db.close();
    // Offline until a test says otherwise, so the outbox keeps what it is given (and a replay
    // that cannot reach the server is not retried a moment later, as it is when online).
    network = new ScriptedFetch(() => 'network-error');
    TestBed.configureTestingModule({
      providers: [
        { provide: Api, useValue: new ApiClient('', network.fetch) },
        { provide: Connectivity, useValue: { online: signal(false).asReadonly() } },
      ],
    });
    outbox = TestBed.inject(Outbox);
    delivery = TestBed.inject(Delivery);
    status = TestBed.inject(OutboxStatus);
  });

  it('writes a favorite to the outbox only, one record per restaurant; the view shows the latest wish', async () => {
    await outbox.setFavorite(2, true);
    await outbox.setFavorite(2, false);
    await delivery.replayHere();

    const db = await openAppDb();
    const restaurant = await db.get('restaurants', 2);
    const wishes = await db.getAll('offline-favorites');
    db.close();
    // The store keeps the server's copy as it was; the wish is laid over it when read.
    expect(restaurant).toEqual(normalizeRestaurant(wireRestaurant(2)));
    expect(restaurantView(restaurant!, wishes[0], location.origin)).toEqual(
      jasmine.objectContaining({ is_favorite: false, favoriteSync: 'pending' }),
    );
    expect(wishes.length).toBe(1);
    expect(wishes[0]).toEqual(jasmine.objectContaining({ restaurant_id: 2, is_favorite: false, status: 'pending' }));
    // Fixed at write time: the API the runtime config names (Karma has no /app-config.json: this origin).
    expect(wishes[0].api).toBe(location.origin);
    expect(status.pendingCount()).toBe(1);
  });

  it('queues a review with a client UUID and a creation time, and keeps it while offline', async () => {
    const record = await outbox.addReview({ restaurant_id: 2, name: 'Ana', rating: 5, comments: 'Great crust' });
    await delivery.replayHere();

    expect(record.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const db = await openAppDb();
    const [queued] = (await db.getAll('offline-reviews')) as StoredCreate[];
    db.close();
    expect(queued).toEqual(jasmine.objectContaining({ name: 'Ana', client_id: record.client_id, status: 'pending', api: location.origin }));
    expect(Date.parse(queued.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('sends at once without Background Sync, and empties the outbox on success', async () => {
    network.respondWith((call) =>
      json({ ...(call.body as object), id: 31, createdAt: '2026-11-24T10:00:00Z', updatedAt: '2026-11-24T10:00:00Z' }, 201),
    );

    await outbox.addReview({ restaurant_id: 2, name: 'Ana', rating: 5, comments: 'Great crust' });
    await delivery.replayHere();

    const db = await openAppDb();
    expect(await db.count('offline-reviews')).toBe(0);
    expect((await db.get('reviews', 31))?.name).toBe('Ana');
    db.close();
    expect(network.calls.filter((c) => c.method === 'POST').length).toBe(1);
  });

  it('lets the person retry or discard a review the server refused', async () => {
    network.respondWith(() => json({ error: 'Bad Request', message: 'Restaurant 2 does not exist', field: 'restaurant_id' }, 400));
    const { local_id } = await outbox.addReview({ restaurant_id: 2, name: 'Ana', rating: 5, comments: 'x' });
    await delivery.replayHere();
    expect(status.failedCount()).toBe(1);

    await outbox.discardReview(local_id);

    const db = await openAppDb();
    expect(await db.count('offline-reviews')).toBe(0);
    db.close();
  });
});
