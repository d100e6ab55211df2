import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import facts from '../seed/stage3-facts.json' with { type: 'json' };
import { ISO_DATE, type TestServer, call, startServer } from './helpers.ts';

const ids = (list: { id: number }[]) => list.map((item) => item.id);

describe('restaurants', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  describe('GET /restaurants', () => {
    it('lists the 10 classic restaurants in id order, with and without a trailing slash', async () => {
      for (const path of ['/restaurants', '/restaurants/']) {
        const { status, body, headers } = await call(server.url, path);
        assert.equal(status, 200);
        assert.match(headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(ids(body), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
    });

    it('prints the classic shape: is_favorite as a string, seed timestamps as epoch ms, photograph = id', async () => {
      const { body } = await call(server.url, '/restaurants');
      const first = body[0];
      const fact = facts.restaurants[0]!;
      assert.deepEqual(Object.keys(first).sort(), [
        'address', 'createdAt', 'cuisine_type', 'id', 'is_favorite', 'latlng', 'name',
        'neighborhood', 'operating_hours', 'photograph', 'updatedAt',
      ]);
      assert.equal(first.name, fact.name);
      assert.deepEqual(first.latlng, fact.latlng);
      assert.deepEqual(first.operating_hours, fact.operating_hours);
      assert.equal(first.photograph, '1');
      for (const restaurant of body) {
        assert.equal(typeof restaurant.is_favorite, 'string');
        assert.equal(typeof restaurant.createdAt, 'number');
        assert.equal(typeof restaurant.updatedAt, 'number');
      }
    });

    it('filters by neighborhood and cuisine_type, case-insensitively, and combines filters', async () => {
      const manhattan = facts.restaurants.filter((r) => r.neighborhood === 'Manhattan').map((r) => r.id);
      assert.deepEqual(ids((await call(server.url, '/restaurants?neighborhood=Manhattan')).body), manhattan);
      assert.deepEqual(ids((await call(server.url, '/restaurants/?neighborhood=manhattan')).body), manhattan);
      assert.deepEqual(ids((await call(server.url, '/restaurants?cuisine_type=Pizza')).body), [2, 5]);
      assert.deepEqual(
        ids((await call(server.url, '/restaurants?neighborhood=Brooklyn&cuisine_type=American')).body),
        [6],
      );
      assert.deepEqual((await call(server.url, '/restaurants?neighborhood=Atlantis')).body, []);
    });

    it('treats SQL-looking filter values as plain text', async () => {
      const { status, body } = await call(
        server.url,
        `/restaurants?neighborhood=${encodeURIComponent("Manhattan' OR '1'='1")}`,
      );
      assert.equal(status, 200);
      assert.deepEqual(body, []);
    });

    it('pages with limit and skip, and returns everything without a limit', async () => {
      assert.deepEqual(ids((await call(server.url, '/restaurants?limit=3')).body), [1, 2, 3]);
      assert.deepEqual(ids((await call(server.url, '/restaurants?skip=8')).body), [9, 10]);
      assert.deepEqual(ids((await call(server.url, '/restaurants?limit=2&skip=4')).body), [5, 6]);
      assert.deepEqual((await call(server.url, '/restaurants?limit=0')).body, []);
      assert.equal((await call(server.url, '/restaurants?limit=1000')).body.length, 10);
    });

    it('answers HEAD like GET, without a body', async () => {
      const { status, text, headers } = await call(server.url, '/restaurants', { method: 'HEAD' });
      assert.equal(status, 200);
      assert.equal(text, '');
      assert.match(headers.get('content-type') ?? '', /^application\/json/);
    });
  });

  describe('GET /restaurants/{id}', () => {
    it('returns one restaurant, with and without a trailing slash', async () => {
      for (const path of ['/restaurants/3', '/restaurants/3/']) {
        const { status, body } = await call(server.url, path);
        assert.equal(status, 200);
        assert.equal(body.id, 3);
        assert.equal(body.name, 'Kang Ho Dong Baekjeong');
      }
    });

    it('answers 404 with the error shape for an unknown id', async () => {
      const { status, body } = await call(server.url, '/restaurants/99');
      assert.equal(status, 404);
      assert.deepEqual(body, { error: 'Not Found', message: 'Restaurant 99 does not exist' });
    });

    it('answers 400 naming the id for ids that are not positive integers', async () => {
      for (const id of ['abc', '-1', '0', '1.5', '1e3']) {
        const { status, body } = await call(server.url, `/restaurants/${id}`);
        assert.equal(status, 400, id);
        assert.equal(body.field, 'id', id);
        assert.equal(body.message, 'id must be a positive integer');
      }
    });
  });

  describe('PUT /restaurants/{id}', () => {
    it('sets is_favorite from the query string, with and without a trailing slash', async () => {
      const before = (await call(server.url, '/restaurants/2')).body;
      const on = await call(server.url, '/restaurants/2/?is_favorite=true', { method: 'PUT' });
      assert.equal(on.status, 200);
      assert.equal(on.body.is_favorite, 'true');
      assert.equal(on.body.name, 'Emily');
      // Written by the server: ISO string. Created by the seed: still epoch ms.
      assert.match(on.body.updatedAt, ISO_DATE);
      assert.equal(on.body.createdAt, before.createdAt);

      const off = await call(server.url, '/restaurants/2?is_favorite=false', { method: 'PUT' });
      assert.equal(off.status, 200);
      assert.equal(off.body.is_favorite, 'false');
      assert.ok(off.body.updatedAt > on.body.updatedAt, 'updatedAt moves forward');
      assert.equal((await call(server.url, '/restaurants/2')).body.is_favorite, 'false');
    });

    it('accepts is_favorite in a JSON body as a boolean or a string, also sent as text/plain', async () => {
      const asBoolean = await call(server.url, '/restaurants/5', { method: 'PUT', json: { is_favorite: true } });
      assert.equal(asBoolean.status, 200);
      assert.equal(asBoolean.body.is_favorite, 'true');

      const asString = await call(server.url, '/restaurants/5/', { method: 'PUT', json: { is_favorite: 'false' } });
      assert.equal(asString.body.is_favorite, 'false');

      const asText = await call(server.url, '/restaurants/5', {
        method: 'PUT',
        body: JSON.stringify({ is_favorite: 'true' }),
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
      assert.equal(asText.status, 200);
      assert.equal(asText.body.is_favorite, 'true');
    });

    it('lets the query string win over the body', async () => {
      const { body } = await call(server.url, '/restaurants/9?is_favorite=true', {
        method: 'PUT',
        json: { is_favorite: false },
      });
      assert.equal(body.is_favorite, 'true');
      await call(server.url, '/restaurants/9?is_favorite=false', { method: 'PUT' });
    });

    it('treats an empty text/plain body as no body', async () => {
      const { status, body } = await call(server.url, '/restaurants/9?is_favorite=false', {
        method: 'PUT',
        body: '',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
      assert.equal(status, 200);
      assert.equal(body.is_favorite, 'false');
    });

    it('answers 404 for an unknown restaurant and 400 when is_favorite is missing', async () => {
      const unknown = await call(server.url, '/restaurants/99?is_favorite=true', { method: 'PUT' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.message, 'Restaurant 99 does not exist');

      const missing = await call(server.url, '/restaurants/1', { method: 'PUT' });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.field, 'is_favorite');
    });

    it('filters by is_favorite', async () => {
      await call(server.url, '/restaurants/4?is_favorite=true', { method: 'PUT' });
      await call(server.url, '/restaurants/7?is_favorite=true', { method: 'PUT' });
      assert.deepEqual(ids((await call(server.url, '/restaurants?is_favorite=true')).body), [4, 5, 7]);
      assert.deepEqual(
        ids((await call(server.url, '/restaurants?is_favorite=false')).body),
        [1, 2, 3, 6, 8, 9, 10],
      );
    });
  });

  describe('GET /restaurants?updated_since= (delta sync)', () => {
    it('returns only restaurants updated strictly after the instant, given as ISO or epoch ms', async () => {
      const all = (await call(server.url, '/restaurants')).body as { id: number; updatedAt: number | string }[];
      const newest = Math.max(...all.map((r) => new Date(r.updatedAt).getTime()));
      const cursorIso = new Date(newest).toISOString();

      assert.deepEqual((await call(server.url, `/restaurants?updated_since=${cursorIso}`)).body, []);

      const changed = await call(server.url, '/restaurants/8?is_favorite=true', { method: 'PUT' });
      const sinceIso = await call(server.url, `/restaurants?updated_since=${encodeURIComponent(cursorIso)}`);
      assert.deepEqual(ids(sinceIso.body), [8]);
      const sinceEpoch = await call(server.url, `/restaurants?updated_since=${newest}`);
      assert.deepEqual(ids(sinceEpoch.body), [8]);

      // The newest updatedAt seen is a complete cursor: nothing is returned twice.
      const again = await call(server.url, `/restaurants?updated_since=${changed.body.updatedAt}`);
      assert.deepEqual(again.body, []);

      // Seed timestamps (2017) are older than any date this year.
      const fromSeed = await call(server.url, '/restaurants?updated_since=0');
      assert.equal(fromSeed.body.length, 10);
    });

    it('confirms with a header that it applied the filter, so clients can tell it from a server that ignores it', async () => {
      const delta = await call(server.url, '/restaurants?updated_since=0');
      assert.equal(delta.headers.get('x-delta-sync'), 'updated_since');
      const full = await call(server.url, '/restaurants');
      assert.equal(full.headers.get('x-delta-sync'), null);
    });

    it('combines with the other filters', async () => {
      const { body } = await call(server.url, '/restaurants?updated_since=1&is_favorite=true&cuisine_type=american');
      assert.deepEqual(ids(body), [4, 7, 8]);
    });

    it('never hands out the same write timestamp twice, even within one millisecond', async () => {
      const answers = await Promise.all(
        [1, 3, 6, 10].map((id) => call(server.url, `/restaurants/${id}?is_favorite=false`, { method: 'PUT' })),
      );
      const stamps = answers.map((a) => a.body.updatedAt);
      assert.equal(new Set(stamps).size, stamps.length);
    });
  });
});
