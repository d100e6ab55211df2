import { reviewCreate, reviewDelete, reviewEdit, testApi, unkeyed } from '../testing/records';
import { type RecordedCall, deleteAppDb, json, ScriptedFetch } from '../testing/scripted-fetch';
import { ApiClient } from './api-client';
import { type AppDb, openAppDb } from './db-schema';
import type { ReviewCreateRecord, StoredCreate, StoredReviewSlot } from './outbox-records';
import { RetryLaterError, replayOutbox } from './replay';
import { batchUnsupportedKey } from './replay-batch';
import { type BatchItem, REVIEW_BATCH_MAX_ITEMS, REVIEW_BATCH_PATH } from './review-batch';

const queued = (overrides: Partial<ReviewCreateRecord> = {}) => reviewCreate(overrides) as StoredCreate;
const isBatch = (call: RecordedCall) => call.method === 'POST' && call.url.endsWith(REVIEW_BATCH_PATH);
const itemsOf = (call: RecordedCall) => (call.body as { items: BatchItem[] }).items;

/**
 * A scripted server with the batch route, keeping its reviews by client_id like ours: a create
 * whose client_id it holds answers 200 with the stored review. Rating 9 is refused (the poison).
 */
class BatchServer {
  readonly byClientId = new Map<string, Record<string, unknown>>();
  private nextId = 500;

  answer(items: BatchItem[]): Response {
    const results = items.map((item) => {
      if (item.op !== 'create') return { status: 200, review: this.review({ restaurant_id: 1, name: 'Ana', rating: 2, comments: 'x' }, item.id) };
      if (item.rating === 9) {
        return { status: 400, error: { error: 'Bad Request', message: 'rating must be an integer from 1 to 5', field: 'rating' } };
      }
      const stored = this.byClientId.get(item.client_id);
      if (stored) return { status: 200, review: stored };
      const { op: _op, ...fields } = item;
      const review = this.review(fields, this.nextId++);
      this.byClientId.set(item.client_id, review);
      return { status: 201, review: { ...review, edit_token: `token-${review['id']}` } };
    });
    return json({ results });
  }

  private review(fields: object, id: number): Record<string, unknown> {
    return { ...fields, id, createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z' };
  }
}

describe('replayOutbox in batches (real IndexedDB, scripted server with POST /reviews/batch)', () => {
  let db: AppDb;
  let server: BatchServer;
  let network: ScriptedFetch;

  const replay = () => replayOutbox({ db, apiFor: (base) => new ApiClient(base, network.fetch), timeoutMs: 2000 });
  const batches = () => network.calls.filter(isBatch);

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    server = new BatchServer();
    network = new ScriptedFetch((call) => (isBatch(call) ? server.answer(itemsOf(call)) : json({}, 500)), { batchRoute: true });
  });

  afterEach(() => db.close());

  it(`sends 250 queued reviews in batches of at most ${REVIEW_BATCH_MAX_ITEMS}, and settles each by its own result`, async () => {
    const tx = db.transaction('offline-reviews', 'readwrite');
    for (let i = 0; i < 250; i++) void tx.store.add(queued({ name: `R${i}` }));
    await tx.done;

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(250);
    expect(network.calls.every(isBatch)).withContext('no single POST /reviews/').toBeTrue();
    expect(batches().map((c) => itemsOf(c).length).sort()).toEqual([100, 100, 50]);
    expect(await db.count('offline-reviews')).toBe(0);
    expect(await db.count('reviews')).toBe(250);
    expect(await db.count('own-reviews')).withContext('every edit token kept').toBe(250);
    expect(server.byClientId.size).toBe(250);
  });

  it('marks the poison item "Not sent" alone; the others land, and it is not sent again by itself', async () => {
    await db.add('offline-reviews', queued({ name: 'Before' }));
    await db.add('offline-reviews', queued({ name: 'Poison', rating: 9 }));
    await db.add('offline-reviews', queued({ name: 'After' }));

    const outcome = await replay();

    expect(batches().length).toBe(1);
    expect(outcome.reviewsSent).toBe(2);
    expect(outcome.failed).toBe(1);
    const left = (await db.getAll('offline-reviews')) as StoredCreate[];
    expect(left.map((r) => [r.name, r.status, r.error])).toEqual([['Poison', 'failed', 'rating must be an integer from 1 to 5']]);
    expect((await db.getAll('reviews')).map((r) => r.name).sort()).toEqual(['After', 'Before']);

    network.calls.length = 0;
    await replay();
    expect(network.calls.length).toBe(0);
  });

  it('sends every record only to its own API, one batch per API', async () => {
    await db.add('offline-reviews', queued({ name: 'For B', api: 'http://b.test' }));
    await db.add('offline-reviews', queued({ name: 'For C', api: 'http://c.test/v2' }));
    await db.add('offline-reviews', queued({ name: 'For B too', api: 'http://b.test' }));

    await replay();

    const sent = batches().map((c) => [c.url, itemsOf(c).map((i) => (i.op === 'create' ? i.name : i.op))]);
    expect(sent).toEqual(
      jasmine.arrayWithExactContents([
        ['http://b.test/reviews/batch', ['For B', 'For B too']],
        ['http://c.test/v2/reviews/batch', ['For C']],
      ]),
    );
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('re-sends a batch whose answer was lost, and the server holds each review once', async () => {
    for (let i = 0; i < 30; i++) await db.add('offline-reviews', queued({ name: `L${i}` }));
    // The server applies the batch, but the answer never arrives.
    network.respondWith((call) => {
      server.answer(itemsOf(call));
      return 'network-error';
    });
    await expectAsync(replay()).toBeRejectedWithError(RetryLaterError);
    expect(await db.count('offline-reviews')).withContext('kept: the device does not know').toBe(30);

    network.respondWith((call) => server.answer(itemsOf(call)));
    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(30);
    expect(server.byClientId.size).toBe(30);
    expect(await db.count('reviews')).toBe(30);
    expect(await db.count('offline-reviews')).toBe(0);
  });

  it('sends edits and deletions with their edit tokens, in order, and counts an already deleted review as deleted', async () => {
    await db.put('own-reviews', { review_id: 70, restaurant_id: 1, edit_token: 'secret-70' });
    await db.put('own-reviews', { review_id: 71, restaurant_id: 1, edit_token: 'secret-71' });
    await db.add('offline-reviews', unkeyed(reviewEdit(70, { rating: 2 })) as StoredReviewSlot);
    await db.add('offline-reviews', unkeyed(reviewDelete(70)) as StoredReviewSlot);
    await db.add('offline-reviews', unkeyed(reviewDelete(71)) as StoredReviewSlot);
    network.respondWith((call) =>
      json({
        results: itemsOf(call).map((item) =>
          item.op === 'delete' && item.id === 71
            ? { status: 404, error: { error: 'Not Found', message: 'Review 71 does not exist' } }
            : { status: 200, review: { id: 70, restaurant_id: 1, name: 'Ana', rating: 2, comments: 'x' } },
        ),
      }),
    );

    const outcome = await replay();

    expect(itemsOf(batches()[0])).toEqual([
      jasmine.objectContaining({ op: 'edit', id: 70, edit_token: 'secret-70', rating: 2 }),
      { op: 'delete', id: 70, edit_token: 'secret-70' },
      { op: 'delete', id: 71, edit_token: 'secret-71' },
    ]);
    expect(outcome.editsSent).toBe(3);
    expect(await db.count('offline-reviews')).toBe(0);
    expect(await db.count('own-reviews')).toBe(0);
  });

  it('halves a batch the server finds too large (413) until it fits', async () => {
    for (let i = 0; i < 8; i++) await db.add('offline-reviews', queued({ name: `Big ${i}` }));
    network.respondWith((call) =>
      itemsOf(call).length > 2
        ? json({ error: 'Payload Too Large', message: 'Request body is larger than 1000 bytes' }, 413)
        : server.answer(itemsOf(call)),
    );

    const outcome = await replay();

    expect(outcome.reviewsSent).toBe(8);
    expect(outcome.failed).toBe(0);
    expect(server.byClientId.size).toBe(8);
  });
});

describe('replayOutbox against a server without the batch route (the original)', () => {
  let db: AppDb;
  let network: ScriptedFetch;
  let nextId: number;

  const replay = () => replayOutbox({ db, apiFor: (base) => new ApiClient(base, network.fetch), timeoutMs: 2000 });

  beforeEach(async () => {
    await deleteAppDb();
    db = await openAppDb();
    nextId = 100;
    network = new ScriptedFetch((call) =>
      call.method === 'POST' ? json({ ...(call.body as object), id: nextId++, createdAt: 1, updatedAt: 1 }, 201) : json([]),
    );
  });

  afterEach(() => db.close());

  it('falls back to one POST per review, detects that once per API and remembers it', async () => {
    await db.add('offline-reviews', queued({ name: 'One' }));
    await db.add('offline-reviews', queued({ name: 'Two' }));

    const first = await replay();

    expect(first.reviewsSent).toBe(2);
    expect(network.batchProbes.length).withContext('asked once').toBe(1);
    expect(network.calls.filter((c) => c.method === 'POST').map((c) => (c.body as { name: string }).name).sort()).toEqual(['One', 'Two']);
    expect(typeof (await db.get('meta', batchUnsupportedKey(testApi())))?.value).toBe('number');

    await db.add('offline-reviews', queued({ name: 'Three' }));
    const second = await replay();

    expect(second.reviewsSent).toBe(1);
    expect(network.batchProbes.length).withContext('remembered: not asked again').toBe(1);
    expect(await db.count('offline-reviews')).toBe(0);
    expect(await db.count('reviews')).toBe(3);
  });
});
