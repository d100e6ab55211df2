import { openDB } from 'idb';
import { writeVersion1Db } from '../testing/legacy-db';
import { deleteAppDb } from '../testing/scripted-fetch';
import { DB_NAME, DB_VERSION, appDbOpener, openAppDb } from './db-schema';
import type { LegacyFavorite, LegacyReview } from './legacy-records';
import { RECORD_FORMAT } from './outbox-records';

const OLD_ORIGIN = 'http://old-release.test';

function writeVersion1(reviews: Array<Partial<LegacyReview>>, favorites: Array<Partial<LegacyFavorite>>): Promise<void> {
  return writeVersion1Db({ dbName: DB_NAME, reviews, favorites, own: [] });
}

const legacy = (overrides: Partial<LegacyReview>): Partial<LegacyReview> => ({
  client_id: crypto.randomUUID(),
  restaurant_id: 3,
  name: 'Ana',
  rating: 4,
  comments: 'Written by the old app',
  createdAt: '2026-11-20T10:00:00.000Z',
  status: 'pending',
  attempts: 0,
  ...overrides,
});

describe(`openAppDb: the upgrade to version ${DB_VERSION} (real IndexedDB)`, () => {
  beforeEach(() => deleteAppDb());

  it('converts every version-1 record to its typed kind, bound to the origin that wrote it, in the same order', async () => {
    const create = legacy({ queuedAt: undefined } as Partial<LegacyReview>);
    const retried = legacy({ op: 'create', attempts: 2, uncertain: true, status: 'failed', error: 'rating must be …' });
    await writeVersion1(
      [
        create,
        retried,
        legacy({ op: 'update', review_id: 70, rating: '5' as unknown as number, comments: 'Edited offline' }),
        legacy({ op: 'delete', review_id: 71, name: '', rating: 0, comments: '' }),
      ],
      [{ restaurant_id: 2, is_favorite: true, stamp: 'old-stamp', queuedAt: '2026-11-20T10:00:00.000Z', status: 'pending' }],
    );

    const db = await openAppDb({ legacyOrigin: OLD_ORIGIN });
    const reviews = await db.getAll('offline-reviews');
    const favorites = await db.getAll('offline-favorites');
    db.close();

    const common = { v: RECORD_FORMAT as typeof RECORD_FORMAT, api: OLD_ORIGIN, restaurant_id: 3 };
    expect(reviews).toEqual([
      { ...common, kind: 'review-create', local_id: 1, status: 'pending', client_id: create.client_id!, name: 'Ana', rating: 4, comments: 'Written by the old app', createdAt: create.createdAt!, attempts: 0 },
      { ...common, kind: 'review-create', local_id: 2, status: 'failed', error: 'rating must be …', client_id: retried.client_id!, name: 'Ana', rating: 4, comments: 'Written by the old app', createdAt: retried.createdAt!, attempts: 2 },
      { ...common, kind: 'review-edit', local_id: 3, status: 'pending', review_id: 70, name: 'Ana', rating: 5, comments: 'Edited offline' },
      { ...common, kind: 'review-delete', local_id: 4, status: 'pending', review_id: 71 },
    ]);
    expect(favorites).toEqual([{ v: RECORD_FORMAT, api: OLD_ORIGIN, kind: 'favorite', restaurant_id: 2, is_favorite: true, stamp: 'old-stamp', status: 'pending' }]);
  });

  it('keeps a record it cannot convert as "Not sent", with the reason and the record as found', async () => {
    const noTarget = legacy({ op: 'update', review_id: undefined });
    const sentWithoutId = legacy({ client_id: '', attempts: 1 });
    await writeVersion1(
      [noTarget, legacy({ op: 'rename' as 'update' }), sentWithoutId],
      [{ restaurant_id: 5, is_favorite: 'maybe' as unknown as boolean, stamp: 's', status: 'pending' }],
    );

    const db = await openAppDb({ legacyOrigin: OLD_ORIGIN });
    const reviews = await db.getAll('offline-reviews');
    const favorites = await db.getAll('offline-favorites');
    db.close();

    expect(reviews.map((r) => [r.kind, r.status, r.error])).toEqual([
      ['unreadable', 'failed', 'Saved by an earlier version of the app, and it does not say which review to change: it cannot be sent.'],
      ['unreadable', 'failed', 'Saved by an earlier version of the app, and it asks for an unknown operation (rename): it cannot be sent.'],
      ['unreadable', 'failed', 'Saved by an earlier version of the app, and it may have been sent already, and has no id to check that by: it cannot be sent.'],
      ['unreadable', 'failed', 'Saved by an earlier version of the app, and it does not say whether to favorite or unfavorite: it cannot be sent.'],
    ]);
    expect(reviews[0]).toEqual(jasmine.objectContaining({ api: OLD_ORIGIN, restaurant_id: 3, original: jasmine.objectContaining({ op: 'update', comments: noTarget.comments }) }));
    // The favorite's key slot is free again, so a new toggle for that restaurant just works.
    expect(favorites).toEqual([]);
  });

  it('gives a new review without a client id (never sent) a fresh one instead of dropping it', async () => {
    await writeVersion1([legacy({ client_id: undefined, attempts: 0 })], []);
    const db = await openAppDb({ legacyOrigin: OLD_ORIGIN });
    const [record] = await db.getAll('offline-reviews');
    db.close();
    expect(record.kind).toBe('review-create');
    expect(record.kind === 'review-create' && record.client_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates the current shape on a fresh install', async () => {
    const db = await openAppDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'offline-favorites', 'offline-reviews', 'own-reviews', 'restaurants', 'reviews']);
    db.close();
  });
});

describe('appDbOpener (the memo the page and the worker share)', () => {
  beforeEach(() => deleteAppDb());

  it('opens once, and opens afresh after a newer schema asked the connection to close', async () => {
    let opens = 0;
    const get = appDbOpener(() => (opens++, openAppDb()));
    const first = await get();
    expect(await get()).toBe(first);
    expect(opens).toBe(1);

    // A newer release (here: a higher version of the same name) takes over the database.
    const newer = await openDB(DB_NAME, DB_VERSION + 1);
    newer.close();

    await expectAsync(get()).toBeRejected();
    expect(opens).toBe(2);
  });

  it('retries an open that failed', async () => {
    let opens = 0;
    const get = appDbOpener(async () => {
      opens++;
      if (opens === 1) throw new Error('disk full');
      return openAppDb();
    });
    await expectAsync(get()).toBeRejectedWithError('disk full');
    const db = await get();
    expect(opens).toBe(2);
    db.close();
  });
});
