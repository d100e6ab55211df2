import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FORBIDDEN_MESSAGE } from '../routes/reviews.ts';
import { ISO_DATE, type TestServer, call, review, startServer } from './helpers.ts';

async function countReviews(base: string): Promise<number> {
  return (await call(base, '/reviews/')).body.length;
}

describe('idempotent creation (client_id)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers a repeated POST with 200 and the first review, and stores it once', async () => {
    const clientId = randomUUID();
    const count = await countReviews(server.url);

    const first = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
    assert.equal(first.status, 201);
    assert.equal(first.body.client_id, clientId);

    // A replay may differ (an edited draft re-sent): the stored review is the answer.
    const second = await call(server.url, '/reviews', {
      method: 'POST',
      json: review({ client_id: clientId, comments: 'Changed my mind' }),
    });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.comments, first.body.comments);
    assert.equal(second.body.createdAt, first.body.createdAt);
    // client_id is public (GET shows it), so a replay must not hand out the edit token.
    assert.equal('edit_token' in second.body, false);

    assert.equal(await countReviews(server.url), count + 1);
    const listed = (await call(server.url, '/reviews/?restaurant_id=1')).body;
    assert.equal(listed.filter((r: { client_id?: string }) => r.client_id === clientId).length, 1);
  });

  it('matches client_id case-insensitively, since it is a UUID', async () => {
    const clientId = randomUUID();
    const first = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
    const upper = await call(server.url, '/reviews/', {
      method: 'POST',
      json: review({ client_id: clientId.toUpperCase() }),
    });
    assert.equal(upper.status, 200);
    assert.equal(upper.body.id, first.body.id);
  });

  it('creates one record when the same POST arrives many times at once', async () => {
    const clientId = randomUUID();
    const count = await countReviews(server.url);
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId, restaurant_id: 2 }) }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 200).length, 24);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal(await countReviews(server.url), count + 1);
  });

  it('creates one record per client_id when different POSTs arrive at once', async () => {
    const count = await countReviews(server.url);
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID() }) }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 201));
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 25);
    assert.equal(await countReviews(server.url), count + 25);
  });

  it('replays even when the restaurant no longer matches (the first write decides)', async () => {
    const clientId = randomUUID();
    const first = await call(server.url, '/reviews/', { method: 'POST', json: review({ client_id: clientId }) });
    const replay = await call(server.url, '/reviews/', {
      method: 'POST',
      json: review({ client_id: clientId, restaurant_id: 99 }),
    });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.id, first.body.id);
  });
});

describe('edit tokens', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  async function create(overrides: Record<string, unknown> = {}) {
    const { status, body } = await call(server.url, '/reviews/', { method: 'POST', json: review(overrides) });
    assert.equal(status, 201);
    return body as { id: number; edit_token: string; createdAt: string; updatedAt: string; comments: string };
  }

  it('lets the author change a review with the token in the body', async () => {
    const mine = await create();
    const { status, body } = await call(server.url, `/reviews/${mine.id}`, {
      method: 'PUT',
      json: { rating: '2', comments: ' Went downhill. ', edit_token: mine.edit_token },
    });
    assert.equal(status, 200);
    assert.equal(body.rating, 2);
    assert.equal(body.comments, 'Went downhill.');
    assert.equal(body.name, 'Tess', 'fields not sent stay as they were');
    assert.equal(body.createdAt, mine.createdAt);
    assert.match(body.updatedAt, ISO_DATE);
    assert.ok(body.updatedAt > mine.updatedAt);
    assert.equal('edit_token' in body, false);
    assert.deepEqual((await call(server.url, `/reviews/${mine.id}`)).body, body);
  });

  it('accepts the token in the query string, with a trailing slash', async () => {
    const mine = await create();
    const { status, body } = await call(server.url, `/reviews/${mine.id}/?edit_token=${mine.edit_token}`, {
      method: 'PUT',
      json: { name: 'Tess K.' },
    });
    assert.equal(status, 200);
    assert.equal(body.name, 'Tess K.');
  });

  it('does not move updatedAt when a PUT changes nothing', async () => {
    const mine = await create();
    const { status, body } = await call(server.url, `/reviews/${mine.id}`, {
      method: 'PUT',
      json: { edit_token: mine.edit_token },
    });
    assert.equal(status, 200);
    assert.equal(body.updatedAt, mine.updatedAt);
  });

  it('refuses changes without the token, with a wrong one, or with another review\'s token', async () => {
    const mine = await create();
    const other = await create();
    const attempts = [
      { json: { rating: 1 } },
      { json: { rating: 1, edit_token: '' } },
      { json: { rating: 1, edit_token: 'not-the-token' } },
      { json: { rating: 1, edit_token: other.edit_token } },
      { json: { rating: 1, edit_token: mine.edit_token.toUpperCase() } },
    ];
    for (const attempt of attempts) {
      const answer = await call(server.url, `/reviews/${mine.id}`, { method: 'PUT', ...attempt });
      assert.equal(answer.status, 403, JSON.stringify(attempt));
      assert.deepEqual(answer.body, { error: 'Forbidden', message: FORBIDDEN_MESSAGE });
    }
    const deleted = await call(server.url, `/reviews/${mine.id}?edit_token=${other.edit_token}`, { method: 'DELETE' });
    assert.equal(deleted.status, 403);
    assert.equal((await call(server.url, `/reviews/${mine.id}`)).body.rating, 4, 'unchanged');
  });

  it('deletes with the token in the query string: 200 with the review, then 404', async () => {
    const mine = await create({ comments: 'To be removed' });
    const { status, body } = await call(server.url, `/reviews/${mine.id}?edit_token=${mine.edit_token}`, {
      method: 'DELETE',
    });
    assert.equal(status, 200);
    assert.equal(body.id, mine.id);
    assert.equal(body.comments, 'To be removed');
    assert.equal((await call(server.url, `/reviews/${mine.id}`)).status, 404);
    const again = await call(server.url, `/reviews/${mine.id}?edit_token=${mine.edit_token}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
  });

  it('deletes with the token in a JSON body', async () => {
    const mine = await create();
    const { status } = await call(server.url, `/reviews/${mine.id}/`, {
      method: 'DELETE',
      json: { edit_token: mine.edit_token },
    });
    assert.equal(status, 200);
  });

  it('never reuses the id of a deleted review, so an old token cannot reach a new review', async () => {
    const mine = await create();
    await call(server.url, `/reviews/${mine.id}?edit_token=${mine.edit_token}`, { method: 'DELETE' });
    const next = await create();
    assert.ok(next.id > mine.id);
  });

  it('protects seed reviews, which have no token', async () => {
    const put = await call(server.url, '/reviews/1', { method: 'PUT', json: { rating: 1 } });
    assert.equal(put.status, 403);
    const del = await call(server.url, '/reviews/1?edit_token=', { method: 'DELETE' });
    assert.equal(del.status, 403);
  });

  it('never shows tokens in GET answers', async () => {
    await create();
    const all = await call(server.url, '/reviews/');
    assert.equal(all.text.includes('edit_token'), false);
    assert.equal(all.text.includes('token'), false);
  });
});
