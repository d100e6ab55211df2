import type { StoredChange } from '../../shared/outbox-records';
import { reviewEdit } from '../../testing/records';
import { TestBed } from '@angular/core/testing';
import { normalizeRestaurant } from '../../shared/api';
import { APP_CONFIG_META_KEY, DATA_API_META_KEY } from '../../shared/app-config';
import { openAppDb } from '../../shared/db-schema';
import type { SyncMessage } from '../../shared/sync-protocol';
import { ScriptedFetch, deleteAppDb, json, wireRestaurant } from '../../testing/scripted-fetch';
import { SyncEvents } from '../sync/sync-events';
import { RuntimeConfig } from './runtime-config';

describe('RuntimeConfig (real IndexedDB, scripted /app-config.json)', () => {
  const B = 'http://api-b.test:4001';
  const C = 'http://api-c.test:4002';
  let network: ScriptedFetch;
  let published: SyncMessage[];

  beforeEach(async () => {
    await deleteAppDb();
    network = new ScriptedFetch(() => json({ apiBaseUrl: C }));
    // Only the config document is scripted; the page asks for nothing else here.
    spyOn(window, 'fetch').and.callFake(network.fetch);
    published = [];
    TestBed.configureTestingModule({});
    TestBed.inject(SyncEvents).messages$.subscribe((m) => published.push(m));
  });

  async function seedCopiesFrom(api: string): Promise<void> {
    const db = await openAppDb();
    await db.put('meta', { key: DATA_API_META_KEY, value: api });
    await db.put('meta', { key: 'restaurantsUpdatedSince', value: '2026-11-01T00:00:00.000Z' });
    await db.put('restaurants', normalizeRestaurant(wireRestaurant(1)));
    await db.put('reviews', { id: 7, restaurant_id: 1, name: 'Old', rating: 3, comments: 'x', createdAt: '', updatedAt: '' });
    await db.put('own-reviews', { review_id: 7, restaurant_id: 1, edit_token: 'needed' });
    await db.put('own-reviews', { review_id: 8, restaurant_id: 1, edit_token: 'not-needed' });
    // A queued edit of review 7, for the API it was made for: it keeps its token.
    await db.add('offline-reviews', reviewEdit(7, { api, restaurant_id: 1, name: 'Old', rating: 4, comments: 'y' }) as StoredChange);
    db.close();
  }

  it('resolves the configured API, remembers it, and makes an empty setting the own origin', async () => {
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(C);
    expect(network.calls.map((c) => c.url)).toEqual(['/app-config.json']);
    const db = await openAppDb();
    expect((await db.get('meta', APP_CONFIG_META_KEY))?.value).toEqual({ apiBaseUrl: C });
    db.close();

    network.respondWith(() => json({ apiBaseUrl: '' }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({});
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(location.origin);
  });

  it('treats a server without the document (404) as "the API is on this origin"', async () => {
    network.respondWith(() => json({ error: 'Not Found' }, 404));
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(location.origin);
  });

  it('uses the last value it saw when the document cannot be fetched (an offline visit)', async () => {
    const db = await openAppDb();
    await db.put('meta', { key: APP_CONFIG_META_KEY, value: { apiBaseUrl: B } });
    db.close();
    network.respondWith(() => 'network-error');
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(B);
  });

  it("drops cached server copies from another API, keeps the outbox and the tokens it needs", async () => {
    await seedCopiesFrom(B);
    const config = TestBed.inject(RuntimeConfig);
    expect(await config.apiBase()).toBe(C);

    const db = await openAppDb();
    expect(await db.count('restaurants')).toBe(0);
    expect(await db.count('reviews')).toBe(0);
    expect(await db.get('meta', 'restaurantsUpdatedSince')).toBeUndefined();
    expect((await db.get('meta', DATA_API_META_KEY))?.value).toBe(C);
    expect((await db.getAll('offline-reviews')).map((r) => r.api)).toEqual([B]);
    expect(await db.getAllKeys('own-reviews')).toEqual([7]);
    db.close();
    expect(published).toContain(jasmine.objectContaining({ type: 'changed', stores: jasmine.arrayContaining(['restaurants', 'reviews']) }));
    expect(config.canReach(C)).toBeTrue();
    expect(config.canReach(location.origin)).toBeTrue();
    expect(config.canReach(B)).toBeFalse();
  });

  it('keeps the copies when they came from the configured API', async () => {
    await seedCopiesFrom(C);
    await TestBed.inject(RuntimeConfig).apiBase();
    const db = await openAppDb();
    expect(await db.count('restaurants')).toBe(1);
    expect(await db.count('reviews')).toBe(1);
    expect(await db.count('own-reviews')).toBe(2);
    db.close();
    expect(published).toEqual([]);
  });

  it('opens no readwrite transaction when the remembered config and API are already these', async () => {
    await TestBed.inject(RuntimeConfig).apiBase();
    // The next visit: same document, same API: nothing to write.
    const modes: string[] = [];
    const transaction = IDBDatabase.prototype.transaction;
    spyOn(IDBDatabase.prototype, 'transaction').and.callFake(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      modes.push(args[1] ?? 'readonly');
      return transaction.apply(this, args);
    });
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({});
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(C);
    expect(modes).not.toContain('readwrite');
    expect(modes.length).toBeGreaterThan(0);

    // A different document is written, in a readwrite transaction.
    network.respondWith(() => json({ apiBaseUrl: B }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({});
    expect(await TestBed.inject(RuntimeConfig).apiBase()).toBe(B);
    expect(modes).toContain('readwrite');
    const db = await openAppDb();
    expect((await db.get('meta', APP_CONFIG_META_KEY))?.value).toEqual({ apiBaseUrl: B });
    expect((await db.get('meta', DATA_API_META_KEY))?.value).toBe(B);
    db.close();
  });
});
