import { TestBed } from '@angular/core/testing';
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { normalizeRestaurant } from '../../shared/api';
import { ApiClient } from '../../shared/api-client';
import { openAppDb } from '../../shared/db-schema';
import { favorite } from '../../testing/records';
import { ScriptedFetch, deleteAppDb, json, wireRestaurant } from '../../testing/scripted-fetch';
import { Api } from '../core/api';
import type { Loaded } from '../core/loaded';
import type { Restaurant } from '../../shared/api';
import type { RestaurantView } from '../../shared/pending-view';
import { RestaurantData } from './restaurant-data';

describe('RestaurantData (real IndexedDB, scripted network)', () => {
  let network: ScriptedFetch;

  function setUp(): RestaurantData {
    TestBed.configureTestingModule({ providers: [{ provide: Api, useValue: new ApiClient('', network.fetch) }] });
    return TestBed.inject(RestaurantData);
  }

  async function seedCache(...restaurants: Restaurant[]): Promise<void> {
    const db = await openAppDb();
    for (const restaurant of restaurants) await db.put('restaurants', restaurant);
    db.close();
  }

  const names = (loaded: Loaded<Restaurant[]>) => (loaded.state === 'ready' ? loaded.value.map((r) => r.name) : loaded.state);

  beforeEach(async () => {
    await deleteAppDb();
    network = new ScriptedFetch(() => json([wireRestaurant(1, { name: 'Fresh' })]));
  });

  it('emits the cached copy first, then the network copy, and stores the latter', async () => {
    await seedCache(normalizeRestaurant(wireRestaurant(1, { name: 'Cached' })));
    const data = setUp();

    const emissions = await firstValueFrom(data.all().pipe(take(2), toArray()));

    expect(emissions.map(names)).toEqual([['Cached'], ['Fresh']]);
    expect(emissions.map((e) => e.state === 'ready' && e.stale)).toEqual([true, false]);
    const db = await openAppDb();
    expect((await db.get('restaurants', 1))?.name).toBe('Fresh');
    db.close();
  });

  it('offline, emits only the cached copy and no error', async () => {
    await seedCache(normalizeRestaurant(wireRestaurant(1, { name: 'Cached' })));
    network.respondWith(() => 'network-error');
    const data = setUp();

    const emissions: Array<Loaded<RestaurantView[]>> = [];
    const errors: unknown[] = [];
    const subscription = data.all().subscribe({ next: (e) => emissions.push(e), error: (e) => errors.push(e) });
    while (network.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.unsubscribe();

    // The failed refresh changes nothing the view shows, so it adds no emission of its own.
    expect(emissions.map(names)).toEqual([['Cached']]);
    expect(emissions[0]).toEqual(jasmine.objectContaining({ state: 'ready', stale: true }));
    expect(errors).toEqual([]);
  });

  it('says "unavailable" when there is neither a cached copy nor a network', async () => {
    network.respondWith(() => 'network-error');
    const data = setUp();

    expect(await firstValueFrom(data.all())).toEqual({ state: 'unavailable' });
  });

  it('asks only for what changed since the newest copy it has', async () => {
    await seedCache(normalizeRestaurant(wireRestaurant(1)));
    const data = setUp();
    await firstValueFrom(data.all().pipe(take(2), toArray()));
    network.calls.length = 0;
    network.respondWith(() => json([], 200, { 'x-delta-sync': 'updated_since' }));

    const [, fresh] = await firstValueFrom(data.all().pipe(take(2), toArray()));

    expect(network.calls.map((c) => c.url)).toEqual(['/restaurants?updated_since=2017-09-01T12%3A00%3A00.000Z']);
    expect(names(fresh)).toEqual(['Fresh']);
  });

  it('falls back to the full list when the server does not confirm the delta filter (the original server)', async () => {
    await seedCache(normalizeRestaurant(wireRestaurant(1)));
    const data = setUp();
    await firstValueFrom(data.all().pipe(take(2), toArray()));
    network.calls.length = 0;
    // A server that does not know the parameter may treat it as a filter that matches nothing.
    network.respondWith((call) => json(call.url.includes('updated_since') ? [] : [wireRestaurant(1, { name: 'Renamed' })]));

    const [, fresh] = await firstValueFrom(data.all().pipe(take(2), toArray()));

    expect(network.calls.map((c) => c.url)).toEqual([
      '/restaurants?updated_since=2017-09-01T12%3A00%3A00.000Z',
      '/restaurants',
    ]);
    expect(names(fresh)).toEqual(['Renamed']);
  });

  it('reports an unknown restaurant as not found', async () => {
    network.respondWith(() => json({ error: 'Not Found', message: 'Restaurant 99 does not exist' }, 404));
    const data = setUp();

    expect(await firstValueFrom(data.one(99))).toEqual({ state: 'not-found' });
  });

  it('keeps a queued favorite wish when the server copy arrives', async () => {
    await seedCache(normalizeRestaurant(wireRestaurant(1)));
    const db = await openAppDb();
    await db.put('offline-favorites', favorite(1, true, { stamp: 's', status: 'failed' }));
    db.close();
    const data = setUp();

    const [, fresh] = await firstValueFrom(data.all().pipe(take(2), toArray()));

    expect(fresh.state === 'ready' && fresh.value[0].is_favorite).toBeTrue();
  });

  describe('first screen', () => {
    const view = JSON.stringify(['', '', false, '', 'name']);

    it('reads back the remembered first cards in their order, with favorite wishes laid over', async () => {
      await seedCache(
        ...[1, 2, 3, 4].map((id) => normalizeRestaurant(wireRestaurant(id, { name: `R${id}`, is_favorite: false }))),
      );
      const db = await openAppDb();
      await db.put('offline-favorites', favorite(3, true, { stamp: 's' }));
      db.close();
      const data = setUp();

      await data.rememberFirstScreen(view, [3, 1, 4]);
      const cards = await data.firstScreen(view);

      expect(cards?.map((r) => r.name)).toEqual(['R3', 'R1', 'R4']);
      expect(cards?.map((r) => r.is_favorite)).toEqual([true, false, false]);
    });

    it('has nothing for a view it never showed, and skips records that are gone', async () => {
      await seedCache(normalizeRestaurant(wireRestaurant(1, { name: 'Kept' })));
      const data = setUp();

      await data.rememberFirstScreen(view, [9, 1]);

      expect(await data.firstScreen(JSON.stringify(['Queens', '', false, '', 'name']))).toBeUndefined();
      expect((await data.firstScreen(view))?.map((r) => r.name)).toEqual(['Kept']);
      await data.rememberFirstScreen(view, [9]);
      expect(await data.firstScreen(view)).toBeUndefined();
    });

    it('on a first visit, shows the network list before it is written to IndexedDB', async () => {
      network.respondWith(() => json([wireRestaurant(2, { name: 'B' }), wireRestaurant(1, { name: 'A' })]));
      const data = setUp();
      // A connection of its own, so a count starts the moment the list is emitted: a read
      // transaction created before the store's write transaction sees the store as it was.
      const db = await openAppDb();
      let storedWhenShown: Promise<number> | undefined;

      const emissions = await firstValueFrom(
        data.all().pipe(
          tap(() => (storedWhenShown ??= db.count('restaurants'))),
          take(2),
          toArray(),
        ),
      );

      // The network's order first, then IndexedDB's (by id) once stored.
      expect(emissions.map(names)).toEqual([['B', 'A'], ['A', 'B']]);
      expect(emissions.map((e) => e.state === 'ready' && e.stale)).toEqual([false, false]);
      expect(await storedWhenShown).toBe(0);
      db.close();
    });
  });
});
