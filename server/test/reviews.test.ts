import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REVIEW_LIMITS } from '../../src/shared/api.ts';
import facts from '../seed/stage3-facts.json' with { type: 'json' };
import { ISO_DATE, type TestServer, call, review, startServer } from './helpers.ts';

const REVIEW_KEYS = ['comments', 'createdAt', 'id', 'name', 'rating', 'restaurant_id', 'updatedAt'];

describe('reviews', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  describe('GET /reviews', () => {
    it('lists the 30 seed reviews with their classic ids, authors and ratings, with and without a slash', async () => {
      for (const path of ['/reviews/', '/reviews']) {
        const { status, body } = await call(server.url, path);
        assert.equal(status, 200);
        assert.equal(body.length, 30);
        for (const [index, fact] of facts.reviews.entries()) {
          const { id, restaurant_id, name, rating } = body[index];
          assert.deepEqual({ id, restaurant_id, name, rating }, fact);
        }
      }
    });

    it('prints seed reviews with epoch-ms timestamps, written comments, and no token or client_id', async () => {
      const { body } = await call(server.url, '/reviews/');
      const texts = new Set<string>();
      for (const item of body) {
        assert.deepEqual(Object.keys(item).sort(), REVIEW_KEYS);
        assert.equal(typeof item.createdAt, 'number');
        assert.ok(item.comments.length > 20);
        texts.add(item.comments);
      }
      assert.equal(texts.size, 30, 'every seed text is different');
    });

    it('filters by restaurant_id; an unknown restaurant gives an empty list', async () => {
      const { body } = await call(server.url, '/reviews/?restaurant_id=1');
      assert.deepEqual(body.map((r: { id: number }) => r.id), [1, 2, 3]);
      assert.deepEqual((await call(server.url, '/reviews?restaurant_id=99')).body, []);
    });

    it('pages with limit and skip', async () => {
      const { body } = await call(server.url, '/reviews/?limit=2&skip=5');
      assert.deepEqual(body.map((r: { id: number }) => r.id), [6, 7]);
      const ofOne = await call(server.url, '/reviews/?restaurant_id=2&skip=1&limit=1');
      assert.deepEqual(ofOne.body.map((r: { id: number }) => r.id), [5]);
    });
  });

  describe('GET /reviews/{id}', () => {
    it('returns one review, with and without a trailing slash', async () => {
      for (const path of ['/reviews/8', '/reviews/8/']) {
        const { status, body } = await call(server.url, path);
        assert.equal(status, 200);
        assert.equal(body.name, 'ZS');
        assert.equal(body.restaurant_id, 3);
      }
    });

    it('answers HEAD like GET, without a body', async () => {
      for (const path of ['/reviews/8', '/reviews/?restaurant_id=3']) {
        const { status, text, headers } = await call(server.url, path, { method: 'HEAD' });
        assert.equal(status, 200, path);
        assert.equal(text, '');
        assert.match(headers.get('content-type') ?? '', /^application\/json/);
      }
      assert.equal((await call(server.url, '/reviews/999', { method: 'HEAD' })).status, 404);
    });

    it('answers 404 for an unknown review', async () => {
      const { status, body } = await call(server.url, '/reviews/999');
      assert.equal(status, 404);
      assert.deepEqual(body, { error: 'Not Found', message: 'Review 999 does not exist' });
    });
  });

  describe('POST /reviews', () => {
    it('creates a review: 201, the stored record with ISO timestamps, and an edit token', async () => {
      const { status, body } = await call(server.url, '/reviews/', { method: 'POST', json: review() });
      assert.equal(status, 201);
      assert.equal(body.id, 31);
      assert.equal(body.restaurant_id, 1);
      assert.equal(body.name, 'Tess');
      assert.equal(body.rating, 4);
      assert.equal(body.comments, 'Lovely dumplings.');
      assert.match(body.createdAt, ISO_DATE);
      assert.equal(body.updatedAt, body.createdAt);
      assert.match(body.edit_token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal('client_id' in body, false);

      const stored = await call(server.url, `/reviews/${body.id}`);
      const { edit_token: _token, ...withoutToken } = body;
      assert.deepEqual(stored.body, withoutToken);
    });

    it('accepts the path without a trailing slash', async () => {
      const { status } = await call(server.url, '/reviews', { method: 'POST', json: review() });
      assert.equal(status, 201);
    });

    it('stores numeric strings (form posts) as integers, and trims name and comments', async () => {
      const { status, body } = await call(server.url, '/reviews/', {
        method: 'POST',
        json: review({ restaurant_id: '4', rating: '5', name: '  Ruth  ', comments: '\n Pastrami! \n' }),
      });
      assert.equal(status, 201);
      assert.equal(body.restaurant_id, 4);
      assert.equal(body.rating, 5);
      assert.equal(body.name, 'Ruth');
      assert.equal(body.comments, 'Pastrami!');
      const stored = (await call(server.url, `/reviews/${body.id}`)).body;
      assert.equal(typeof stored.rating, 'number');
      assert.equal(typeof stored.restaurant_id, 'number');
    });

    it('parses a text/plain body as JSON (fetch with no content type)', async () => {
      const { status, body } = await call(server.url, '/reviews/', {
        method: 'POST',
        body: JSON.stringify(review({ restaurant_id: 6, name: 'Plain' })),
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
      assert.equal(status, 201);
      assert.equal(body.name, 'Plain');
      assert.equal(body.restaurant_id, 6);
    });

    it('accepts an HTML form post (application/x-www-form-urlencoded)', async () => {
      const form = new URLSearchParams({ restaurant_id: '10', name: 'Form', rating: '3', comments: 'Mole & more' });
      const { status, body } = await call(server.url, '/reviews/', {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(status, 201);
      assert.equal(body.restaurant_id, 10);
      assert.equal(body.rating, 3);
      assert.equal(body.comments, 'Mole & more');
    });

    it('ignores unknown fields, including ones that would overwrite server data', async () => {
      const { status, body } = await call(server.url, '/reviews/', {
        method: 'POST',
        json: review({ id: 1, createdAt: 1, updatedAt: 1, edit_token: 'mine', is_admin: true }),
      });
      assert.equal(status, 201);
      assert.notEqual(body.id, 1);
      assert.match(body.createdAt, ISO_DATE);
      assert.notEqual(body.edit_token, 'mine');
      assert.equal('is_admin' in body, false);
      assert.equal((await call(server.url, '/reviews/1')).body.name, 'Steve');
    });

    it('stores SQL-looking and unusual text verbatim', async () => {
      const tricky = [
        '1; DROP TABLE reviews',
        "Robert'); DELETE FROM restaurants; --",
        '<script>alert(1)</script>',
        'Ünïcödé, 中文, emoji 🍜🍕',
        'tab\tand\nnew line',
      ];
      for (const comments of tricky) {
        const created = await call(server.url, '/reviews/', { method: 'POST', json: review({ comments }) });
        assert.equal(created.status, 201, comments);
        assert.equal((await call(server.url, `/reviews/${created.body.id}`)).body.comments, comments);
      }
      assert.equal((await call(server.url, '/restaurants')).body.length, 10);
      assert.ok((await call(server.url, '/reviews/')).body.length > 30);
    });

    it('accepts the longest allowed name and comments', async () => {
      const { status, body } = await call(server.url, '/reviews/', {
        method: 'POST',
        json: review({
          name: 'n'.repeat(REVIEW_LIMITS.nameMaxLength),
          comments: 'c'.repeat(REVIEW_LIMITS.commentsMaxLength),
        }),
      });
      assert.equal(status, 201);
      assert.equal(body.comments.length, REVIEW_LIMITS.commentsMaxLength);
    });

    it('hides no records behind a cap: 120 new reviews of one restaurant all come back', async () => {
      for (let i = 0; i < 120; i++) {
        const { status } = await call(server.url, '/reviews/', {
          method: 'POST',
          json: review({ restaurant_id: 7, comments: `Burger visit ${i}` }),
        });
        assert.equal(status, 201);
      }
      const ofSeven = await call(server.url, '/reviews/?restaurant_id=7');
      assert.equal(ofSeven.body.length, 123);
      const all = await call(server.url, '/reviews/');
      assert.ok(all.body.length >= 150);
      const ids = all.body.map((r: { id: number }) => r.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
    });
  });
});
