import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import facts from '../seed/stage3-facts.json' with { type: 'json' };
import { type TestServer, call, review, startServer } from './helpers.ts';

/** The seed's own figures, computed here independently of SQL. */
function expectedFor(restaurantId: number): { average: number; count: number } {
  const ratings = facts.reviews.filter((r) => r.restaurant_id === restaurantId).map((r) => Number(r.rating));
  const sum = ratings.reduce((a, b) => a + b, 0);
  return { average: Math.round((sum / ratings.length) * 100) / 100, count: ratings.length };
}

describe('GET /ratings', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('gives the average and count of every reviewed restaurant, from the stored reviews', async () => {
    for (const path of ['/ratings', '/ratings/']) {
      const { status, body } = await call(server.url, path);
      assert.equal(status, 200);
      const reviewed = [...new Set(facts.reviews.map((r) => r.restaurant_id))].sort((a, b) => a - b);
      assert.deepEqual(
        body,
        reviewed.map((id) => ({ restaurant_id: id, ...expectedFor(id) })),
      );
    }
  });

  it('follows every write: create, edit and delete change the figure at once', async () => {
    const before = (await call(server.url, '/ratings?restaurant_id=4')).body[0];
    const created = await call(server.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: 4, rating: 1 }) });
    assert.equal(created.status, 201);
    const afterCreate = (await call(server.url, '/ratings?restaurant_id=4')).body[0];
    assert.equal(afterCreate.count, before.count + 1);
    assert.equal(afterCreate.average, Math.round(((before.average * before.count + 1) / (before.count + 1)) * 100) / 100);

    const token = created.body.edit_token;
    await call(server.url, `/reviews/${created.body.id}`, { method: 'PUT', json: { rating: 5, edit_token: token } });
    const afterEdit = (await call(server.url, '/ratings?restaurant_id=4')).body[0];
    assert.equal(afterEdit.count, before.count + 1);
    assert.equal(afterEdit.average, Math.round(((before.average * before.count + 5) / (before.count + 1)) * 100) / 100);

    await call(server.url, `/reviews/${created.body.id}?edit_token=${token}`, { method: 'DELETE' });
    assert.deepEqual((await call(server.url, '/ratings?restaurant_id=4')).body[0], before);
  });

  it('leaves out restaurants without reviews, and answers [] for one of them', async () => {
    const { status, body } = await call(server.url, '/ratings?restaurant_id=99999');
    assert.equal(status, 200);
    assert.deepEqual(body, []);
  });

  it('refuses a malformed restaurant_id, naming it', async () => {
    const bad = await call(server.url, '/ratings?restaurant_id=abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'restaurant_id');
  });

  it('keeps the classic restaurant list free of rating fields', async () => {
    const { body } = await call(server.url, '/restaurants/1');
    assert.equal('average' in body, false);
    assert.equal('count' in body, false);
  });
});
