import { reviewCreate } from '../testing/records';
import { deleteAppDb } from '../testing/scripted-fetch';
import { type AppDb, openAppDb } from './db-schema';
import { deleteMany, readMany } from './outbox-bulk';
import type { StoredCreate } from './outbox-records';

describe('outbox-bulk (real IndexedDB)', () => {
  let db: AppDb;
  let keys: number[];

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    keys = [];
    for (let i = 0; i < 6; i++) keys.push(await db.add('offline-reviews', reviewCreate({ name: `R${i}` }) as StoredCreate));
  });

  afterEach(() => db.close());

  const remaining = async () => (await db.getAll('offline-reviews')).map((r) => (r as StoredCreate).name);

  it('reads the records asked for, not the others in their range', async () => {
    const tx = db.transaction('offline-reviews');
    const read = await readMany(tx.store, [keys[1]!, keys[3]!], (r) => r.local_id);
    expect([...read.found.values()].map((r) => (r as StoredCreate).name)).toEqual(['R1', 'R3']);
    expect(read.range?.keys.size).toBe(3);
  });

  it('deletes a run of consecutive records, and leaves what lies before and after it', async () => {
    const tx = db.transaction('offline-reviews', 'readwrite');
    const gone = keys.slice(1, 5);
    await deleteMany(tx.store, gone, await readMany(tx.store, gone, (r) => r.local_id));
    await tx.done;
    expect(await remaining()).toEqual(['R0', 'R5']);
  });

  it('never deletes a record between the ones it deletes (say, one the server refused)', async () => {
    const tx = db.transaction('offline-reviews', 'readwrite');
    const asked = keys.slice(0, 5);
    const read = await readMany(tx.store, asked, (r) => r.local_id);
    await deleteMany(tx.store, asked.filter((key) => key !== keys[2]), read);
    await tx.done;
    expect(await remaining()).toEqual(['R2', 'R5']);
  });

  it('reads scattered keys one by one, and deletes only them', async () => {
    for (let i = 0; i < 20; i++) await db.add('offline-reviews', reviewCreate({ name: `S${i}` }) as StoredCreate);
    const last = (await db.getAllKeys('offline-reviews')).at(-1)!;
    const tx = db.transaction('offline-reviews', 'readwrite');
    const asked = [keys[0]!, last];
    const read = await readMany(tx.store, asked, (r) => r.local_id);
    expect(read.range).toBeUndefined();
    expect(read.found.size).toBe(2);
    await deleteMany(tx.store, asked, read);
    await tx.done;
    expect(await db.count('offline-reviews')).toBe(24);
  });
});
