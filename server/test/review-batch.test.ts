import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REVIEW_BATCH_MAX_ITEMS, REVIEW_BATCH_PATH } from '../../src/shared/review-batch.ts';
import { FORBIDDEN_MESSAGE } from '../routes/reviews.ts';
import { type TestServer, call, makeTempDir, removeDir, review, startServer } from './helpers.ts';
import { warmLauncher } from './server-process.ts';

function create(overrides: Record<string, unknown> = {}): Record<string, unknown> & { client_id: string } {
  const clientId = randomUUID();
  return { op: 'create', ...review({ client_id: clientId, ...overrides }), client_id: (overrides['client_id'] as string) ?? clientId };
}

function batch(base: string, items: unknown[]) {
  return call(base, REVIEW_BATCH_PATH, { method: 'POST', json: { items } });
}

async function reviewsWith(base: string, clientIds: string[]): Promise<Map<string, number>> {
  const wanted = new Set(clientIds);
  const counts = new Map<string, number>();
  for (const r of (await call(base, '/reviews/')).body as Array<{ client_id?: string }>) {
    if (r.client_id && wanted.has(r.client_id)) counts.set(r.client_id, (counts.get(r.client_id) ?? 0) + 1);
  }
  return counts;
}

describe('POST /reviews/batch', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('gives every item its own result: created, edited, deleted, in order', async () => {
    const first = create({ name: 'Ana' });
    const created = await batch(server.url, [first, create({ restaurant_id: 2 })]);
    assert.equal(created.status, 200);
    const [a, b] = created.body.results;
    assert.equal(a.status, 201);
    assert.equal(a.review.client_id, first.client_id);
    assert.equal(a.review.name, 'Ana');
    assert.equal(typeof a.review.edit_token, 'string');
    assert.equal(b.status, 201);
    assert.equal(b.review.restaurant_id, 2);

    const changed = await batch(server.url, [
      { op: 'edit', id: a.review.id, edit_token: a.review.edit_token, rating: 2, comments: '  Colder this time.  ' },
      { op: 'delete', id: b.review.id, edit_token: b.review.edit_token },
    ]);
    assert.equal(changed.status, 200);
    const [edited, deleted] = changed.body.results;
    assert.deepEqual([edited.status, edited.review.rating, edited.review.comments], [200, 2, 'Colder this time.']);
    assert.equal('edit_token' in edited.review, false);
    assert.equal(deleted.status, 200);
    assert.equal((await call(server.url, `/reviews/${b.review.id}`)).status, 404);
    assert.equal((await call(server.url, `/reviews/${a.review.id}`)).body.rating, 2);
  });

  it('refuses a poison item alone, naming its problem, and applies the others', async () => {
    const good = [create(), create(), create()];
    const answer = await batch(server.url, [
      good[0],
      create({ rating: 9 }),
      good[1],
      create({ restaurant_id: 999 }),
      { op: 'edit', id: 1, edit_token: 'not-the-token', rating: 3 },
      { op: 'shout' },
      { op: 'create', restaurant_id: 1, name: 'No id', rating: 3, comments: 'x' },
      good[2],
    ]);
    assert.equal(answer.status, 200);
    const r = answer.body.results;
    assert.equal(r.length, 8);
    assert.deepEqual(r.map((x: { status: number }) => x.status), [201, 400, 201, 400, 403, 400, 400, 201]);
    assert.deepEqual(r[1].error, { error: 'Bad Request', message: 'rating must be an integer from 1 to 5', field: 'rating' });
    assert.equal(r[3].error.field, 'restaurant_id');
    assert.match(r[3].error.message, /Restaurant 999 does not exist/);
    assert.equal(r[4].error.message, FORBIDDEN_MESSAGE);
    assert.equal(r[5].error.field, 'op');
    assert.deepEqual([r[6].error.field, r[6].error.message], ['client_id', 'client_id is required']);
    const stored = await reviewsWith(server.url, good.map((g) => g.client_id));
    assert.deepEqual([...stored.values()], [1, 1, 1]);
  });

  it(`refuses more than ${REVIEW_BATCH_MAX_ITEMS} items, naming the field and the bound, and writes nothing`, async () => {
    const items = Array.from({ length: REVIEW_BATCH_MAX_ITEMS + 1 }, () => create());
    const answer = await batch(server.url, items);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.field, 'items');
    assert.match(answer.body.message, new RegExp(`1 to ${REVIEW_BATCH_MAX_ITEMS} review changes`));
    assert.equal((await reviewsWith(server.url, items.map((i) => i.client_id))).size, 0);
    // The bound itself is accepted.
    const full = await batch(server.url, items.slice(0, REVIEW_BATCH_MAX_ITEMS));
    assert.equal(full.status, 200);
    assert.equal(full.body.results.filter((x: { status: number }) => x.status === 201).length, REVIEW_BATCH_MAX_ITEMS);
  });

  it('refuses an empty batch and a body without items', async () => {
    for (const body of [{ items: [] }, {}, { items: 'all of them' }]) {
      const answer = await call(server.url, REVIEW_BATCH_PATH, { method: 'POST', json: body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.field, 'items');
    }
  });

  it('is idempotent: the same batch again (a lost answer) creates nothing twice and hands out no token', async () => {
    const items = Array.from({ length: 40 }, (_, i) => create({ name: `Retry ${i}` }));
    const first = await batch(server.url, items);
    assert.ok(first.body.results.every((x: { status: number }) => x.status === 201));
    const [again, andAgain] = await Promise.all([batch(server.url, items), batch(server.url, items)]);
    for (const answer of [again, andAgain]) {
      assert.equal(answer.status, 200);
      answer.body.results.forEach((x: { status: number; review: { id: number; edit_token?: string } }, i: number) => {
        assert.equal(x.status, 200);
        assert.equal(x.review.id, first.body.results[i].review.id);
        assert.equal(x.review.edit_token, undefined);
      });
    }
    const stored = await reviewsWith(server.url, items.map((i) => i.client_id));
    assert.equal(stored.size, 40);
    assert.ok([...stored.values()].every((n) => n === 1));
  });

  it('treats a client_id twice in one batch as one review', async () => {
    const item = create();
    const answer = await batch(server.url, [item, { ...item, comments: 'Second copy' }]);
    assert.deepEqual(answer.body.results.map((x: { status: number }) => x.status), [201, 200]);
    assert.equal(answer.body.results[1].review.id, answer.body.results[0].review.id);
  });

  it('is exempt from the write limit when it only repeats stored reviews', async () => {
    const limited = await startServer({ rateLimitMax: 2, rateLimitWindowMs: 60_000 });
    try {
      const items = Array.from({ length: 10 }, () => create());
      assert.equal((await batch(limited.url, items)).status, 200);
      // Re-sent many times (lost answers): never refused, never counted.
      for (let i = 0; i < 5; i++) assert.equal((await batch(limited.url, items)).status, 200);
      assert.equal((await batch(limited.url, [create()])).status, 200);
      // A batch with something new counts: the third write of the window is refused.
      assert.equal((await batch(limited.url, [create()])).status, 429);
    } finally {
      await limited.stop();
    }
  });
});

describe('POST /reviews/batch when the server is killed mid-batch', () => {
  it('leaves every batch all applied or not at all, and a replay of all of them lands each review exactly once', async () => {
    const dir = makeTempDir('rr-batch-kill-');
    const dbFile = join(dir, 'batch.sqlite');
    const launcher = await warmLauncher(1);
    try {
      // Four clients keep sending batches until the kill, so some are in flight when it comes
      // however fast this machine commits them (a fixed set could all be answered first).
      const batches: ReturnType<typeof create>[][] = [];
      const statuses: Array<number | 'cut off'> = [];
      let server = await launcher.launch(dbFile);
      let answered = 0;
      let killing = false;
      const sender = async () => {
        while (!killing) {
          const b = batches.length;
          const items = Array.from({ length: REVIEW_BATCH_MAX_ITEMS }, (_, i) =>
            create({ name: `Batch ${b} item ${i}`, restaurant_id: 1 + (i % 10) }),
          );
          batches.push(items);
          statuses[b] = await batch(server.url, items).then(
            (answer) => {
              answered++;
              return answer.status;
            },
            () => 'cut off' as const,
          );
        }
      };
      const senders = Array.from({ length: 4 }, sender);
      // Kill once a few batches were acknowledged: the rest are in flight or not yet read.
      while (answered < 3) await new Promise((resolve) => setTimeout(resolve, 1));
      killing = true;
      await server.kill();
      await Promise.all(senders);
      const acknowledged = statuses.filter((s) => s === 200).length;
      const cutOff = statuses.filter((s) => s === 'cut off').length;
      assert.ok(cutOff > 0, `some batches were in flight at the kill (acknowledged ${acknowledged})`);

      server = await launcher.launch(dbFile);
      for (const [b, items] of batches.entries()) {
        const stored = await reviewsWith(server.url, items.map((i) => i.client_id));
        // One transaction per batch: all of it or none of it, never a part.
        assert.ok(stored.size === 0 || stored.size === items.length, `batch ${b}: ${stored.size} of ${items.length} stored`);
        if (statuses[b] === 200) assert.equal(stored.size, items.length, `acknowledged batch ${b} is all there`);
      }

      // The client replays everything it has no answer for, and (to be sure) what it has too.
      const replays = await Promise.all(batches.map((items) => batch(server.url, items)));
      for (const answer of replays) assert.equal(answer.status, 200);
      const all = batches.flat();
      const stored = await reviewsWith(server.url, all.map((i) => i.client_id));
      assert.equal(stored.size, all.length, 'every review is there');
      assert.ok([...stored.values()].every((n) => n === 1), 'no review is there twice');
      await server.stop();
    } finally {
      await launcher.close();
      removeDir(dir);
    }
  });
});
